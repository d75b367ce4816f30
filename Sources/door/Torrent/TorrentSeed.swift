// `door torrent seed`: verify a torrent's data, then serve it to other peers.

import ArgumentParser
import Doorway
import DoorwayTorrent

struct TorrentSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Verify the data, then serve it to other peers until interrupted.")

    @Argument(help: "The .torrent file.")
    var file: String

    @Option(
        help: ArgumentHelp("The data: the file itself, or the folder holding the torrent's folder.", valueName: "PATH"))
    var data: String

    @OptionGroup var options: PeerOptions

    func run() async throws {
        try await reportingErrors {
            let metainfo = try loadMetainfo(file)
            let root = TorrentCreator.root(forData: data, metainfo: metainfo)
            let peer = TorrentPeer(
                metainfo: metainfo, root: root, writable: false, configuration: try options.configuration(),
                logger: .door("door.torrent"))
            try await peer.start(checkingAs: "verifying")
            let progress = try await peer.progress
            guard progress.isComplete else {
                await peer.stop()
                throw fail(
                    "\(data) has \(progress.piecesHave) of \(progress.pieceCount) pieces right: it is not this torrent's data"
                )
            }
            printNow(
                "door: seeding \(metainfo.name) (\(metainfo.infoHash)) on \(await peer.listenEndpoint?.description ?? options.listen)"
            )
            await peer.run(showing: "seeding", until: nil)
        }
    }
}
