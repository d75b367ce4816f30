// `door torrent info`: show what a .torrent describes.

import ArgumentParser
import DoorwayTorrent
import Foundation

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
        print(
            "trackers:   \(summary.trackers.isEmpty ? "(none)" : summary.trackers.joined(separator: "\n            "))")
        print("files:")
        for file in summary.files { print("  \(file.path)  (\(file.length) bytes)") }
    }
}
