// Checks which pieces of a torrent are already on disk, hashing in parallel across the cores.

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Verifies every piece against its SHA-1: how seeding starts and how a download resumes.
enum TorrentVerifier {
    /// The pieces present and correct. Missing files mean missing pieces, not an error. `progress` is told
    /// pieces checked so far and the total, from any thread.
    static func verify(
        storage: TorrentStorage, threads: NIOThreadPool, workers: Int = System.coreCount,
        progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> Bitfield {
        let count = storage.metainfo.pieceCount
        let next = NIOLockedValueBox(0)
        let results = NIOLockedValueBox(Bitfield(count: count))
        let checked = NIOLockedValueBox(0)
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
                            let good = storage.verify(piece: piece)
                            results.withLockedValue { $0[piece] = good }
                            let done = checked.withLockedValue { value -> Int in
                                value += 1
                                return value
                            }
                            progress(done, count)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return results.withLockedValue { $0 }
    }
}
