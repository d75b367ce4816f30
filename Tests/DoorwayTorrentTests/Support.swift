// Shared helpers for the DoorwayTorrent tests: byte literals and torrent construction.

import DoorwayTorrent
import Foundation

func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

func base64(_ text: String) -> [UInt8] {
    [UInt8](Data(base64Encoded: text, options: .ignoreUnknownCharacters)!)
}

/// The deterministic file contents the fixture torrents were created from (see TorrentFixtures.swift).
enum FixtureData {
    static func generate(count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* seed &+ ($0 >> 8)) }
    }

    static let single = generate(count: 100_000, seed: 7)
    /// multi/a.txt, multi/empty.txt, multi/sub/b.bin, multi/sub/c.dat in that (sorted) order.
    static let multi =
        Array(String(repeating: "hello torrent\n", count: 1000).utf8)
        + generate(count: 40_000, seed: 13)
        + generate(count: 5_000, seed: 3)
}

/// A torrent file as a bencode value with one 20-byte zero hash per piece, for tests that vary single fields.
func torrent(
    name: BencodeValue = "data",
    pieceLength: Int64 = 16,
    pieceCount: Int? = nil,
    length: Int64? = nil,
    files: [(path: [String], length: Int64)]? = nil,
    extraInfo: [BencodeKey: BencodeValue] = [:]
) -> [UInt8] {
    var info = extraInfo
    info["name"] = name
    info["piece length"] = .integer(pieceLength)
    var total: Int64 = 0
    if let files {
        info["files"] = .list(
            files.map { file in
                .dictionary(["length": .integer(file.length), "path": .list(file.path.map { .string($0) })])
            })
        total = files.reduce(0) { $0 + $1.length }
    } else {
        info["length"] = .integer(length ?? 40)
        total = length ?? 40
    }
    let count = pieceCount ?? Int(max(0, (total + pieceLength - 1) / pieceLength))
    info["pieces"] = .bytes([UInt8](repeating: 0, count: 20 * count))
    return BencodeValue.dictionary(["announce": "http://t.example/announce", "info": .dictionary(info)]).encoded
}

func sha1Hex(_ data: some Sequence<UInt8>) -> String {
    PieceHasher.hash(piece: ArraySlice(data)).map { String(format: "%02x", $0) }.joined()
}
