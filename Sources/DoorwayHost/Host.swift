// One host running its network applications, each on its port.

import Doorway
import DoorwayMail
import DoorwayServices
import DoorwayTorrent
import DoorwayWeb
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One application the host runs: a name, a transport, where it listens, and its protocol handlers.
public struct HostedApplication: Sendable {
    public var name: String
    public var transport: Transport
    public var endpoint: Endpoint
    public var maximumConnections: Int?
    public var parameters: TransportParameters
    public var initializer: Server.Initializer

    public init(
        name: String, transport: Transport, endpoint: Endpoint, maximumConnections: Int? = nil,
        parameters: TransportParameters = TransportParameters(), initializer: @escaping Server.Initializer
    ) {
        self.name = name
        self.transport = transport
        self.endpoint = endpoint
        self.maximumConnections = maximumConnections
        self.parameters = parameters
        self.initializer = initializer
    }
}

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

/// The applications of one host, running.
///
/// ```swift
/// let host = try await RunningHost.start(RunningHost.simpleServices(bindingTo: .any, plan: .current))
/// print(host.table)
/// await host.shutdown(gracePeriod: .seconds(5))
/// ```
public final class RunningHost: Sendable {
    public let applications: [HostedApplication]
    public let servers: [Server]

    private init(applications: [HostedApplication], servers: [Server]) {
        self.applications = applications
        self.servers = servers
    }

    /// Every simple service over TCP and over UDP.
    public static func simpleServices(bindingTo host: Host, plan: PortPlan) -> [HostedApplication] {
        SimpleService.allCases.flatMap { service in
            [Transport.tcp, .udp].map { transport in
                HostedApplication(
                    name: service.rawValue, transport: transport, endpoint: .host(host, port: plan.port(for: service)),
                    maximumConnections: transport == .tcp ? 256 : nil,
                    initializer: service.initializer(transport: transport)
                )
            }
        }
    }

    /// The Web server, serving the data folder's `public/`; the folder is made, with a welcome page that
    /// describes this host's services, if it does not exist.
    public static func web(bindingTo host: Host, plan: PortPlan, dataFolder: String) throws -> HostedApplication {
        let root = dataFolder + "/public"
        try WelcomePage.create(in: root, plan: plan)
        let web = try WebServer(configuration: .init(root: root))
        return HostedApplication(
            name: "web", transport: .tcp, endpoint: .host(host, port: plan.webPort),
            maximumConnections: web.configuration.limits.maximumConnections, initializer: web.initializer
        )
    }

    /// The mail server, a local mail catcher storing into the data folder's `mail/`: SMTP in, POP3 out,
    /// one store and one set of storage threads.
    public static func mail(bindingTo host: Host, plan: PortPlan, dataFolder: String) throws -> [HostedApplication] {
        let mail = try MailServer(
            configuration: .init(maildir: dataFolder + "/mail", smtp: SMTPConfiguration(hostname: MaildirStore.hostName))
        )
        return [
            HostedApplication(
                name: "smtp", transport: .tcp, endpoint: .host(host, port: plan.smtpPort),
                maximumConnections: mail.configuration.maximumConnections, initializer: mail.smtpInitializer
            ),
            HostedApplication(
                name: "pop3", transport: .tcp, endpoint: .host(host, port: plan.pop3Port),
                maximumConnections: mail.configuration.maximumConnections, initializer: mail.pop3Initializer
            ),
        ]
    }

    /// The open BitTorrent tracker, its swarms in memory.
    public static func tracker(bindingTo host: Host, plan: PortPlan) -> HostedApplication {
        let tracker = TrackerServer()
        return HostedApplication(
            name: "tracker", transport: .tcp, endpoint: .host(host, port: plan.trackerPort),
            maximumConnections: tracker.maximumConnections, parameters: tracker.parameters, initializer: tracker.initializer
        )
    }

    /// Binds every application; if one cannot bind, the ones already bound are closed and the error thrown.
    public static func start(_ applications: [HostedApplication]) async throws -> RunningHost {
        var servers: [Server] = []
        do {
            for application in applications {
                servers.append(
                    try await Server.bind(
                        application.endpoint, transport: application.transport, parameters: application.parameters,
                        maximumConnections: application.maximumConnections, initializer: application.initializer
                    )
                )
            }
        } catch {
            for server in servers { await server.shutdown(gracePeriod: .zero) }
            throw error
        }
        return RunningHost(applications: applications, servers: servers)
    }

    /// A table of service, transport and endpoint, one row per application.
    public var table: String {
        var rows = [("SERVICE", "TRANSPORT", "ENDPOINT")]
        for (application, server) in zip(applications, servers) {
            rows.append((application.name, application.transport.rawValue, server.localEndpoint.description))
        }
        let first = rows.map(\.0.count).max()! + 2
        let second = rows.map(\.1.count).max()! + 2
        return rows.map { row in
            row.0.padding(toLength: first) + row.1.padding(toLength: second) + row.2
        }.joined(separator: "\n")
    }

    /// Stops accepting everywhere and gives in-flight connections `gracePeriod` to finish.
    public func shutdown(gracePeriod: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { await server.shutdown(gracePeriod: gracePeriod) } }
        }
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
