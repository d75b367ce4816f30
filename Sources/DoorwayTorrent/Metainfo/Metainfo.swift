// A validated BitTorrent v1 .torrent file (BEP 3, with BEP 12 tracker tiers, BEP 27 private flag and BEP 47
// padding files): the data model the peer and tracker code work from.

/// The contents of a v1 .torrent file, validated.
///
/// Decoding checks what the rest of the stack relies on: `piece length` in 1...64 MiB (any positive value; BEP 3
/// does not require a power of two), `pieces` a whole number of 20-byte hashes and exactly one per piece, a positive
/// total length, non-negative file lengths, a safe `name` and safe, distinct file paths (see ``SafePath``). The
/// info-hash is SHA-1 over the `info` value's original bytes, never a re-encoding.
///
/// Descriptive fields outside `info` (`announce`, `announce-list`, `comment`, `created by`, `creation date`) are
/// read leniently: a value of the wrong type or with invalid UTF-8 is ignored, because clients disagree about them
/// and they do not affect the data.
///
/// ```swift
/// let metainfo = try Metainfo(decoding: torrentBytes)
/// print(metainfo.infoHash, metainfo.name, metainfo.totalLength)
/// for span in metainfo.fileSpans(ofPiece: 0) {
///     print(metainfo.files[span.file].relativePath, span.offset, span.length)
/// }
/// ```
public struct Metainfo: Sendable {
    /// The largest `piece length` accepted; larger pieces would make a single piece an unreasonable allocation.
    public static let maximumPieceLength = 64 * 1024 * 1024

    public let infoHash: InfoHash
    public let name: String
    public let pieceLength: Int
    /// One 20-byte SHA-1 per piece.
    public let pieces: [[UInt8]]
    /// In stream order; a single-file torrent has one file whose path is `[name]`.
    public let files: [TorrentFile]
    public let totalLength: Int64
    /// True when `info` has `files` (even a single entry), so the data lives in a directory called `name`.
    public let isMultiFile: Bool
    public let announce: String?
    /// BEP 12 tiers; empty tiers and non-string entries are dropped.
    public let announceList: [[String]]
    /// BEP 27: `private` is 1.
    public let isPrivate: Bool
    public let comment: String?
    public let createdBy: String?
    /// Seconds since 1970.
    public let creationDate: Int64?

    /// Decodes and validates a .torrent file.
    public init(decoding bytes: [UInt8]) throws(MetainfoError) {
        try self.init(decoding: bytes, decoder: BencodeDecoder())
    }

    /// Decodes with custom bencode limits.
    public init(decoding bytes: [UInt8], decoder: BencodeDecoder) throws(MetainfoError) {
        let top: BencodeValue
        let ranges: [BencodeKey: Range<Int>]
        do {
            (top, ranges) = try decoder.decodeWithRanges(bytes)
        } catch {
            throw .invalidBencode(error)
        }
        guard let root = top.dictionary else { throw .wrongType(field: "top level", expected: "a dictionary") }
        guard let infoValue = root["info"], let infoRange = ranges["info"] else { throw .missingField("info") }
        guard let info = infoValue.dictionary else { throw .wrongType(field: "info", expected: "a dictionary") }

        infoHash = InfoHash(hashing: bytes[infoRange])

        let nameBytes = try Self.bytes(info, preferring: "name.utf-8", else: "name", field: "info.name")
        let namePath: SafePath
        do {
            namePath = try SafePath(validating: [nameBytes])
        } catch {
            throw .unsafePath(field: "info.name", error)
        }
        name = namePath.components[0]

        let rawPieceLength = try Self.integer(info, "piece length", field: "info.piece length")
        guard rawPieceLength > 0, rawPieceLength <= Int64(Self.maximumPieceLength) else {
            throw .invalidField(
                field: "info.piece length",
                problem: "must be between 1 and \(Self.maximumPieceLength), got \(rawPieceLength)"
            )
        }
        pieceLength = Int(rawPieceLength)

        let flatPieces = try Self.bytes(info, preferring: nil, else: "pieces", field: "info.pieces")
        guard flatPieces.count % 20 == 0 else {
            throw .invalidField(
                field: "info.pieces",
                problem: "length \(flatPieces.count) is not a multiple of 20"
            )
        }

        let layout = try Self.files(info, namePath: namePath)
        files = layout.files
        isMultiFile = layout.isMultiFile
        totalLength = layout.totalLength
        guard totalLength > 0 else {
            throw .invalidField(field: "info", problem: "total length must be positive, got \(totalLength)")
        }

        let expectedPieces = Int((totalLength - 1) / rawPieceLength + 1)
        guard expectedPieces == flatPieces.count / 20 else {
            throw .pieceCountMismatch(expected: expectedPieces, actual: flatPieces.count / 20)
        }
        pieces = stride(from: 0, to: flatPieces.count, by: 20).map { Array(flatPieces[$0..<$0 + 20]) }

        if let flag = info["private"] {
            guard let value = flag.integer else { throw .wrongType(field: "info.private", expected: "an integer") }
            isPrivate = value == 1
        } else {
            isPrivate = false
        }

        announce = root["announce"]?.string
        announceList = (root["announce-list"]?.list ?? []).compactMap { tier in
            let urls = (tier.list ?? []).compactMap(\.string).filter { !$0.isEmpty }
            return urls.isEmpty ? nil : urls
        }
        comment = (root["comment.utf-8"] ?? root["comment"])?.string
        createdBy = root["created by"]?.string
        creationDate = root["creation date"]?.integer
    }

