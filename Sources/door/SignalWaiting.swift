// Waiting for SIGINT or SIGTERM, which end every long-running `door` command.

import Doorway
import UnixSignals

/// The signals that ask a `door` command to stop: Ctrl-C and `kill`.
private let stoppingSignals: [UnixSignal] = [.sigint, .sigterm]

/// How a run that SIGINT or SIGTERM may cut short ended.
enum SignalledRun<Value: Sendable>: Sendable {
    case finished(Value)
    case interrupted(UnixSignal)
}

/// Waits until SIGINT or SIGTERM arrives, saying so on standard error when `announcing`.
@discardableResult
func waitForSignal(announcing: Bool = false) async -> UnixSignal? {
    for await signal in await UnixSignalsSequence(trapping: stoppingSignals) {
        if announcing { printError("door: \(signal), shutting down") }
        return signal
    }
    return nil
}

/// Runs `body` until it returns or SIGINT or SIGTERM arrives, and cancels the other.
///
/// The signals are trapped before `body` starts, so one that arrives at once still ends the run cleanly.
/// - Throws: What `body` throws.
func runUntilSignalled<Value: Sendable>(
    _ body: @escaping @Sendable () async throws -> Value
) async throws -> SignalledRun<Value> {
    let signals = await UnixSignalsSequence(trapping: stoppingSignals)
    return try await withThrowingTaskGroup(of: SignalledRun<Value>?.self) { group in
        group.addTask {
            for await signal in signals { return .interrupted(signal) }
            return nil
        }
        group.addTask { .finished(try await body()) }
        defer { group.cancelAll() }
        while let next = try await group.next() {
            if let next { return next }
        }
        throw CancellationError()
    }
}

/// Serves until SIGINT or SIGTERM (announced on standard error), then shuts `servers` down, giving in-flight
/// work `gracePeriod` to finish.
func serveUntilSignalled(_ servers: [Server], gracePeriod: Duration, announcing: Bool = true) async {
    await waitForSignal(announcing: announcing)
    for server in servers { await server.shutdown(gracePeriod: gracePeriod) }
}
