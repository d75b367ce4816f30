// `door torrent get`: download a torrent, verifying every piece, and optionally seed it afterwards.

import ArgumentParser
import DoorwayTorrent

struct TorrentGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Download a torrent, verifying every piece; resumes where an earlier run stopped.",
        discussion: "Exits 0 once the data is complete and verified (or keeps seeding with --seed).")

    @Argument(help: "The .torrent file.")
    var file: String

    @Option(name: .short, help: ArgumentHelp("The folder to download into (default: .).", valueName: "DIR"))
    var output = "."

    @Flag(help: "Keep seeding once complete, until interrupted.")
    var seed = false

    @OptionGroup var options: PeerOptions

    func run() async throws {
        try await reportingErrors {
            let metainfo = try loadMetainfo(file)
            let peer = TorrentPeer(
                metainfo: metainfo, root: output, configuration: try options.configuration(),
                logger: .door("door.torrent"))
            try await peer.start(checkingAs: "checking")
            let started = try await peer.progress
            if started.piecesHave > 0 {
                printNow("door: resuming: \(started.piecesHave) of \(started.pieceCount) pieces already here")
            }
            switch await peer.run(showing: "downloading", until: { try await peer.waitUntilComplete() }) {
            case .finished: break
            case .interrupted: throw ExitCode(130)
            case .failed(let reason): throw fail(reason)
            }
            let done = try await peer.progress
            printNow(
                "door: \(metainfo.name) complete and verified (\(done.pieceCount) pieces, \(ByteCount(Int(done.totalBytes)))); downloaded \(done.downloaded) bytes, uploaded \(done.uploaded) bytes"
            )
            if seed {
                printNow("door: seeding until interrupted")
                await peer.run(showing: "seeding", until: nil)
            } else {
                await peer.stop()
            }
        }
    }
}
