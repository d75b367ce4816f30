// Port numbers, and the names of the well-known ones.

/// A port number: with the host's IP address, it addresses one receiving process.
///
/// ```swift
/// let web: Port = .http            // 80
/// let mail = try Port(parsing: "smtp")   // 25, from the service registry
/// ```
public struct Port: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ number: UInt16) { self.rawValue = number }
    public init(integerLiteral value: UInt16) { self.rawValue = value }

    /// Reads a port number (`"8080"`) or a service name (`"http"`) from the registry.
    ///
    /// - Parameters:
    ///   - text: a decimal number 0–65535 or a service name.
    ///   - transport: the transport whose registry entry a name should match; a name registered only for the
    ///     other IP transport is still accepted, as `getservbyname` users expect for names like `http`.
    /// - Throws: ``AddressError`` naming the input and the fix.
    public init(parsing text: String, transport: Transport = .tcp) throws {
        guard !text.isEmpty else {
            throw AddressError(
                input: text, reason: "the port is empty; give a number 0–65535 or a service name such as http")
        }
        if text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard text.utf8.count <= 5, let number = Int(text), number <= 65535 else {
                throw AddressError(input: text, reason: "port must be 0–65535")
            }
            self.init(UInt16(number))
            return
        }
        let registry = ServiceRegistry.shared
        if let service = registry.service(named: text, transport: transport == .unix ? .tcp : transport)
            ?? registry.services(named: text).first
        {
            self = service.port
            return
        }
        throw AddressError(
            input: text,
            reason: "unknown service name \"\(text)\"; give a port number, or see `door ports` for the names it knows"
        )
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: Port, rhs: Port) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether binding this port needs privilege (ports below 1024 on Linux, unless lowered by sysctl).
    public var isPrivileged: Bool { rawValue != 0 && rawValue < 1024 }

    /// The registry's name for this port on a transport, if it has one.
    public func serviceName(transport: Transport = .tcp) -> String? {
        ServiceRegistry.shared.services(port: self, transport: transport).first?.name
    }
}

extension Port {
    /// Port 0: asks the kernel to choose a free port when binding.
    public static let any: Port = 0
    public static let echo: Port = 7
    public static let discard: Port = 9
    public static let daytime: Port = 13
    public static let qotd: Port = 17
    public static let chargen: Port = 19
    public static let ftp: Port = 21
    public static let ssh: Port = 22
    public static let telnet: Port = 23
    public static let smtp: Port = 25
    public static let time: Port = 37
    public static let domain: Port = 53
    public static let http: Port = 80
    public static let pop3: Port = 110
    public static let imap: Port = 143
    public static let https: Port = 443
    public static let submission: Port = 587
    public static let imaps: Port = 993
    public static let pop3s: Port = 995
    public static let bittorrent: Port = 6881
    public static let httpAlt: Port = 8080
}
