// Which port each of a host's applications takes by default.

import Doorway
import DoorwayServices

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Which port each application takes.
///
/// As root, the well-known ports. Otherwise an unprivileged mapping that is easy to predict: the simple
/// services at 10000 plus their well-known port (echo 10007, discard 10009, daytime 10013, qotd 10017,
/// chargen 10019, time 10037).
public struct PortPlan: Sendable, Hashable {
    public var privileged: Bool

    public init(privileged: Bool) { self.privileged = privileged }

    /// The plan for this process: privileged when running as root.
    public static var current: PortPlan { PortPlan(privileged: geteuid() == 0) }

    public static let unprivilegedOffset: UInt16 = 10000

    public func port(for service: SimpleService) -> Port {
        privileged ? service.port : Port(Self.unprivilegedOffset + service.port.rawValue)
    }

    /// The Web's port: 80 as root, else 8080 (the customary unprivileged one).
    public var webPort: Port { privileged ? .http : Port(8080) }

    /// SMTP's port: 25 as root, else 2525 (the customary unprivileged one).
    public var smtpPort: Port { privileged ? Port(25) : Port(2525) }

    /// POP3's port: 110 as root, else 1110.
    public var pop3Port: Port { privileged ? Port(110) : Port(1110) }

    /// The BitTorrent tracker's customary port, 6969, which needs no privilege.
    public var trackerPort: Port { Port(6969) }

    /// Where the host's seeds wait for peers: 6881 for the first torrent, 6882 for the next, and so on
    /// (BitTorrent's customary range).
    public var firstSeedPort: Port { Port(6881) }
}
