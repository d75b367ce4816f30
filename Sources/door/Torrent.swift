// `door torrent create|info|seed|get`: peer-to-peer file transfer over BitTorrent.

import ArgumentParser
import Doorway
import DoorwayTorrent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import UnixSignals

struct Torrent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "BitTorrent: make torrents, seed them, download them.",
        discussion: """
            Each peer is a server when it uploads and a client when it downloads. Peers find each other through
            a tracker (door tracker serve, or any open tracker).
            Example:
              door tracker serve --listen :6969 &
              door torrent create big.iso --tracker http://192.0.2.1:6969/announce -o big.torrent
              door torrent seed big.torrent --data big.iso
              door torrent get big.torrent -o downloads      (on another machine)
            """,
        subcommands: [TorrentCreate.self, TorrentInfo.self, TorrentSeed.self, TorrentGet.self]
    )
}

/// Reads and decodes a .torrent file, or fails with the file's name and the problem.
func loadMetainfo(_ path: String) throws -> Metainfo {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw fail("cannot read \(path): \(String(cString: strerror(errno)))")
    }
    do {
        return try Metainfo(decoding: Array(data))
    } catch {
        throw fail("\(path) is not a usable torrent: \(error)")
    }
}

struct TorrentCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Make a .torrent for a file or a folder (hashing on every core, with progress)."
    )

    @Argument(help: "The file or folder to share.")
    var path: String

    @Option(name: .customLong("tracker"), help: ArgumentHelp("An announce URL; repeatable.", valueName: "URL"))
    var trackers: [String] = []

    @Option(name: .customLong("piece-size"), help: "Bytes per piece (default: chosen from the size, as Transmission does).")
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
        let bar = NIOLockedValueBox(TorrentProgressLine(name: "hashing"))
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
        printNow("door: \(output): \(metainfo.name), \(metainfo.pieceCount) pieces of \(metainfo.pieceLength) bytes, info-hash \(metainfo.infoHash)")
    }
}

struct TorrentInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show a torrent: name, info-hash, size, pieces, files, trackers.")

    @Argument(help: "The .torrent file.")
    var file: String

    @Flag(help: "Print JSON.")
    var json = false

    struct Summary: Encodable {
        struct File: Encodable {
            var path: String
            var length: Int64
        }

        var name: String
        var infoHash: String
        var totalLength: Int64
        var pieceLength: Int
        var pieces: Int
        var isPrivate: Bool
        var files: [File]
        var trackers: [String]
        var comment: String?
        var createdBy: String?
        var creationDate: Int64?
    }

    func run() throws {
        let metainfo = try loadMetainfo(file)
        let summary = Summary(
            name: metainfo.name, infoHash: metainfo.infoHash.description, totalLength: metainfo.totalLength,
            pieceLength: metainfo.pieceLength, pieces: metainfo.pieceCount, isPrivate: metainfo.isPrivate,
            files: metainfo.files.map { .init(path: $0.relativePath, length: $0.length) },
            trackers: metainfo.trackers, comment: metainfo.comment, createdBy: metainfo.createdBy,
            creationDate: metainfo.creationDate)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            return
        }
        print("name:       \(summary.name)")
        print("info-hash:  \(summary.infoHash)")
        print("size:       \(ByteCount(Int(summary.totalLength))) (\(summary.totalLength) bytes)")
        print("pieces:     \(summary.pieces) of \(ByteCount(summary.pieceLength))")
        if summary.isPrivate { print("private:    yes") }
        if let comment = summary.comment { print("comment:    \(comment)") }
        if let createdBy = summary.createdBy { print("created by: \(createdBy)") }
        print("trackers:   \(summary.trackers.isEmpty ? "(none)" : summary.trackers.joined(separator: "\n            "))")
        print("files:")
        for file in summary.files { print("  \(file.path)  (\(file.length) bytes)") }
    }
}

/// What seed and get share: where to listen, and running until done or interrupted.
struct PeerOptions: ParsableArguments {
    @Option(name: .customLong("listen"), help: ArgumentHelp("Where other peers connect (default :6881).", valueName: "ENDPOINT"))
    var listen = ":6881"

    @Option(name: .customLong("peer"), help: ArgumentHelp("Also connect to this peer (HOST:PORT); repeatable.", valueName: "ENDPOINT"))
    var peers: [String] = []

    @Option(name: .customLong("tracker"), help: ArgumentHelp("Another tracker besides the torrent's; repeatable.", valueName: "URL"))
    var trackers: [String] = []

    func configuration() throws -> TorrentPeer.Configuration {
        var configuration = TorrentPeer.Configuration()
        configuration.listen = try Endpoint(parsing: listen)
        configuration.peers = try peers.map { try Endpoint(parsing: $0) }
        configuration.trackers = trackers
        return configuration
    }
}

