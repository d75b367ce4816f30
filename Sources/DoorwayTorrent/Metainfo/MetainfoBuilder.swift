// Producing a v1 .torrent file from already-computed piece hashes; reading and hashing the data is the caller's
// job (see PieceHasher), so this stays free of I/O.

/// Builds the bencoded bytes of a new .torrent file.
///
/// The output is validated by decoding it with ``Metainfo``, so a builder can never produce a torrent this
/// library would refuse (unsafe name, conflicting paths, wrong number of piece hashes…).
///
/// ```swift
/// var hasher = PieceHasher(pieceLength: pieceLength)
/// hasher.update(fileBytes)
/// hasher.finish()
/// let builder = MetainfoBuilder(
///     name: "ubuntu.iso",
///     content: .singleFile(length: Int64(fileBytes.count)),
///     pieceLength: pieceLength,
///     pieceHashes: hasher.pieceHashes,
///     trackers: ["http://tracker.example.com/announce"]
/// )
/// let torrentBytes = try builder.build()
/// ```
public struct MetainfoBuilder: Sendable {
    /// One file of a multi-file torrent; `path` is relative to the torrent's directory (it excludes `name`).
    public struct File: Sendable, Hashable {
        public var path: SafePath
        public var length: Int64
        /// Written as BEP 47 `attr` = `p`.
        public var isPadding: Bool

        public init(path: SafePath, length: Int64, isPadding: Bool = false) {
            self.path = path
            self.length = length
            self.isPadding = isPadding
        }
    }

    public enum Content: Sendable, Hashable {
        /// `info.length`: the torrent is one file called `name`.
        case singleFile(length: Int64)
        /// `info.files`: the torrent is a directory called `name` holding these files, in stream order.
        case files([File])
    }

    public var name: String
    public var content: Content
    public var pieceLength: Int
    /// One 20-byte SHA-1 per piece, in order.
    public var pieceHashes: [[UInt8]]
    /// BEP 12 tiers. `announce` is the first URL; `announce-list` is written when there is more than one URL.
    public var trackerTiers: [[String]]
    public var isPrivate: Bool
    public var comment: String?
    public var createdBy: String?
    /// Seconds since 1970.
    public var creationDate: Int64?

    /// `trackers` become one tier each, tried in order.
    public init(
        name: String,
        content: Content,
        pieceLength: Int,
        pieceHashes: [[UInt8]],
        trackers: [String] = [],
        isPrivate: Bool = false,
        comment: String? = nil,
        createdBy: String? = nil,
        creationDate: Int64? = nil
    ) {
        self.name = name
        self.content = content
        self.pieceLength = pieceLength
        self.pieceHashes = pieceHashes
        self.trackerTiers = trackers.map { [$0] }
        self.isPrivate = isPrivate
        self.comment = comment
        self.createdBy = createdBy
        self.creationDate = creationDate
    }

    /// The bencoded `info` dictionary; its SHA-1 is the info-hash.
    public func infoDictionary() throws(MetainfoError) -> BencodeValue {
        for (index, hash) in pieceHashes.enumerated() where hash.count != 20 {
            throw .invalidField(field: "pieces[\(index)]", problem: "is \(hash.count) bytes, not 20")
        }
        var info: [BencodeKey: BencodeValue] = [
            "name": .string(name),
            "piece length": .integer(Int64(pieceLength)),
            "pieces": .bytes(Array(pieceHashes.joined())),
        ]
        switch content {
        case .singleFile(let length):
            info["length"] = .integer(length)
        case .files(let files):
            info["files"] = .list(
                files.map { file in
                    var entry: [BencodeKey: BencodeValue] = [
                        "length": .integer(file.length),
                        "path": .list(file.path.components.map { .string($0) }),
                    ]
                    if file.isPadding { entry["attr"] = "p" }
                    return .dictionary(entry)
                })
        }
        if isPrivate { info["private"] = 1 }
        return .dictionary(info)
    }

    /// The complete .torrent file, validated.
    public func build() throws(MetainfoError) -> [UInt8] {
        var root: [BencodeKey: BencodeValue] = ["info": try infoDictionary()]
        let urls = trackerTiers.joined()
        if let first = urls.first { root["announce"] = .string(first) }
        if urls.count > 1 {
            root["announce-list"] = .list(trackerTiers.filter { !$0.isEmpty }.map { .list($0.map { .string($0) }) })
        }
        if let comment { root["comment"] = .string(comment) }
        if let createdBy { root["created by"] = .string(createdBy) }
        if let creationDate { root["creation date"] = .integer(creationDate) }
        let bytes = BencodeValue.dictionary(root).encoded
        // Decoding the result applies every Metainfo rule to what we are about to hand out.
        _ = try Metainfo(decoding: bytes, decoder: BencodeDecoder(maximumLength: Int.max))
        return bytes
    }
}
