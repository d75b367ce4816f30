// A torrent's files on disk: pieces are read and written across file boundaries, off the event loop.

import Crypto
import DoorwayBasics
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The data of one torrent under a folder, as its metainfo lays it out.
///
/// ```swift
/// let storage = TorrentStorage(metainfo: metainfo, root: "downloads")
/// try storage.prepare()                        // folders made, files created sparse at full length
/// try storage.write(piece: 0, offset: 0, block)
/// let have = storage.verify(piece: 0)          // SHA-1 against the metainfo
/// ```
///
/// Files are created sparse (`ftruncate` to their length), so nothing is written twice and a download's
/// space is visible at once. Every call blocks on the disk: run them on a thread pool. A full disk is a
/// ``TorrentStorageError`` that says so.
public final class TorrentStorage: Sendable {
    public let metainfo: Metainfo
    public let root: String
    /// Open descriptors by file index, opened on first use.
    private let descriptors = NIOLockedValueBox([Int: Int32]())
    private let writable: Bool

    /// - Parameters:
    ///   - metainfo: the torrent whose files and pieces are stored.
    ///   - root: the folder that holds the torrent's file, or its folder for a multi-file torrent.
    ///   - writable: false to seed data that must not be changed (files are opened read-only).
    public init(metainfo: Metainfo, root: String, writable: Bool = true) {
        self.metainfo = metainfo
        self.root = root
        self.writable = writable
    }

    deinit {
        for fd in descriptors.withLockedValue({ Array($0.values) }) { close(fd) }
    }

    /// The path of file `index`.
    public func path(ofFile index: Int) -> String {
        metainfo.files[index].destination(under: root)
    }

    /// Makes the folders and creates missing files at their full length (sparse). Existing files keep their
    /// data; one longer than the torrent says is an error rather than cut.
    ///
    /// - Returns: The files that did not exist (or were empty): they hold no pieces, so there is nothing in
    ///   them to verify.
    @discardableResult
    public func prepare() throws(TorrentStorageError) -> Set<Int> {
        var fresh = Set<Int>()
        for index in metainfo.files.indices where !metainfo.files[index].isPadding {
            let path = path(ofFile: index)
            try Self.makeParentFolders(of: path)
            let fd = try descriptor(index)
            var status = stat()
            guard fstat(fd, &status) == 0 else { throw TorrentStorageError(errno: errno, doing: "stat", path: path) }
            if status.st_size == 0 { fresh.insert(index) }
            let length = metainfo.files[index].length
            if Int64(status.st_size) > length {
                throw TorrentStorageError(
                    "\(path) is \(status.st_size) bytes but the torrent says \(length): move it away or pick another folder"
                )
            }
            if writable, Int64(status.st_size) < length, ftruncate(fd, off_t(length)) != 0 {
                throw TorrentStorageError(errno: errno, doing: "allocate \(length) bytes for", path: path)
            }
        }
        return fresh
    }

    /// Whether every file exists with its full length (what seeding needs before verifying).
    public func filesPresent() -> Bool {
        metainfo.files.indices.allSatisfy { index in
            if metainfo.files[index].isPadding { return true }
            var status = stat()
            return stat(path(ofFile: index), &status) == 0 && Int64(status.st_size) == metainfo.files[index].length
        }
    }

    /// Writes `block` at `offset` within piece `piece`.
    public func write(piece: Int, offset: Int, _ block: [UInt8]) throws(TorrentStorageError) {
        try forEachSpan(piece: piece, offset: offset, length: block.count) {
            fd, fileOffset, range, path throws(TorrentStorageError) in
            do throws(Errno) {
                try FileDescriptor(fd).writeAll(block[range], at: Int(fileOffset))
            } catch {
                throw TorrentStorageError(errno: error.code, doing: "write", path: path)
            }
        }
    }