struct TorrentSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Verify the data, then serve it to other peers until interrupted.")

    @Argument(help: "The .torrent file.")
    var file: String

    @Option(help: ArgumentHelp("The data: the file itself, or the folder holding the torrent's folder.", valueName: "PATH"))
    var data: String

    @OptionGroup var options: PeerOptions

    func run() async throws {
        try await reportingErrors {
            let metainfo = try loadMetainfo(file)
            let root = TorrentCreator.root(forData: data, metainfo: metainfo)
            let peer = TorrentPeer(metainfo: metainfo, root: root, writable: false, configuration: try options.configuration(), logger: .lines(label: "door.torrent") { printError("door: \($0)") })
            let bar = NIOLockedValueBox(TorrentProgressLine(name: "verifying"))
            do {
                try await peer.start(verifying: { done, total in bar.withLockedValue { $0.show(pieces: done, of: total) } })
            } catch let error as TorrentStorageError {
                throw fail("\(error)")
            }
            bar.withLockedValue { $0.finish() }
            let progress = try await peer.progress
            guard progress.isComplete else {
                await peer.stop()
                throw fail("\(data) has \(progress.piecesHave) of \(progress.pieceCount) pieces right: it is not this torrent's data")
            }
            printNow("door: seeding \(metainfo.name) (\(metainfo.infoHash)) on \(await peer.listenEndpoint?.description ?? options.listen)")
            await runUntilSignal(peer, showing: "seeding", until: nil)
        }
    }
}

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
            let peer = TorrentPeer(metainfo: metainfo, root: output, configuration: try options.configuration(), logger: .lines(label: "door.torrent") { printError("door: \($0)") })
            let bar = NIOLockedValueBox(TorrentProgressLine(name: "checking"))
            do {
                try await peer.start(verifying: { done, total in bar.withLockedValue { $0.show(pieces: done, of: total) } })
            } catch let error as TorrentStorageError {
                throw fail("\(error)")
            }
            bar.withLockedValue { $0.finish() }
            let started = try await peer.progress
            if started.piecesHave > 0 { printNow("door: resuming: \(started.piecesHave) of \(started.pieceCount) pieces already here") }
            switch await runUntilSignal(peer, showing: "downloading", until: { try await peer.waitUntilComplete() }) {
            case .finished: break
            case .interrupted: throw ExitCode(130)
            case .failed(let reason): throw fail(reason)
            }
            let done = try await peer.progress
            printNow("door: \(metainfo.name) complete and verified (\(done.pieceCount) pieces, \(ByteCount(Int(done.totalBytes)))); downloaded \(done.downloaded) bytes, uploaded \(done.uploaded) bytes")
            if seed {
                printNow("door: seeding until interrupted")
                await runUntilSignal(peer, showing: "seeding", until: nil)
            } else {
                await peer.stop()
            }
        }
    }
}

/// How a peer's run ended.
enum PeerRunEnd: Sendable {
    case finished
    case interrupted
    case failed(String)
}

/// Shows progress until `until` returns or fails, or SIGINT/SIGTERM arrives; stops the peer unless `until`
/// finished (the caller decides whether to go on seeding).
@discardableResult
func runUntilSignal(_ peer: TorrentPeer, showing label: String, until: (@Sendable () async throws -> Void)?) async -> PeerRunEnd {
    let end = await withTaskGroup(of: PeerRunEnd?.self) { group in
        group.addTask {
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return .interrupted }
            return nil
        }
        group.addTask {
            var line = TorrentProgressLine(name: label)
            while !Task.isCancelled {
                if let progress = try? await peer.progress { line.show(progress) }
                try? await Task.sleep(for: .seconds(1))
            }
            return nil
        }
        if let until {
            group.addTask {
                do {
                    try await until()
                    return .finished
                } catch {
                    return .failed("\(error)")
                }
            }
        }
        var end: PeerRunEnd = .interrupted
        while let next = await group.next() {
            if let next {
                end = next
                break
            }
        }
        group.cancelAll()
        return end
    }
    if case .finished = end {} else { await peer.stop() }
    return end
}

/// Torrent progress on standard error: a redrawn line on a terminal, otherwise a line every 5 seconds.
struct TorrentProgressLine {
    let name: String
    private let terminal = isatty(STDERR_FILENO) == 1
    private var lastDraw = ContinuousClock.now - .seconds(60)
    private var drew = false

    init(name: String) {
        self.name = name
    }

    mutating func show(pieces done: Int, of total: Int) {
        guard due(final: done == total) else { return }
        write("\(name) \(percent(Double(done) / Double(max(total, 1)))) (\(done)/\(total) pieces)")
    }

    mutating func show(_ progress: TorrentPeer.Progress) {
        guard due(final: false) else { return }
        let fraction = Double(progress.bytesHave) / Double(max(progress.totalBytes, 1))
        var text = "\(name) \(percent(fraction)) \(ByteCount(Int(progress.downloadRate)))/s down \(ByteCount(Int(progress.uploadRate)))/s up, \(progress.peers) peers"
        if progress.downloadRate > 0, !progress.isComplete {
            let seconds = Int(Double(progress.totalBytes - progress.bytesHave) / progress.downloadRate)
            text += ", ETA \(seconds / 60):\(String(format: "%02d", seconds % 60))"
        }
        write(text)
    }

    mutating func finish() {
        if terminal && drew { try? StandardOutput.write(ByteBuffer(string: "\n"), to: StandardOutput.error) }
    }

    private mutating func due(final: Bool) -> Bool {
        let interval: Duration = terminal ? .milliseconds(200) : .seconds(5)
        guard final || ContinuousClock.now - lastDraw >= interval else { return false }
        lastDraw = .now
        return true
    }

    private mutating func write(_ text: String) {
        drew = true
        let line = terminal ? "\r" + text + "\u{1B}[K" : text + "\n"
        try? StandardOutput.write(ByteBuffer(string: line), to: StandardOutput.error)
    }

    private func percent(_ fraction: Double) -> String {
        String(format: "%5.1f%%", min(max(fraction, 0), 1) * 100)
    }
}