    public var pieceCount: Int {
        pieces.count
    }

    /// The length of piece `index`: `pieceLength`, except the last piece, which holds what remains.
    /// `index` must be in `0..<pieceCount`.
    public func length(ofPiece index: Int) -> Int {
        precondition(index >= 0 && index < pieceCount, "piece index \(index) out of range 0..<\(pieceCount)")
        if index < pieceCount - 1 { return pieceLength }
        return Int(totalLength - Int64(index) * Int64(pieceLength))
    }

    /// The byte ranges of files that piece `index` covers, in stream order; a piece spans file boundaries.
    /// `offset` is within the file. Zero-length files cover no bytes and never appear. `index` must be in
    /// `0..<pieceCount`.
    public func fileSpans(ofPiece index: Int) -> [(file: Int, offset: Int64, length: Int)] {
        let start = Int64(index) * Int64(pieceLength)
        let end = start + Int64(length(ofPiece: index))
        // Binary search for the first file ending after `start`; file ends never decrease.
        var low = 0
        var high = files.count
        while low < high {
            let middle = (low + high) / 2
            if files[middle].offset + files[middle].length <= start { low = middle + 1 } else { high = middle }
        }
        var spans: [(file: Int, offset: Int64, length: Int)] = []
        var fileIndex = low
        while fileIndex < files.count && files[fileIndex].offset < end {
            let file = files[fileIndex]
            if file.length > 0 {
                let from = max(start, file.offset)
                let to = min(end, file.offset + file.length)
                spans.append((file: fileIndex, offset: from - file.offset, length: Int(to - from)))
            }
            fileIndex += 1
        }
        return spans
    }

    /// Every tracker URL once, tiers flattened in order; just `announce` when there is no `announce-list`
    /// (BEP 12 says to ignore `announce` then).
    public var trackers: [String] {
        guard !announceList.isEmpty else { return announce.map { [$0] } ?? [] }
        var seen = Set<String>()
        return announceList.joined().filter { seen.insert($0).inserted }
    }

    // MARK: - Field readers

    private static func bytes(
        _ dictionary: [BencodeKey: BencodeValue],
        preferring preferred: BencodeKey?,
        else key: BencodeKey,
        field: String
    ) throws(MetainfoError) -> [UInt8] {
        if let preferred, let value = dictionary[preferred] {
            guard let bytes = value.bytes else { throw .wrongType(field: field, expected: "a byte string") }
            return bytes
        }
        guard let value = dictionary[key] else { throw .missingField(field) }
        guard let bytes = value.bytes else { throw .wrongType(field: field, expected: "a byte string") }
        return bytes
    }

