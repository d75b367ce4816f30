// The BitTorrent tracker as a service of the host: its keys, defaults, reading, writing, port and launch.

import Doorway
import DoorwayTorrent
import Logging

/// `kind = "tracker"`: an open HTTP ``TrackerServer`` with the limits of ``TrackerState/Limits``.
struct TrackerService: ServiceKindDefinition {
    private static let defaults = TrackerState.Limits()

    let keys: [ConfigurationKey] = {
        let limits = TrackerService.defaults
        return [
            ConfigurationKey(
                "interval", "Seconds peers wait between announces (default \(limits.interval)).", example: "1800"),
            ConfigurationKey(
                "max-torrents", "The most torrents tracked (default \(limits.maximumSwarms)).", example: "1000"),
            ConfigurationKey(
                "max-peers", "The most peers tracked per torrent (default \(limits.maximumPeersPerSwarm)).",
                example: "1000"),
        ]
    }()

    var defaultSettings: ServiceSettings { .tracker(Self.defaults) }

    func defaultPort(plan: PortPlan) -> Port? { plan.trackerPort }

    func read(_ table: ConfigurationTable) throws(ConfigurationError) -> ServiceSettings {
        var limits = Self.defaults
        if let interval = try table.limit("interval") {
            limits.interval = interval
            limits.peerLifetime = TrackerState.Limits.peerLifetime(interval: interval)
        }
        limits.maximumSwarms = try table.limit("max-torrents") ?? limits.maximumSwarms
        limits.maximumPeersPerSwarm = try table.limit("max-peers") ?? limits.maximumPeersPerSwarm
        return .tracker(limits)
    }

    func values(of settings: ServiceSettings) -> [(key: String, value: String?)] {
        guard case .tracker(let limits) = settings else { return [] }
        return [
            ("interval", String(limits.interval)),
            ("max-torrents", String(limits.maximumSwarms)),
            ("max-peers", String(limits.maximumPeersPerSwarm)),
        ]
    }

    func launch(
        _ service: ServiceConfiguration, in host: HostConfiguration, logger: Logger
    ) async throws
        -> StartedService
    {
        guard case .tracker(let limits) = service.settings else { throw HostError.settings(of: service) }
        let server =
            service.maximumConnections.map { TrackerServer(limits: limits, maximumConnections: $0) }
            ?? TrackerServer(limits: limits)
        var parameters = service.parameters
        if parameters.idleTimeout == nil { parameters.idleTimeout = server.idleTimeout }
        return try await StartedService.bind(service, parameters: parameters, initializer: server.initializer)
    }

    func welcomeHint(port: String) -> String {
        "BitTorrent: <code>http://HOST:\(port)/announce</code>"
    }
}
