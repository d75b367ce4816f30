// The seeds as a service of the host: their key, default, reading, writing, ports and launch.

import Doorway
import Logging

/// `kind = "seed"`: ``HostSeeds``, one BitTorrent seed per torrent in a folder, the first on the service's
/// port and each further one on the next.
struct SeedService: ServiceKindDefinition {
    let keys = [
        ConfigurationKey(
            "torrents",
            "The folder of .torrent files (default \"\(HostSeeds.Configuration().torrents)\"); "
                + "each further torrent takes the next port.",
            example: "\"torrents\"")
    ]

    var defaultSettings: ServiceSettings { .seed(HostSeeds.Configuration()) }

    func defaultPort(plan: PortPlan) -> Port? { plan.firstSeedPort }

    /// Seeds need IP ports, since each further torrent takes the next one.
    var supportedTransports: [Transport] { [.tcp] }

    func read(_ table: ConfigurationTable) throws(ConfigurationError) -> ServiceSettings {
        var seed = HostSeeds.Configuration()
        seed.torrents = try table.text("torrents") ?? seed.torrents
        return .seed(seed)
    }

    func check(listen: [Endpoint], in table: ConfigurationTable, plan: PortPlan) throws(ConfigurationError) {
        guard listen.count != 1 else { return }
        throw table.error(
            "listen", "seeds listen on one port, the first of a range: each further torrent takes the next",
            fix: "write listen = \":\(plan.firstSeedPort)\"")
    }

    func values(of settings: ServiceSettings) -> [(key: String, value: String?)] {
        guard case .seed(let seed) = settings else { return [] }
        return [("torrents", TOMLText.quoted(seed.torrents))]
    }

    func launch(
        _ service: ServiceConfiguration, in host: HostConfiguration, logger: Logger
    ) async throws
        -> StartedService
    {
        guard case .seed(let seed) = service.settings else { throw HostError.settings(of: service) }
        let first = service.listen.first ?? .host(.any, port: PortPlan.current.firstSeedPort)
        let seeds = await HostSeeds.start(
            folder: HostConfiguration.path(seed.torrents, in: host.dataFolder), first: first, logger: logger)
        for skipped in seeds.skipped { logger.warning("not seeding \(skipped.torrent): \(skipped.reason)") }
        return StartedService(configuration: service, seeds: seeds)
    }

    func welcomeHint(port: String) -> String {
        "seeds each torrent in <code>torrents/</code> whose data lies beside it, from this port up"
    }
}

extension HostSeeds {
    /// The seeds' settings: the folder of `.torrent` files and their content.
    public struct Configuration: Sendable, Hashable {
        /// The folder of `.torrent` files and their content (`torrents`), "torrents" by default.
        public var torrents: String

        public init(torrents: String = "torrents") {
            self.torrents = torrents
        }
    }
}
