// Small files kept in memory, each checked against the file on disk (inode, size, mtime) before use.

import DoorwayHTTP
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// What identifies one version of a file: if any of these change, the cached bytes are stale.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var modificationNanoseconds: Int64
}

/// One version of a file as the server sends it: the bytes, and the header values derived from its metadata,
/// worked out once rather than on every request.
struct CachedFile: Sendable {
    var body: ByteBuffer
    var metadata: FileMetadata
    /// The header lines of a whole-file 200 response, as bytes, ready to copy into each response head.
    var fullResponseFields: ByteBuffer

    init(body: ByteBuffer, metadata: FileMetadata) {
        (self.body, self.metadata) = (body, metadata)
        var headers = metadata.headers
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        var fields = ByteBuffer()
        fields.writeHeaderFields(headers)
        fullResponseFields = fields
    }
}

/// The precompressed siblings a request's Accept-Encoding allows, best first.
struct AcceptedCodings: OptionSet, Hashable, Sendable {
    let rawValue: UInt8
    static let brotli = AcceptedCodings(rawValue: 1)
    static let gzip = AcceptedCodings(rawValue: 2)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ acceptEncoding: String?) {
        self.init(rawValue: 0)
        guard let acceptEncoding else { return }
        if AcceptEncoding.allows("br", in: acceptEncoding) { insert(.brotli) }
        if AcceptEncoding.allows("gzip", in: acceptEncoding) { insert(.gzip) }
    }

    /// Coding names and file suffixes to try, in order.
    var preferred: [(coding: String, suffix: String)] {
        (contains(.brotli) ? [("br", ".br")] : []) + (contains(.gzip) ? [("gzip", ".gz")] : [])
    }
}

/// A bounded cache of file contents, shared by every event loop of one Web server.
///
/// Entries are keyed by what a request asks for (path, trailing slash, acceptable codings) and hold the file
/// that answered it. Within `validity` of its last check an entry is served with no system call at all;
/// after that the next request opens and `fstat`s the file again (beneath the root, as always), and the
/// entry is kept only if inode, size and mtime still match. When the total passes `capacity`, the least
/// recently used entries go.
final class ContentCache: Sendable {
    struct Key: Hashable, Sendable {
        var path: String
        var trailingSlash: Bool
        var codings: UInt8
    }

    private struct Entry {
        var identity: FileIdentity
        var file: CachedFile
        var lastUse: UInt64
        var checked: NIODeadline
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var size = 0
        var clock: UInt64 = 0
    }

    let capacity: Int
    let entryLimit: Int
    private let state = NIOLockedValueBox(State())

    init(capacity: Int, entryLimit: Int) {
        self.capacity = capacity
        self.entryLimit = min(entryLimit, capacity)
    }

    func accepts(size: Int) -> Bool { size <= entryLimit }

    /// The cached file at `key` if it was checked against the disk within `validity`.
    func freshFile(for key: Key, validity: Duration) -> CachedFile? {
        guard validity > .zero else { return nil }
        let now = NIODeadline.now()
        return state.withLockedValue { state in
            guard var entry = state.entries[key], entry.checked + TimeAmount(validity) > now else { return nil }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.file
        }
    }

    /// The cached file at `key` if it is exactly this version of the file (which counts as a check).
    func file(for key: Key, identity: FileIdentity) -> CachedFile? {
        state.withLockedValue { state in
            guard var entry = state.entries[key] else { return nil }
            guard entry.identity == identity else {
                state.size -= entry.file.body.readableBytes
                state.entries[key] = nil
                return nil
            }
            state.clock += 1
            entry.lastUse = state.clock
            entry.checked = .now()
            state.entries[key] = entry
            return entry.file
        }
    }

    func store(_ file: CachedFile, for key: Key, identity: FileIdentity) {
        guard accepts(size: file.body.readableBytes) else { return }
        state.withLockedValue { state in
            if let old = state.entries[key] { state.size -= old.file.body.readableBytes }
            state.clock += 1
            state.entries[key] = Entry(identity: identity, file: file, lastUse: state.clock, checked: .now())
            state.size += file.body.readableBytes
            if state.size > capacity { Self.evict(&state, to: capacity * 3 / 4) }
        }
    }

    var totalSize: Int { state.withLockedValue { $0.size } }

    private static func evict(_ state: inout State, to target: Int) {
        for (key, entry) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            if state.size <= target { break }
            state.size -= entry.file.body.readableBytes
            state.entries[key] = nil
        }
    }
}
