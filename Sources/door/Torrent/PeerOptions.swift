// The options `door torrent seed` and `door torrent get` share: where the peer listens and whom it meets.

import ArgumentParser
import Doorway
import DoorwayHost
import DoorwayTorrent

/// What seed and get share: where to listen, and running until done or interrupted.
struct PeerOptions: ParsableArguments {
    @Option(
        name: .customLong("listen"),
        help: ArgumentHelp("Where other peers connect (default :6881).", valueName: "ENDPOINT"))
    var listen = ":\(PortPlan.current.firstSeedPort)"

    @Option(
        name: .customLong("peer"),
        help: ArgumentHelp("Also connect to this peer (HOST:PORT); repeatable.", valueName: "ENDPOINT"))
    var peers: [String] = []

    @Option(
        name: .customLong("tracker"),
        help: ArgumentHelp("Another tracker besides the torrent's; repeatable.", valueName: "URL"))
    var trackers: [String] = []

    func configuration() throws -> TorrentPeer.Configuration {
        var configuration = TorrentPeer.Configuration()
        configuration.listen = try Endpoint(parsing: listen)
        configuration.peers = try peers.map { try Endpoint(parsing: $0) }
        configuration.trackers = trackers
        return configuration
    }
}
