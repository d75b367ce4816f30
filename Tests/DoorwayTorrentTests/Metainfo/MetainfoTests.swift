// Metainfo decoding and validation: layouts, piece geometry, the raw-bytes info-hash and every field check.

import DoorwayTorrent
import Testing

/// Decodes `input` and returns the error, or nil when it was accepted.
func metainfoError(_ input: [UInt8]) -> MetainfoError? {
    do {
        _ = try Metainfo(decoding: input)
        return nil
    } catch {
        return error
    }
}

/// Re-encodes `input` with its info dictionary changed by `change`.
func modifyingInfo(_ input: [UInt8], _ change: (inout [BencodeKey: BencodeValue]) -> Void) -> [UInt8] {
    var root = (try! BencodeDecoder().decode(input)).dictionary!
    var info = root["info"]!.dictionary!
    change(&info)
    root["info"] = .dictionary(info)
    return BencodeValue.dictionary(root).encoded
}

struct MetainfoTests {
    @Test func singleFile() throws {
        let metainfo = try Metainfo(decoding: torrent(name: "movie.mkv", pieceLength: 16, length: 40))
        #expect(metainfo.name == "movie.mkv")
        #expect(!metainfo.isMultiFile)
        #expect(metainfo.totalLength == 40)
        #expect(metainfo.pieceLength == 16)
        #expect(metainfo.pieceCount == 3)
        #expect(metainfo.pieces.allSatisfy { $0.count == 20 })
        #expect(metainfo.files.count == 1)
        #expect(metainfo.files[0].path.components == ["movie.mkv"])
        #expect(metainfo.files[0].relativePath == "movie.mkv")
        #expect(metainfo.files[0].offset == 0)
        #expect(metainfo.files[0].length == 40)
        #expect(metainfo.length(ofPiece: 0) == 16)
        #expect(metainfo.length(ofPiece: 1) == 16)
        #expect(metainfo.length(ofPiece: 2) == 8)
        #expect(metainfo.fileSpans(ofPiece: 2).map { [$0.file, Int($0.offset), $0.length] } == [[0, 32, 8]])
        #expect(metainfo.announce == "http://t.example/announce")
        #expect(metainfo.trackers == ["http://t.example/announce"])
        #expect(!metainfo.isPrivate)
        #expect(metainfo.files[0].destination(under: "/srv/dl") == "/srv/dl/movie.mkv")
    }

    @Test func exactMultipleHasFullLastPiece() throws {
        let metainfo = try Metainfo(decoding: torrent(pieceLength: 16, length: 48))
        #expect(metainfo.pieceCount == 3)
        #expect(metainfo.length(ofPiece: 2) == 16)
    }

    @Test func multiFileLayoutAndSpans() throws {
        let files: [(path: [String], length: Int64)] = [
            (["a"], 10), (["empty"], 0), (["dir", "c"], 5), (["dir", "d"], 20),
        ]
        let metainfo = try Metainfo(decoding: torrent(name: "album", pieceLength: 16, files: files))
        #expect(metainfo.isMultiFile)
        #expect(metainfo.totalLength == 35)
        #expect(metainfo.files.map(\.relativePath) == ["album/a", "album/empty", "album/dir/c", "album/dir/d"])
        #expect(metainfo.files.map(\.offset) == [0, 10, 10, 15])
        #expect(metainfo.files[3].destination(under: "/srv/") == "/srv/album/dir/d")
        func spans(_ piece: Int) -> [[Int]] {
            metainfo.fileSpans(ofPiece: piece).map { [$0.file, Int($0.offset), $0.length] }
        }
        // Piece 0 covers three files with data; the zero-length file between them covers nothing.
        #expect(spans(0) == [[0, 0, 10], [2, 0, 5], [3, 0, 1]])
        #expect(spans(1) == [[3, 1, 16]])
        #expect(spans(2) == [[3, 17, 3]])
        #expect(metainfo.length(ofPiece: 2) == 3)
        for piece in 0..<metainfo.pieceCount {
            #expect(metainfo.fileSpans(ofPiece: piece).reduce(0) { $0 + $1.length } == metainfo.length(ofPiece: piece))
        }
    }

    @Test func zeroLengthFilesAtTheEdges() throws {
        let files: [(path: [String], length: Int64)] = [(["z0"], 0), (["a"], 16), (["z1"], 0), (["b"], 1), (["z2"], 0)]
        let metainfo = try Metainfo(decoding: torrent(pieceLength: 16, files: files))
        #expect(metainfo.fileSpans(ofPiece: 0).map(\.file) == [1])
        #expect(metainfo.fileSpans(ofPiece: 1).map(\.file) == [3])
        #expect(metainfo.fileSpans(ofPiece: 1).first?.length == 1)
    }

