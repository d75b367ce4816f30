// `door torrent create|info|seed|get`: peer-to-peer file transfer over BitTorrent.

import ArgumentParser
import DoorwayTorrent
import Foundation

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