    /// `length` bytes at `offset` within piece `piece`.
    public func read(piece: Int, offset: Int, length: Int) throws(TorrentStorageError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        try forEachSpan(piece: piece, offset: offset, length: length) {
            fd, fileOffset, range, path throws(TorrentStorageError) in
            let count: Int
            do throws(Errno) {
                count = try FileDescriptor(fd).readAll(into: &bytes[range], at: Int(fileOffset))
            } catch {
                throw TorrentStorageError(errno: error.code, doing: "read", path: path)
            }
            if count < range.count { throw TorrentStorageError("\(path) is shorter than the torrent says") }
        }
        return bytes
    }

    /// Whether piece `index` on disk matches its SHA-1; a read error counts as not having it.
    public func verify(piece index: Int) -> Bool {
        guard let bytes = try? read(piece: index, offset: 0, length: metainfo.length(ofPiece: index)) else {
            return false
        }
        return Array(Insecure.SHA1.hash(data: bytes)) == metainfo.pieces[index]
    }

    /// Flushes every written file to the disk.
    public func sync() throws(TorrentStorageError) {
        for (index, fd) in descriptors.withLockedValue({ $0 }) where fsync(fd) != 0 {
            throw TorrentStorageError(errno: errno, doing: "fsync", path: path(ofFile: index))
        }
    }

    /// Calls `body` for each file piece of the byte range: its descriptor, the offset in that file, and the
    /// range within the caller's buffer.
    private func forEachSpan(
        piece: Int, offset: Int, length: Int,
        _ body: (Int32, Int64, Range<Int>, String) throws(TorrentStorageError) -> Void
    ) throws(TorrentStorageError) {
        var pieceOffset = 0
        var bufferOffset = 0
        let end = offset + length
        for span in metainfo.fileSpans(ofPiece: piece) {
            let spanEnd = pieceOffset + span.length
            defer { pieceOffset = spanEnd }
            let start = max(offset, pieceOffset)
            let stop = min(end, spanEnd)
            guard start < stop else { continue }
            let fileOffset = span.offset + Int64(start - pieceOffset)
            // BEP 47 padding is zeros that never reach the disk: the buffer already holds zeros for reads.
            if !metainfo.files[span.file].isPadding {
                try body(
                    try descriptor(span.file), fileOffset, bufferOffset..<(bufferOffset + stop - start),
                    path(ofFile: span.file))
            }
            bufferOffset += stop - start
        }
        guard bufferOffset == length else {
            throw TorrentStorageError("piece \(piece) has no bytes \(offset)..<\(end)")
        }
    }

    private func descriptor(_ index: Int) throws(TorrentStorageError) -> Int32 {
        if let fd = descriptors.withLockedValue({ $0[index] }) { return fd }
        let path = path(ofFile: index)
        // O_NOFOLLOW: a symlink planted where a downloaded file goes is refused, not written through.
        let flags = (writable ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw TorrentStorageError(errno: errno, doing: "open", path: path) }
        return descriptors.withLockedValue { open in
            if let existing = open[index] {
                close(fd)
                return existing
            }
            open[index] = fd
            return fd
        }
    }

    private static func makeParentFolders(of path: String) throws(TorrentStorageError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        let components = path.split(separator: "/")
        for component in components.dropLast() {
            prefix += component + "/"
            if mkdir(String(prefix.dropLast()), 0o755) != 0, errno != EEXIST {
                throw TorrentStorageError(errno: errno, doing: "create folder", path: String(prefix.dropLast()))
            }
        }
    }
}

/// Why torrent data could not be read or written; a full disk says so.
public struct TorrentStorageError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public var isDiskFull = false

    init(_ description: String) {
        self.description = description
    }

    init(errno code: Int32, doing: String, path: String) {
        if code == ENOSPC || code == EDQUOT {
            description = "the disk is full: cannot \(doing) \(path); free some space and run again to resume"
            isDiskFull = true
        } else {
            description = "cannot \(doing) \(path): \(String(cString: strerror(code)))"
        }
    }
}
