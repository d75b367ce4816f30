// The service registry: names ↔ port numbers ↔ transports, shipped as data inside the library.

/// One registered service: a name bound to a port on a transport.
public struct Service: Hashable, Sendable, CustomStringConvertible {
    /// The registry's name, such as `smtp`.
    public var name: String
    public var port: Port
    /// `.tcp` or `.udp`.
    public var transport: Transport
    /// Other names for the same service (`www` for `http`, `mail` for `smtp`).
    public var aliases: [String]
    /// The registry's short description, possibly empty.
    public var summary: String

    /// `25/tcp`, as `/etc/services` writes it.
    public var description: String { "\(port)/\(transport)" }
}

/// The names of services and the ports and transports they use.
///
/// The table covers IANA's system ports (0–1023) and the common registered ports. It is generated once from
/// a real registry by `Scripts/generate-service-registry.py` and compiled into the library: nothing is read
/// from the machine at run time, so lookups give the same answer everywhere.
///
/// ```swift
/// ServiceRegistry.shared.service(named: "smtp", transport: .tcp)?.port   // 25
/// ServiceRegistry.shared.services(port: 80, transport: .tcp).first?.name // "http"
/// ```
public struct ServiceRegistry: Sendable {
    /// The registry compiled into the library.
    public static let shared = ServiceRegistry(table: serviceRegistryTable)

    /// Every entry, ordered by port, then transport, then name.
    public let services: [Service]
    private let byName: [String: [Int]]
    private let byPort: [Port: [Int]]

    /// A registry read from tab-separated lines: `name  port  transport  aliases  description`.
    init(table: String) {
        var services: [Service] = []
        for line in table.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, let number = UInt16(fields[1]),
                let transport = Transport(rawValue: String(fields[2]))
            else { continue }
            let aliases = fields.count > 3 ? fields[3].split(separator: ",").map(String.init) : []
            let summary = fields.count > 4 ? String(fields[4]) : ""
            services.append(
                Service(
                    name: String(fields[0]), port: Port(number), transport: transport, aliases: aliases,
                    summary: summary)
            )
        }
        var byName: [String: [Int]] = [:]
        var byPort: [Port: [Int]] = [:]
        for (index, service) in services.enumerated() {
            for name in [service.name] + service.aliases {
                byName[name.lowercased(), default: []].append(index)
            }
            byPort[service.port, default: []].append(index)
        }
        self.services = services
        self.byName = byName
        self.byPort = byPort
    }

    /// The entry for a name (or alias) on one transport; names are matched without regard to case.
    public func service(named name: String, transport: Transport) -> Service? {
        services(named: name).first { $0.transport == transport }
    }

    /// Every entry for a name or alias, on any transport.
    public func services(named name: String) -> [Service] {
        (byName[name.lowercased()] ?? []).map { services[$0] }
    }

    /// The entries registered on a port, optionally only for one transport.
    public func services(port: Port, transport: Transport? = nil) -> [Service] {
        (byPort[port] ?? []).map { services[$0] }.filter { transport == nil || $0.transport == transport }
    }
}
