// `door tracker serve`: an open BitTorrent tracker over HTTP.

import ArgumentParser
import Doorway
import DoorwayHTTP
import DoorwayHost
import DoorwayTorrent

struct TrackerServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run an open HTTP tracker (/announce and /scrape) until SIGINT or SIGTERM.",
        discussion: """
            Open: it tracks any torrent. Peers are kept in memory and forgotten after two announce intervals
            without news. Put http://HOST:PORT/announce in a torrent (door torrent create --tracker …).
            Example:
              door tracker serve --listen :6969
            """
    )

    @Option(name: .customLong("listen"), help: ArgumentHelp("Where to wait (default :6969).", valueName: "ENDPOINT"))
    var endpoint = ":\(PortPlan.current.trackerPort)"

    @Option(help: "Seconds between a client's announces.")
    var interval = 1800

    @Option(name: .customLong("max-torrents"), help: "Torrents tracked at once; announces for more are refused.")
    var maximumTorrents = 100_000

    @Option(name: .customLong("max-peers"), help: "Peers tracked per torrent.")
    var maximumPeers = 10_000

    func validate() throws {
        if interval < 10 { throw ValidationError("--interval must be at least 10 seconds") }
        if maximumTorrents < 1 || maximumPeers < 1 {
            throw ValidationError("--max-torrents and --max-peers must be positive")
        }
    }

    func run() async throws {
        try await reportingErrors {
            var limits = TrackerState.Limits()
            limits.interval = interval
            limits.peerLifetime = TrackerState.Limits.peerLifetime(interval: interval)
            limits.maximumSwarms = maximumTorrents
            limits.maximumPeersPerSwarm = maximumPeers
            let tracker = TrackerServer(limits: limits)
            let server = try await tracker.serve(on: try Endpoint(parsing: endpoint))
            printNow(
                "door: tracker on \(server.localEndpoint): announce URL http://HOST:\(server.localEndpoint.port?.rawValue ?? 0)/announce"
            )
            await serveUntilSignalled([server], gracePeriod: .seconds(1))
        }
    }
}