    @Test func paddingFilesAreMarkedAndCounted() throws {
        let input = modifyingInfo(torrent(pieceLength: 16, files: [(["a"], 10), (["pad"], 6), (["b"], 16)])) { info in
            var files = info["files"]!.list!
            var pad = files[1].dictionary!
            pad["attr"] = "p"
            files[1] = .dictionary(pad)
            var plain = files[2].dictionary!
            plain["attr"] = "x"
            files[2] = .dictionary(plain)
            info["files"] = .list(files)
        }
        let metainfo = try Metainfo(decoding: input)
        #expect(metainfo.files.map(\.isPadding) == [false, true, false])
        #expect(metainfo.files[2].offset == 16)
        #expect(metainfo.fileSpans(ofPiece: 1).map(\.file) == [2])
    }

    @Test func infoHashIsOverTheExactOriginalBytes() throws {
        // Unknown info keys (including non-UTF-8 ones) must be hashed as they are, not dropped by a re-encoding.
        let input = torrent(extraInfo: [
            "x-unknown": .list([1, "two", .dictionary(["k": -3])]),
            BencodeKey(bytes: [0xFE, 0xFF]): .bytes([0, 1, 2]),
        ])
        let marker = bytes("4:info")
        let start = (0...(input.count - marker.count)).first { Array(input[$0..<$0 + marker.count]) == marker }!
        // `info` is the last key of this torrent, so its value runs to just before the final `e`.
        let infoBytes = input[(start + marker.count)..<(input.count - 1)]
        #expect(infoBytes.first == UInt8(ascii: "d"))
        let metainfo = try Metainfo(decoding: input)
        #expect(metainfo.infoHash.description == sha1Hex(infoBytes))
        #expect(metainfo.infoHash.bytes.count == 20)
    }

    @Test func infoHashHexParsing() {
        let hash = InfoHash(hex: "F401A7BA3B7E41D8444C445EE7E9BF406F9F87AC")
        #expect(hash?.description == "f401a7ba3b7e41d8444c445ee7e9bf406f9f87ac")
        #expect(InfoHash(hex: "f401") == nil)
        #expect(InfoHash(hex: "g401a7ba3b7e41d8444c445ee7e9bf406f9f87ac") == nil)
        #expect(InfoHash(bytes: [UInt8](repeating: 1, count: 19)) == nil)
        #expect(InfoHash(bytes: [UInt8](repeating: 1, count: 20)) != nil)
    }

