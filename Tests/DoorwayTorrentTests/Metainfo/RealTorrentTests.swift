// Torrents made by real tools (mktorrent, transmission-create) must decode to what those tools report, including
// the info-hash `transmission-show` printed, and their piece hashes must match the regenerated file contents.

import DoorwayTorrent
import Testing

struct RealTorrentTests {
    func verifyPieces(_ metainfo: Metainfo, data: [UInt8]) {
        var hasher = PieceHasher(pieceLength: metainfo.pieceLength)
        hasher.update(data)
        hasher.finish()
        #expect(hasher.pieceHashes == metainfo.pieces)
    }

    @Test func mktorrentSingleFile() throws {
        let metainfo = try Metainfo(decoding: Fixtures.mktorrentSingle)
        // transmission-show: "Hash: f401a7ba3b7e41d8444c445ee7e9bf406f9f87ac"
        #expect(metainfo.infoHash.description == "f401a7ba3b7e41d8444c445ee7e9bf406f9f87ac")
        #expect(metainfo.name == "single.bin")
        #expect(!metainfo.isMultiFile)
        #expect(metainfo.files.map(\.relativePath) == ["single.bin"])
        #expect(metainfo.totalLength == 100_000)
        #expect(metainfo.pieceLength == 32_768)
        #expect(metainfo.pieceCount == 4)
        #expect(metainfo.length(ofPiece: 3) == 100_000 - 3 * 32_768)
        #expect(metainfo.announce == "http://tracker.example.com/announce")
        #expect(metainfo.trackers == ["http://tracker.example.com/announce"])
        #expect(metainfo.createdBy == "mktorrent 1.1")
        #expect(metainfo.creationDate == 1_795_638_116)
        #expect(!metainfo.isPrivate)
        verifyPieces(metainfo, data: FixtureData.single)
    }

    @Test func mktorrentMultiFile() throws {
        let metainfo = try Metainfo(decoding: Fixtures.mktorrentMulti)
        // transmission-show: "Hash: 8e354d25a0a10e42b44770b91e2579de9e6a5335"
        #expect(metainfo.infoHash.description == "8e354d25a0a10e42b44770b91e2579de9e6a5335")
        #expect(metainfo.name == "multi")
        #expect(metainfo.isMultiFile)
        #expect(
            metainfo.files.map(\.relativePath)
                == ["multi/a.txt", "multi/empty.txt", "multi/sub/b.bin", "multi/sub/c.dat"]
        )
        #expect(metainfo.files.map(\.length) == [14_000, 0, 40_000, 5_000])
        #expect(metainfo.files.map(\.offset) == [0, 14_000, 14_000, 54_000])
        #expect(metainfo.totalLength == 59_000)
        #expect(metainfo.pieceLength == 32_768)
        #expect(metainfo.pieceCount == 2)
        #expect(metainfo.comment == "multi fixture")
        #expect(
            metainfo.announceList == [
                ["http://t1.example.com/announce", "http://t1b.example.com/announce"],
                ["udp://t2.example.com:6969"],
            ]
        )
        #expect(metainfo.trackers.count == 3)
        let first = metainfo.fileSpans(ofPiece: 0).map { [$0.file, Int($0.offset), $0.length] }
        #expect(first == [[0, 0, 14_000], [2, 0, 18_768]])
        let second = metainfo.fileSpans(ofPiece: 1).map { [$0.file, Int($0.offset), $0.length] }
        #expect(second == [[2, 18_768, 21_232], [3, 0, 5_000]])
        verifyPieces(metainfo, data: FixtureData.multi)
    }

    @Test func transmissionCreateSingleFile() throws {
        let metainfo = try Metainfo(decoding: Fixtures.transmissionSingle)
        // transmission-show: "Hash: 5f3be7934980d0e9cc570b3cc0fcadf2ef4e1f8d"
        #expect(metainfo.infoHash.description == "5f3be7934980d0e9cc570b3cc0fcadf2ef4e1f8d")
        #expect(metainfo.infoHash == InfoHash(hex: "5f3be7934980d0e9cc570b3cc0fcadf2ef4e1f8d"))
        #expect(metainfo.name == "single.bin")
        #expect(metainfo.files.map(\.relativePath) == ["single.bin"])
        #expect(metainfo.totalLength == 100_000)
        #expect(metainfo.pieceLength == 32_768)
        #expect(metainfo.isPrivate)
        #expect(metainfo.comment == "Doorway fixture")
        #expect(metainfo.createdBy == "Transmission/3.00 (bb6b5a062e)")
        #expect(metainfo.trackers == ["http://tr.example.org/announce"])
        verifyPieces(metainfo, data: FixtureData.single)
    }

    @Test func realTorrentsAreCanonicalBencode() throws {
        for fixture in [Fixtures.mktorrentSingle, Fixtures.mktorrentMulti, Fixtures.transmissionSingle] {
            #expect(try BencodeDecoder().decode(fixture).encoded == fixture)
        }
    }
}
