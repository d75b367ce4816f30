// One `[[service]]` of the configuration: an application, where it listens, and how.

import Doorway

/// One service the host runs: its kind, name, endpoints, transports and settings.
///
/// ```swift
/// let echo = ServiceConfiguration(kind: .echo, listen: [.host(.any, port: 10007)])
/// // echo over TCP and UDP, named "echo"
/// ```
public struct ServiceConfiguration: Sendable, Hashable {
    /// The service's name, unique in the configuration; the kind by default.
    public var name: String
    /// Which application runs.
    public var kind: ServiceKind
    /// Where it listens: one or more endpoints.
    public var listen: [Endpoint]
    /// The transports it listens with on each IP endpoint; Unix endpoints use `Transport.unix`.
    public var transports: [Transport]
    /// Socket options and timeouts.
    public var parameters: TransportParameters
    /// The most connections served at once; unlimited when nil.
    public var maximumConnections: Int?
    /// What only this kind of service is configured with.
    public var settings: ServiceSettings

    /// A service of `kind` with that kind's defaults for everything not given.
    public init(
        name: String? = nil,
        kind: ServiceKind,
        listen: [Endpoint],
        transports: [Transport]? = nil,
        parameters: TransportParameters = TransportParameters(),
        maximumConnections: Int? = nil,
        settings: ServiceSettings? = nil
    ) {
        self.name = name ?? kind.rawValue
        self.kind = kind
        self.listen = listen
        self.transports = transports ?? kind.defaultTransports
        self.parameters = parameters
        self.maximumConnections = maximumConnections ?? kind.defaultMaximumConnections
        self.settings = settings ?? kind.definition.defaultSettings
    }

    /// The sockets the service binds: each IP endpoint with each IP transport, each Unix endpoint once.
    var bindings: [(endpoint: Endpoint, transport: Transport)] {
        listen.flatMap { endpoint -> [(endpoint: Endpoint, transport: Transport)] in
            if case .unix = endpoint { return [(endpoint, .unix)] }
            return transports.filter { $0 != .unix }.map { (endpoint, $0) }
        }
    }
}
