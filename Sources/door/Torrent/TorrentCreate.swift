// `door torrent create`: make a .torrent for a file or a folder.

import ArgumentParser
import DoorwayTorrent
import Foundation
import NIOConcurrencyHelpers

struct TorrentCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Make a .torrent for a file or a folder (hashing on every core, with progress)."
    )

    @Argument(help: "The file or folder to share.")
    var path: String

    @Option(name: .customLong("tracker"), help: ArgumentHelp("An announce URL; repeatable.", valueName: "URL"))
    var trackers: [String] = []

    @Option(
        name: .customLong("piece-size"), help: "Bytes per piece (default: chosen from the size, as Transmission does).")
    var pieceSize: Int?

    @Flag(name: .customLong("private"), help: "Mark it private (BEP 27): peers come from the tracker only.")
    var isPrivate = false

    @Option(help: "A comment stored in the torrent.")
    var comment: String?

    @Option(name: .short, help: ArgumentHelp("The .torrent to write.", valueName: "FILE"))
    var output: String

    func validate() throws {
        if let pieceSize, pieceSize < 16 * 1024 || pieceSize > 64 << 20 {
            throw ValidationError("--piece-size must be between 16 KiB (16384) and 64 MiB")
        }
    }

    func run() async throws {
        let bar = NIOLockedValueBox(ProgressBar(name: "hashing"))
        let bytes: [UInt8]
        do {
            bytes = try await TorrentCreator.create(
                from: path, trackers: trackers, pieceLength: pieceSize, isPrivate: isPrivate, comment: comment,
                progress: { done, total in bar.withLockedValue { $0.show(pieces: done, of: total) } })
        } catch {
            throw fail("\(error)")
        }
        bar.withLockedValue { $0.finish() }
        guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
            throw fail("cannot write \(output): \(String(cString: strerror(errno)))")
        }
        let metainfo = try Metainfo(decoding: bytes)
        printNow(
            "door: \(output): \(metainfo.name), \(metainfo.pieceCount) pieces of \(metainfo.pieceLength) bytes, info-hash \(metainfo.infoHash)"
        )
    }
}
