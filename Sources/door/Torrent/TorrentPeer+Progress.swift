// A torrent peer under `door`'s control: started with its check of the data shown, then run with its progress
// shown until it is done or SIGINT or SIGTERM arrives.

import DoorwayTorrent
import NIOConcurrencyHelpers

/// How a peer's run ended.
enum PeerRunEnd: Sendable {
    case finished
    case interrupted
    case failed(String)
}

extension TorrentPeer {
    /// Starts the peer, showing its check of the data already there as a progress line named `label`; a
    /// storage problem becomes `door`'s one-line error.
    func start(checkingAs label: String) async throws {
        let bar = NIOLockedValueBox(ProgressBar(name: label))
        do {
            try await start(verifying: { done, total in bar.withLockedValue { $0.show(pieces: done, of: total) } })
        } catch let error as TorrentStorageError {
            throw fail("\(error)")
        }
        bar.withLockedValue { $0.finish() }
    }

    /// Shows progress until `until` returns or fails, or SIGINT/SIGTERM arrives; stops the peer unless
    /// `until` finished (the caller decides whether to go on seeding). Without `until` it runs until a signal.
    @discardableResult
    func run(showing label: String, until: (@Sendable () async throws -> Void)?) async -> PeerRunEnd {
        let end: PeerRunEnd
        do {
            let run = try await runUntilSignalled { [self] in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await self.showProgress(as: label) }
                    if let until {
                        try await until()
                        group.cancelAll()
                    } else {
                        _ = try await group.next()
                    }
                }
            }
            if case .finished = run { end = .finished } else { end = .interrupted }
        } catch {
            end = .failed("\(error)")
        }
        if case .finished = end {} else { await stop() }
        return end
    }

    /// Redraws the peer's progress every second until cancelled.
    private func showProgress(as label: String) async {
        var line = ProgressBar(name: label)
        while !Task.isCancelled {
            if let progress = try? await progress { line.show(progress) }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
