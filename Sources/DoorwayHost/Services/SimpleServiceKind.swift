// The simple services (RFC 862–868) as services of the host: their ports, transports and launch.

import Doorway
import DoorwayServices
import Logging

/// `kind = "echo"`, `"discard"`, `"daytime"`, `"chargen"`, `"qotd"` or `"time"`: a ``SimpleService`` over
/// TCP and UDP on its well-known port (as root) or 10000 above it. They take no settings of their own.
struct SimpleServiceKind: ServiceKindDefinition {
    let service: SimpleService

    let keys: [ConfigurationKey] = []

    var defaultSettings: ServiceSettings { .plain }

    func defaultPort(plan: PortPlan) -> Port? { plan.port(for: service) }

    /// Only the simple services answer datagrams.
    var defaultTransports: [Transport] { [.tcp, .udp] }
    var supportedTransports: [Transport] { [.tcp, .udp, .unix] }

    func read(_ table: ConfigurationTable) throws(ConfigurationError) -> ServiceSettings { .plain }

    func values(of settings: ServiceSettings) -> [(key: String, value: String?)] { [] }

    func launch(
        _ configuration: ServiceConfiguration, in host: HostConfiguration, logger: Logger
    ) async throws
        -> StartedService
    {
        try await StartedService.bind(configuration) { service.initializer(transport: $0) }
    }

    func welcomeHint(port: String) -> String {
        "<code>door connect HOST:\(port)</code>"
    }
}
