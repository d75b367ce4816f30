// One file of a torrent and where its bytes sit in the torrent's concatenated byte stream.

/// A file described by a torrent. Only ``Metainfo`` makes these, so ``path`` is always a validated ``SafePath``.
///
/// ``path`` starts with the torrent's `name` in both layouts: for a single-file torrent it is `[name]`, for a
/// multi-file torrent `[name, dir…, file]`, matching where clients put the data.
///
/// ```swift
/// for file in metainfo.files where !file.isPadding {
///     let target = file.destination(under: "/srv/downloads")
/// }
/// ```
public struct TorrentFile: Sendable, Hashable {
    public let path: SafePath
    public let length: Int64
    /// Where the file's first byte sits in the concatenation of all files, the stream that pieces divide.
    public let offset: Int64
    /// A BEP 47 padding file (`attr` contains `p`): its bytes are zeros that exist only to align the next file,
    /// and clients need not write it to disk. It still occupies its range of the stream.
    public let isPadding: Bool

    init(path: SafePath, length: Int64, offset: Int64, isPadding: Bool) {
        self.path = path
        self.length = length
        self.offset = offset
        self.isPadding = isPadding
    }

    /// The path components joined with `/`, starting with the torrent name.
    public var relativePath: String {
        path.relativePath
    }

    /// `root` joined with the path components.
    public func destination(under root: String) -> String {
        path.destination(under: root)
    }
}
