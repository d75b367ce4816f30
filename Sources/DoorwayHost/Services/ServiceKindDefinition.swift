// What the host knows about one kind of service, gathered in one place per kind.

import Doorway
import Logging

/// One kind of service as the host runs it: the keys only it has, its defaults, how its settings are read
/// from a `[[service]]` table and written back, where it listens by default, and how it starts.
///
/// Each kind has one conforming type in `Services/` (``ServiceKind/definition`` picks it), so adding a kind
/// means adding a file and a case, not editing the reader, the renderer and the launcher.
protocol ServiceKindDefinition: Sendable {
    /// The keys only this kind has, after the common ones and the transport parameters.
    var keys: [ConfigurationKey] { get }
    /// The settings used when a `[[service]]` of this kind gives none.
    var defaultSettings: ServiceSettings { get }
    /// Where the service listens when `listen` is not given; nil when the kind has no customary port.
    func defaultPort(plan: PortPlan) -> Port?
    /// The transports used when `transport` is not given.
    var defaultTransports: [Transport] { get }
    /// The transports the application can serve.
    var supportedTransports: [Transport] { get }
    /// The connection limit used when `max-connections` is not given.
    var defaultMaximumConnections: Int? { get }

    /// The settings of `table`, each key checked, missing keys taking their defaults.
    func read(_ table: ConfigurationTable) throws(ConfigurationError) -> ServiceSettings
    /// Checks the endpoints read from `listen` against what the kind can serve.
    func check(listen: [Endpoint], in table: ConfigurationTable, plan: PortPlan) throws(ConfigurationError)
    /// The settings as TOML values, key by key in the order they are written; nil for an unset key.
    func values(of settings: ServiceSettings) -> [(key: String, value: String?)]

    /// Starts the service, with paths relative to `host`'s data folder; throws when it cannot.
    func launch(
        _ service: ServiceConfiguration, in host: HostConfiguration, logger: Logger
    ) async throws
        -> StartedService
    /// The welcome page's hint on how to try the service, given the port it listens on (HTML).
    func welcomeHint(port: String) -> String
    /// The folder of Maildirs the service stores into or reads from, if it is a mail service.
    func mailStore(of settings: ServiceSettings) -> String?
}

extension ServiceKindDefinition {
    var defaultTransports: [Transport] { [.tcp] }
    var supportedTransports: [Transport] { [.tcp, .unix] }
    var defaultMaximumConnections: Int? { nil }
    func check(listen: [Endpoint], in table: ConfigurationTable, plan: PortPlan) throws(ConfigurationError) {}
    func mailStore(of settings: ServiceSettings) -> String? { nil }
}
