// Creating torrents: automatic piece size, the builder (byte-identical to mktorrent) and the incremental hasher.

import DoorwayBasics
import DoorwayTorrent
import Testing

struct CreationTests {
    @Test func automaticPieceSizeTable() {
        let kib = 1024
        let mib = 1024 * kib
        let gib = Int64(1024 * mib)
        let table: [(total: Int64, expected: Int)] = [
            (0, 16 * kib),
            (1, 16 * kib),
            (16 * 1024 * 2048, 16 * kib),
            (16 * 1024 * 2048 + 1, 32 * kib),
            (100 * Int64(mib), 64 * kib),
            (700 * Int64(mib), 512 * kib),
            (gib, 512 * kib),
            (gib + 1, mib),
            (4 * gib, 2 * mib),
            (32 * gib, 16 * mib),
            (1024 * gib, 16 * mib),
        ]
        for row in table {
            #expect(PieceSize.automatic(forTotalLength: row.total) == row.expected, "total \(row.total)")
        }
    }

    @Test func automaticPieceSizeAimsForUpTo2048Pieces() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<1_000 {
            let total = Int64.random(in: (32 * 1024 * 1024 + 1)...(32 * 1024 * 1024 * 1024), using: &rng)
            let size = PieceSize.automatic(forTotalLength: total)
            #expect(size & (size - 1) == 0)
            let pieces = (total + Int64(size) - 1) / Int64(size)
            #expect((1025...2048).contains(pieces))
        }
    }

    @Test func builderReproducesMktorrentSingleFileByteForByte() throws {
        var hasher = PieceHasher(pieceLength: 32_768)
        hasher.update(FixtureData.single)
        hasher.finish()
        let builder = MetainfoBuilder(
            name: "single.bin",
            content: .singleFile(length: 100_000),
            pieceLength: 32_768,
            pieceHashes: hasher.pieceHashes,
            trackers: ["http://tracker.example.com/announce"],
            createdBy: "mktorrent 1.1",
            creationDate: 1_795_638_116
        )
        #expect(try builder.build() == Fixtures.mktorrentSingle)
    }

    @Test func builderReproducesMktorrentMultiFileByteForByte() throws {
        var hasher = PieceHasher(pieceLength: 32_768)
        hasher.update(FixtureData.multi)
        hasher.finish()
        var builder = MetainfoBuilder(
            name: "multi",
            content: .files([
                .init(path: try SafePath(["a.txt"]), length: 14_000),
                .init(path: try SafePath(["empty.txt"]), length: 0),
                .init(path: try SafePath(relativePath: "sub/b.bin"), length: 40_000),
                .init(path: try SafePath(relativePath: "sub/c.dat"), length: 5_000),
            ]),
            pieceLength: 32_768,
            pieceHashes: hasher.pieceHashes,
            comment: "multi fixture",
            createdBy: "mktorrent 1.1",
            creationDate: 1_795_638_116
        )
        builder.trackerTiers = [
            ["http://t1.example.com/announce", "http://t1b.example.com/announce"],
            ["udp://t2.example.com:6969"],
        ]
        #expect(try builder.build() == Fixtures.mktorrentMulti)
    }

    @Test func builtTorrentRoundTrips() throws {
        let data = FixtureData.generate(count: 70_000, seed: 11)
        let pieceLength = 16_384
        let hashes = stride(from: 0, to: data.count, by: pieceLength).map {
            PieceHasher.hash(piece: data[$0..<min($0 + pieceLength, data.count)])
        }
        let builder = MetainfoBuilder(
            name: "set",
            content: .files([
                .init(path: try SafePath(["one"]), length: 30_000),
                .init(path: try SafePath([".pad", "0"]), length: 2_768, isPadding: true),
                .init(path: try SafePath(["two", "three"]), length: 37_232),
            ]),
            pieceLength: pieceLength,
            pieceHashes: hashes,
            trackers: ["http://a/announce", "udp://b:80"],
            isPrivate: true,
            comment: "round trip",
            createdBy: "Doorway",
            creationDate: 1_700_000_000
        )
        let bytes = try builder.build()
        let metainfo = try Metainfo(decoding: bytes)
        #expect(metainfo.infoHash.description == sha1Hex(try builder.infoDictionary().encoded))
        #expect(metainfo.name == "set")
        #expect(metainfo.pieces == hashes)
        #expect(metainfo.files.map(\.relativePath) == ["set/one", "set/.pad/0", "set/two/three"])
        #expect(metainfo.files.map(\.isPadding) == [false, true, false])
        #expect(metainfo.isPrivate)
        #expect(metainfo.announce == "http://a/announce")
        #expect(metainfo.announceList == [["http://a/announce"], ["udp://b:80"]])
        #expect(metainfo.comment == "round trip")
        #expect(metainfo.createdBy == "Doorway")
        #expect(metainfo.creationDate == 1_700_000_000)

        let single = MetainfoBuilder(
            name: "x", content: .singleFile(length: 1), pieceLength: 16, pieceHashes: [hashes[0]]
        )
        let decoded = try BencodeDecoder().decode(try single.build())
        #expect(decoded["announce"] == nil)
        #expect(decoded["announce-list"] == nil)
        #expect(decoded["info"]?["private"] == nil)
    }

    @Test func builderRefusesInvalidTorrents() throws {
        let hash = [UInt8](repeating: 0, count: 20)
        func error(_ builder: MetainfoBuilder) -> MetainfoError? {
            do {
                _ = try builder.build()
                return nil
            } catch {
                return error
            }
        }
        var builder = MetainfoBuilder(
            name: "..", content: .singleFile(length: 10), pieceLength: 16, pieceHashes: [hash]
        )
        guard case .unsafePath("info.name", _) = error(builder) else {
            Issue.record("name .. accepted")
            return
        }
        builder.name = "ok"
        #expect(error(builder) == nil)
        builder.pieceHashes = [hash, hash]
        #expect(error(builder) == .pieceCountMismatch(expected: 1, actual: 2))
        builder.pieceHashes = [[1, 2, 3]]
        #expect(error(builder) == .invalidField(field: "pieces[0]", problem: "is 3 bytes, not 20"))
        builder.pieceHashes = [hash]
        builder.content = .files([
            .init(path: try SafePath(["a"]), length: 5),
            .init(path: try SafePath(["a"]), length: 5),
        ])
        #expect(error(builder) == .duplicatePath("ok/a"))
        builder.content = .files([])
        #expect(error(builder) != nil)
    }

    @Test func hasherIsIndependentOfChunking() {
        let data = FixtureData.multi
        let pieceLength = 10_000
        let expected = stride(from: 0, to: data.count, by: pieceLength).map {
            PieceHasher.hash(piece: data[$0..<min($0 + pieceLength, data.count)])
        }
        var rng = SplitMix64(seed: 99)
        for _ in 0..<20 {
            var hasher = PieceHasher(pieceLength: pieceLength)
            var emitted: [[UInt8]] = []
            var position = 0
            while position < data.count {
                let size = min(data.count - position, Int.random(in: 0...25_000, using: &rng))
                emitted += hasher.update(data[position..<position + size])
                position += size
            }
            emitted += hasher.finish()
            #expect(emitted == expected)
            #expect(hasher.pieceHashes == expected)
            #expect(hasher.byteCount == Int64(data.count))
        }
    }

    @Test func hasherFinishOnExactMultipleEmitsNothing() {
        var hasher = PieceHasher(pieceLength: 4)
        #expect(hasher.update(bytes("abcdefgh")).count == 2)
        #expect(hasher.finish().isEmpty)
        #expect(hasher.pieceHashes == [bytes("abcd")[...], bytes("efgh")[...]].map(PieceHasher.hash(piece:)))
        // SHA-1("abc"), FIPS 180 test vector.
        #expect(sha1Hex(bytes("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        var empty = PieceHasher(pieceLength: 4)
        #expect(empty.finish().isEmpty)
    }
}
