// Small files kept in memory, each checked against the file on disk (inode, size, mtime) before use.

import NIOConcurrencyHelpers
import NIOCore

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
    var tag: EntityTag
    var lastModified: String
    var contentType: String
}

/// A bounded cache of file contents, shared by every event loop of one Web server.
///
/// A request still opens and `fstat`s the file, so a changed file is never served stale; the cache saves
/// the read. When the total passes `capacity`, the least recently used entries go.
final class ContentCache: Sendable {
    private struct Entry {
        var identity: FileIdentity
        var file: CachedFile
        var lastUse: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
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

    /// The cached file at `key` if it is exactly this version of the file.
    func file(for key: String, identity: FileIdentity) -> CachedFile? {
        state.withLockedValue { state in
            guard var entry = state.entries[key] else { return nil }
            guard entry.identity == identity else {
                state.size -= entry.file.body.readableBytes
                state.entries[key] = nil
                return nil
            }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.file
        }
    }

    func store(_ file: CachedFile, for key: String, identity: FileIdentity) {
        guard accepts(size: file.body.readableBytes) else { return }
        state.withLockedValue { state in
            if let old = state.entries[key] { state.size -= old.file.body.readableBytes }
            state.clock += 1
            state.entries[key] = Entry(identity: identity, file: file, lastUse: state.clock)
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