    private static func integer(
        _ dictionary: [BencodeKey: BencodeValue],
        _ key: BencodeKey,
        field: String
    ) throws(MetainfoError) -> Int64 {
        guard let value = dictionary[key] else { throw .missingField(field) }
        guard let integer = value.integer else { throw .wrongType(field: field, expected: "an integer") }
        return integer
    }

    private static func files(
        _ info: [BencodeKey: BencodeValue],
        namePath: SafePath
    ) throws(MetainfoError) -> (files: [TorrentFile], isMultiFile: Bool, totalLength: Int64) {
        switch (info["length"], info["files"]) {
        case (.some, .some):
            throw .invalidField(field: "info", problem: "has both length and files")
        case (.none, .none):
            throw .missingField("info.length or info.files")
        case (.some, .none):
            let length = try integer(info, "length", field: "info.length")
            guard length >= 0 else {
                throw .invalidField(field: "info.length", problem: "must not be negative, got \(length)")
            }
            return ([TorrentFile(path: namePath, length: length, offset: 0, isPadding: false)], false, length)
        case (.none, .some(let filesValue)):
            guard let entries = filesValue.list else { throw .wrongType(field: "info.files", expected: "a list") }
            guard !entries.isEmpty else {
                throw .invalidField(field: "info.files", problem: "a multi-file torrent needs at least one file")
            }
            var files: [TorrentFile] = []
            files.reserveCapacity(entries.count)
            var layout = PathLayout()
            var offset: Int64 = 0
            for (index, entry) in entries.enumerated() {
                let field = "info.files[\(index)]"
                guard let dictionary = entry.dictionary else {
                    throw .wrongType(field: field, expected: "a dictionary")
                }
                let length = try integer(dictionary, "length", field: "\(field).length")
                guard length >= 0 else {
                    throw .invalidField(field: "\(field).length", problem: "must not be negative, got \(length)")
                }
                let path = try filePath(dictionary, namePath: namePath, field: field)
                try layout.insert(path)
                let isPadding = dictionary["attr"]?.bytes?.contains(UInt8(ascii: "p")) ?? false
                files.append(TorrentFile(path: path, length: length, offset: offset, isPadding: isPadding))
                let (next, overflow) = offset.addingReportingOverflow(length)
                guard !overflow else {
                    throw .invalidField(field: "\(field).length", problem: "total length overflows 64 bits")
                }
                offset = next
            }
            return (files, true, offset)
        }
    }

    private static func filePath(
        _ entry: [BencodeKey: BencodeValue],
        namePath: SafePath,
        field: String
    ) throws(MetainfoError) -> SafePath {
        let key: BencodeKey = entry["path.utf-8"] != nil ? "path.utf-8" : "path"
        let pathField = "\(field).\(key.string ?? "path")"
        guard let value = entry[key] else { throw .missingField(pathField) }
        guard let list = value.list else { throw .wrongType(field: pathField, expected: "a list") }
        var raw: [[UInt8]] = []
        for component in list {
            guard let bytes = component.bytes else {
                throw .wrongType(field: pathField, expected: "a list of byte strings")
            }
            raw.append(bytes)
        }
        do {
            return try namePath.appending(SafePath(validating: raw))
        } catch {
            throw .unsafePath(field: pathField, error)
        }
    }
}

/// Tracks the paths seen so far so that no file duplicates another or sits where another needs a directory.
private struct PathLayout {
    var files: Set<String> = []
    /// Every proper prefix of every file path, mapped to one file that needs it as a directory.
    var directories: [String: String] = [:]

    mutating func insert(_ path: SafePath) throws(MetainfoError) {
        let full = path.relativePath
        if files.contains(full) { throw .duplicatePath(full) }
        if let other = directories[full] { throw .pathConflict(file: full, directoryOf: other) }
        var prefix = ""
        for component in path.components.dropLast() {
            prefix = prefix.isEmpty ? component : prefix + "/" + component
            if files.contains(prefix) { throw .pathConflict(file: prefix, directoryOf: full) }
            if directories[prefix] == nil { directories[prefix] = full }
        }
        files.insert(full)
    }
}
