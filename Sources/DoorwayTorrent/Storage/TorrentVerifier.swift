// Work on every piece of a torrent in parallel across the cores: checking what is on disk, and hashing a new
// torrent's pieces.

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

enum TorrentVerifier {
    /// The pieces present and correct: how seeding starts and how a download resumes. Missing files mean
    /// missing pieces, not an error. `progress` is told pieces checked so far and the total, from any thread.
    /// Pieces lying wholly in `fresh` files (just created, so empty) are missing without reading them.
    static func verify(
        storage: TorrentStorage, skipping fresh: Set<Int> = [], threads: NIOThreadPool, workers: Int = System.coreCount,
        progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> Bitfield {
        let metainfo = storage.metainfo
        let results = NIOLockedValueBox(Bitfield(count: metainfo.pieceCount))
        try await forEachPiece(count: metainfo.pieceCount, threads: threads, workers: workers, progress: progress) {
            piece in
            let spans = metainfo.fileSpans(ofPiece: piece)
            if spans.allSatisfy({ fresh.contains($0.file) || metainfo.files[$0.file].isPadding }) { return }
            let good = storage.verify(piece: piece)
            results.withLockedValue { $0[piece] = good }
        }
        return results.withLockedValue { $0 }
    }

    /// Runs `work` once for each piece index, on `workers` threads of `threads` taking the next index as they
    /// finish, and reports each finished piece to `progress`.
    static func forEachPiece(
        count: Int, threads: NIOThreadPool, workers: Int, progress: @escaping @Sendable (Int, Int) -> Void,
        _ work: @escaping @Sendable (Int) throws -> Void
    ) async throws {
        let next = NIOLockedValueBox(0)
        let done = NIOLockedValueBox(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, min(workers, count)) {
                group.addTask {
                    try await threads.runIfActive {
                        while true {
                            let piece = next.withLockedValue { value -> Int in
                                defer { value += 1 }
                                return value
                            }
                            guard piece < count else { return }
                            try work(piece)
                            let finished = done.withLockedValue { value -> Int in
                                value += 1
                                return value
                            }
                            progress(finished, count)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