    @Test func pieceGeometryIsValidated() {
        let tooFew = torrent(pieceLength: 16, pieceCount: 2, length: 40)
        let tooMany = torrent(pieceLength: 16, pieceCount: 4, length: 40)
        #expect(metainfoError(tooFew) == .pieceCountMismatch(expected: 3, actual: 2))
        #expect(metainfoError(tooMany) == .pieceCountMismatch(expected: 3, actual: 4))
        #expect(
            metainfoError(torrent(pieceLength: 16, pieceCount: 2, length: 40))?.description
                == "metainfo: info.pieces: holds 2 hashes but the total length needs 3"
        )
        #expect(
            metainfoError(torrent(pieceLength: 0, pieceCount: 1))
                == .invalidField(
                    field: "info.piece length", problem: "must be between 1 and 67108864, got 0"
                ))
        #expect(metainfoError(torrent(pieceLength: -16, pieceCount: 1)) != nil)
        #expect(metainfoError(torrent(pieceLength: 64 * 1024 * 1024 + 1, pieceCount: 1)) != nil)
        #expect(metainfoError(torrent(pieceLength: 64 * 1024 * 1024)) == nil)
        // Not a power of two: allowed by BEP 3.
        #expect(metainfoError(torrent(pieceLength: 17, length: 40)) == nil)
        let ragged = modifyingInfo(torrent()) { $0["pieces"] = .bytes([UInt8](repeating: 0, count: 59)) }
        #expect(
            metainfoError(ragged) == .invalidField(field: "info.pieces", problem: "length 59 is not a multiple of 20")
        )
    }

    @Test func lengthsAreValidated() {
        #expect(
            metainfoError(torrent(length: 0))
                == .invalidField(field: "info", problem: "total length must be positive, got 0")
        )
        #expect(
            metainfoError(torrent(pieceCount: 0, length: -5))
                == .invalidField(
                    field: "info.length", problem: "must not be negative, got -5"
                ))
        #expect(metainfoError(torrent(files: [(["a"], 0)])) != nil)
        #expect(
            metainfoError(torrent(files: [(["a"], 20), (["b"], -4)]))
                == .invalidField(
                    field: "info.files[1].length", problem: "must not be negative, got -4"
                ))
        let overflow = modifyingInfo(torrent(files: [(["a"], 20), (["b"], 20)])) { info in
            info["files"] = .list([
                .dictionary(["length": .integer(Int64.max), "path": .list(["a"])]),
                .dictionary(["length": .integer(Int64.max), "path": .list(["b"])]),
            ])
        }
        #expect(
            metainfoError(overflow)
                == .invalidField(field: "info.files[1].length", problem: "total length overflows 64 bits")
        )
    }

    @Test func structureIsValidated() {
        #expect(metainfoError(bytes("li1ee")) == .wrongType(field: "top level", expected: "a dictionary"))
        #expect(metainfoError(bytes("d8:announce1:xe")) == .missingField("info"))
        #expect(metainfoError(bytes("d4:infoi1ee")) == .wrongType(field: "info", expected: "a dictionary"))
        #expect(metainfoError(bytes("d4:infod")) == .invalidBencode(BencodeError(.unexpectedEnd, at: 8)))
        #expect(metainfoError(modifyingInfo(torrent()) { $0["name"] = nil }) == .missingField("info.name"))
        #expect(
            metainfoError(modifyingInfo(torrent()) { $0["name"] = 5 })
                == .wrongType(
                    field: "info.name", expected: "a byte string"
                ))
        #expect(metainfoError(modifyingInfo(torrent()) { $0["pieces"] = nil }) == .missingField("info.pieces"))
        #expect(
            metainfoError(modifyingInfo(torrent()) { $0["piece length"] = "16" })
                == .wrongType(
                    field: "info.piece length", expected: "an integer"
                ))
        let noLength = modifyingInfo(torrent()) { $0["length"] = nil }
        #expect(metainfoError(noLength) == .missingField("info.length or info.files"))
        #expect(
            metainfoError(modifyingInfo(torrent()) { $0["files"] = .list([]) })
                == .invalidField(
                    field: "info", problem: "has both length and files"
                ))
        let noFiles = modifyingInfo(torrent()) { info in
            info["length"] = nil
            info["files"] = .list([])
        }
        #expect(
            metainfoError(noFiles)
                == .invalidField(
                    field: "info.files", problem: "a multi-file torrent needs at least one file"
                ))
        let notDictionary = modifyingInfo(torrent(files: [(["a"], 40)])) { $0["files"] = .list([1]) }
        #expect(metainfoError(notDictionary) == .wrongType(field: "info.files[0]", expected: "a dictionary"))
        let noPath = modifyingInfo(torrent(files: [(["a"], 40)])) { $0["files"] = .list([.dictionary(["length": 40])]) }
        #expect(metainfoError(noPath) == .missingField("info.files[0].path"))
        let badComponent = modifyingInfo(torrent(files: [(["a"], 40)])) {
            $0["files"] = .list([.dictionary(["length": 40, "path": .list([1])])])
        }
        #expect(
            metainfoError(badComponent) == .wrongType(field: "info.files[0].path", expected: "a list of byte strings")
        )
        #expect(
            metainfoError(modifyingInfo(torrent()) { $0["private"] = "1" })
                == .wrongType(
                    field: "info.private", expected: "an integer"
                ))
    }

    @Test func privateFlagAndTrackers() throws {
        #expect(try Metainfo(decoding: torrent(extraInfo: ["private": 1])).isPrivate)
        #expect(try !Metainfo(decoding: torrent(extraInfo: ["private": 0])).isPrivate)
        var root = (try BencodeDecoder().decode(torrent())).dictionary!
        root["announce-list"] = .list([.list(["http://a", "http://b"]), .list([]), .list(["udp://c", 7, "http://a"])])
        root["comment"] = "hi"
        root["created by"] = .bytes([0xFF])
        root["creation date"] = 1_700_000_000
        let metainfo = try Metainfo(decoding: BencodeValue.dictionary(root).encoded)
        #expect(metainfo.announceList == [["http://a", "http://b"], ["udp://c", "http://a"]])
        #expect(metainfo.trackers == ["http://a", "http://b", "udp://c"])
        #expect(metainfo.comment == "hi")
        #expect(metainfo.createdBy == nil)
        #expect(metainfo.creationDate == 1_700_000_000)
    }

    @Test func utf8VariantsArePreferred() throws {
        let input = modifyingInfo(torrent(files: [(["a"], 40)])) { info in
            info["name"] = .bytes([0xC3, 0x28])
            info["name.utf-8"] = "Café"
            info["files"] = .list([
                .dictionary(["length": 40, "path": .list([.bytes([0xFF])]), "path.utf-8": .list(["ü.txt"])])
            ])
        }
        let metainfo = try Metainfo(decoding: input)
        #expect(metainfo.name == "Café")
        #expect(metainfo.files[0].path.components == ["Café", "ü.txt"])
        #expect(metainfo.files[0].relativePath == "Café/ü.txt")
    }
}
