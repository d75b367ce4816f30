// Making a .torrent from a file or a folder: lay the files out, then hash every piece on every core.

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Builds .torrent files, as `door torrent create` does.
///
/// ```swift
/// let bytes = try await TorrentCreator.create(from: "big.iso", trackers: ["http://192.0.2.1:6969/announce"])
/// ```
public enum TorrentCreator {
    /// The torrent for the file or folder at `path`. A folder's regular files are included in name order,
    /// except hidden ones (names starting with `.`); symbolic links are not followed.
    ///
    /// - Parameters:
    ///   - path: The file or folder to share; the torrent is named after its last component.
    ///   - trackers: Announce URLs, one tier each in this order; the first is also the torrent's `announce`.
    ///   - pieceLength: Bytes per piece; by default ``PieceSize/automatic(forTotalLength:)``.
    ///   - isPrivate: Sets the `private` flag (BEP 27): peers only from the trackers, no DHT or peer exchange.
    ///   - comment: The torrent's free-text `comment`; none when nil.
    ///   - workers: How many threads read and hash pieces at once; by default one per core.
    ///   - progress: Told pieces hashed so far and the total, from any thread.
    public static func create(
        from path: String, trackers: [String] = [], pieceLength: Int? = nil, isPrivate: Bool = false,
        comment: String? = nil, workers: Int = System.coreCount,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> [UInt8] {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let name = String(trimmed.split(separator: "/").last ?? Substring(trimmed))
        let parent = trimmed.contains("/") ? String(trimmed[..<trimmed.lastIndex(of: "/")!]) : "."
        var status = stat()
        guard lstat(trimmed, &status) == 0 else {
            throw TorrentCreatorError("cannot read \(trimmed): \(String(cString: strerror(errno)))")
        }
        let content: MetainfoBuilder.Content
        let total: Int64
        if status.st_mode & S_IFMT == S_IFDIR {
            let files = try listFiles(in: trimmed, prefix: [])
            guard !files.isEmpty else { throw TorrentCreatorError("\(trimmed) has no files to share") }
            content = .files(files)
            total = files.reduce(0) { $0 + $1.length }
        } else if status.st_mode & S_IFMT == S_IFREG {
            content = .singleFile(length: Int64(status.st_size))
            total = Int64(status.st_size)
        } else {
            throw TorrentCreatorError("\(trimmed) is neither a file nor a folder")
        }
        guard total > 0 else { throw TorrentCreatorError("\(trimmed) is empty: there is nothing to share") }
        let length = pieceLength ?? PieceSize.automatic(forTotalLength: total)
        let count = Int((total + Int64(length) - 1) / Int64(length))
        var builder = MetainfoBuilder(
            name: name, content: content, pieceLength: length,
            pieceHashes: Array(repeating: Array(repeating: 0, count: 20), count: count), trackers: trackers,
            isPrivate: isPrivate, comment: comment, createdBy: "door 0.1", creationDate: Int64(time(nil)))
        // The layout (which bytes of which file make each piece) comes from a provisional torrent.
        let layout = try Metainfo(decoding: try builder.build())
        let storage = TorrentStorage(metainfo: layout, root: parent, writable: false)
        builder.pieceHashes = try await hashes(of: storage, workers: workers, progress: progress)
        return try builder.build()
    }

    /// Where a torrent's data lives for `door torrent seed --data PATH`: PATH may be the torrent's file or
    /// folder itself, or the folder that holds it.
    public static func root(forData path: String, metainfo: Metainfo) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let last = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        guard last == metainfo.name else { return trimmed }
        return trimmed.contains("/") ? String(trimmed[..<trimmed.lastIndex(of: "/")!]) : "."
    }

    private static func hashes(
        of storage: TorrentStorage, workers: Int, progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> [[UInt8]] {
        let count = storage.metainfo.pieceCount
        let threads = NIOThreadPool(numberOfThreads: max(1, min(workers, count)))
        threads.start()
        defer { threads.shutdownGracefully { _ in } }
        let results = NIOLockedValueBox([[UInt8]](repeating: [], count: count))
        try await TorrentVerifier.forEachPiece(count: count, threads: threads, workers: workers, progress: progress) {
            piece in
            let bytes = try storage.read(piece: piece, offset: 0, length: storage.metainfo.length(ofPiece: piece))
            let hash = PieceHasher.hash(piece: bytes[...])
            results.withLockedValue { $0[piece] = hash }
        }
        return results.withLockedValue { $0 }
    }

    private static func listFiles(in folder: String, prefix: [String]) throws -> [MetainfoBuilder.File] {
        guard let directory = opendir(folder) else {
            throw TorrentCreatorError("cannot list \(folder): \(String(cString: strerror(errno)))")
        }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        closedir(directory)
        var files: [MetainfoBuilder.File] = []
        for name in names.sorted() {
            let path = folder + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            if status.st_mode & S_IFMT == S_IFDIR {
                files += try listFiles(in: path, prefix: prefix + [name])
            } else if status.st_mode & S_IFMT == S_IFREG {
                do {
                    files.append(
                        MetainfoBuilder.File(path: try SafePath(prefix + [name]), length: Int64(status.st_size)))
                } catch {
                    throw TorrentCreatorError("cannot share \(path): \(error)")
                }
            }
        }
        return files
    }
}

/// Why a torrent could not be made.
public struct TorrentCreatorError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
