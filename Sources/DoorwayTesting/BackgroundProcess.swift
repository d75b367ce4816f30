// A test's process in the background: writing to it, collecting its output, signalling it, waiting for it.

import Doorway
import DoorwayBasics
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A process running in the background: write to it, wait for what it prints, signal it, wait for its end.
///
/// Output is collected as it arrives, so the process never blocks on a full pipe. Dropping the last
/// reference kills the process group if the process is still running.
public final class BackgroundProcess: Sendable {
    /// One of the two output streams.
    public enum Stream: Sendable, CustomStringConvertible {
        case standardOutput, standardError

        public var description: String { self == .standardOutput ? "stdout" : "stderr" }
    }

    /// The command line it runs.
    public let command: [String]
    /// Its process id, which is also its process group id.
    public let pid: Int32

    private let shared: SharedState
    let feeder: InputPipe

    init(command: [String], environment: [String: String]) throws {
        precondition(!command.isEmpty, "a command needs at least a program")
        _ = brokenPipesIgnored
        self.command = command
        let (pid, input, output, error) = try ProcessSpawner.withSpawnLock {
            let input = try ProcessSpawner.makePipe()
            let output = try ProcessSpawner.makePipe()
            let errors = try ProcessSpawner.makePipe()
            defer {
                closeDescriptor(input.read)
                closeDescriptor(output.write)
                closeDescriptor(errors.write)
            }
            do {
                let pid = try ProcessSpawner.spawn(
                    command, environment: environment,
                    streams: .init(input: input.read, output: output.write, error: errors.write))
                return (pid, input, output, errors)
            } catch {
                for descriptor in [input.write, output.read, errors.read] { closeDescriptor(descriptor) }
                throw error
            }
        }
        self.pid = pid
        let shared = SharedState()
        self.shared = shared
        feeder = InputPipe(descriptor: input.write, command: command)
        Thread.detachNewThread { shared.collect(from: output.read, into: .standardOutput) }
        Thread.detachNewThread { shared.collect(from: error.read, into: .standardError) }
        Thread.detachNewThread {
            var status: Int32 = 0
            _ = try? SystemCall.retryingInterrupts { waitpid(pid, &status, 0) }
            let signal = status & 0x7f
            shared.finish(signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal))
        }
    }

    deinit {
        kill()
        feeder.close()
    }

    /// Everything written to standard output so far.
    public var standardOutput: [UInt8] { shared.state.withLock { $0.output } }
    /// Everything written to standard error so far.
    public var standardError: [UInt8] { shared.state.withLock { $0.error } }
    public var standardOutputText: String { String(decoding: standardOutput, as: UTF8.self) }
    public var standardErrorText: String { String(decoding: standardError, as: UTF8.self) }
    /// How it ended, or `nil` while it runs.
    public var termination: ProcessTermination? { shared.state.withLock { $0.termination } }

    /// Writes `bytes` to the process's standard input, blocking while the pipe is full.
    ///
    /// - Throws: ``DoorwayTestingError`` when the process has closed its standard input or exited.
    public func write(_ bytes: [UInt8]) throws { try feeder.write(bytes) }

    /// Writes the UTF-8 of `text` to the process's standard input.
    public func write(_ text: String) throws { try feeder.write(Array(text.utf8)) }

    /// Closes the process's standard input, so it reads end of file. Closing twice does nothing.
    public func closeInput() { feeder.close() }

    /// Sends `signal` to the process (not its group), unless it has ended.
    public func send(signal: Int32) {
        shared.state.withLock { state in
            if state.termination == nil { _ = sendSignal(pid, signal) }
        }
    }

    /// Asks the process to stop with `SIGTERM`.
    public func terminate() { send(signal: SIGTERM) }

    /// Kills the process and its process group with `SIGKILL`, unless it has ended. Safe to call in `defer`.
    public func kill() {
        shared.state.withLock { state in
            if state.termination == nil { _ = sendSignal(-pid, SIGKILL) }
        }
    }

    /// Waits for the process to end and for its output to be read to the end.
    ///
    /// If it is still running after `timeout` (or the waiting task is cancelled), it is killed with its
    /// process group and the result says `timedOut`. Standard input is closed once it has ended.
    public func waitForExit(timeout: Duration = .seconds(10)) async -> ProcessResult {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var timedOut = false
        while termination == nil {
            if clock.now >= deadline || Task.isCancelled {
                timedOut = true
                kill()
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        // After SIGKILL (or when a grandchild still holds the pipes) give the readers a bounded while.
        let drainDeadline = clock.now + .seconds(timedOut ? 10 : 3)
        while clock.now < drainDeadline, !shared.state.withLock({ $0.finished }) {
            if Task.isCancelled { kill() }
            await pause()
        }
        feeder.close()
        return shared.state.withLock { state in
            ProcessResult(
                command: command, termination: state.termination, standardOutput: state.output,
                standardError: state.error, timedOut: timedOut
            )
        }
    }

    /// Waits until `condition` holds for everything written to `stream` so far, and returns that output.
    ///
    /// - Throws: ``DoorwayTestingError`` with the output so far when `timeout` passes first or the stream
    ///   ends without meeting the condition.
    @discardableResult
    public func waitForOutput(
        on stream: Stream = .standardOutput, timeout: Duration = .seconds(10),
        describedAs what: String = "the expected output",
        until condition: ([UInt8]) -> Bool
    ) async throws -> [UInt8] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let (bytes, open) = shared.state.withLock { state in
                stream == .standardOutput ? (state.output, state.outputOpen) : (state.error, state.errorOpen)
            }
            if condition(bytes) { return bytes }
            if !open {
                throw DoorwayTestingError("\(what) never appeared on \(stream): \(self.summary)")
            }
            if clock.now >= deadline || Task.isCancelled {
                throw DoorwayTestingError("\(what) did not appear on \(stream) within \(timeout): \(self.summary)")
            }
            await pause()
        }
    }

    /// Waits until `stream` contains `text`, and returns everything written to it so far.
    @discardableResult
    public func waitForOutput(
        containing text: String, on stream: Stream = .standardOutput, timeout: Duration = .seconds(10)
    ) async throws -> String {
        let needle = Array(text.utf8)
        let bytes = try await waitForOutput(on: stream, timeout: timeout, describedAs: "\"\(text)\"") { bytes in
            bytes.count >= needle.count
                && (0...(bytes.count - needle.count)).contains { start in
                    bytes[start..<(start + needle.count)].elementsEqual(needle)
                }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Waits until the process itself holds a socket on `port` that is listening (TCP and other streams)
    /// or bound (UDP), so no connection is spent on finding out and another program on that port does not
    /// count.
    ///
    /// It asks each of the process's sockets for its address through `pidfd_getfd`, and where that is not
    /// allowed it reads the sockets' table from `/proc`. Works for a process started with `ip netns exec`,
    /// which runs the program under the same pid.
    ///
    /// - Throws: ``DoorwayTestingError`` with the process's output if it ends first or `timeout` passes.
    public func waitUntilBound(port: UInt16, transport: Transport = .tcp, timeout: Duration = .seconds(30)) async throws
    {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if termination != nil {
                throw DoorwayTestingError("it ended before binding port \(port) (\(transport)): \(summary)")
            }
            if ProcessSockets(pid: pid).holds(port: port, stream: transport != .udp) { return }
            if clock.now >= deadline || Task.isCancelled {
                throw DoorwayTestingError("it did not bind port \(port) (\(transport)) within \(timeout): \(summary)")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The command, its state and its output so far, for error messages.
    public var summary: String {
        shared.state.withLock { state in
            "`\(command.joined(separator: " "))` \(state.termination?.description ?? "is running")\n"
                + "  stdout: \(quoted(state.output))\n  stderr: \(quoted(state.error))"
        }
    }
}

// MARK: - Internals

/// Output and the end of the process, shared with the threads that read and reap it.
private final class SharedState: Sendable {
    struct State {
        var output: [UInt8] = []
        var error: [UInt8] = []
        var outputOpen = true
        var errorOpen = true
        var termination: ProcessTermination?
        var finished: Bool { !outputOpen && !errorOpen && termination != nil }
    }

    let state = Mutex(State())

    func collect(from descriptor: Int32, into stream: BackgroundProcess.Stream) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = (try? buffer.withUnsafeMutableBytes { try FileDescriptor(descriptor).read(into: $0) }) ?? -1
            if count <= 0 { break }
            state.withLock { state in
                if stream == .standardOutput {
                    state.output += buffer[0..<count]
                } else {
                    state.error += buffer[0..<count]
                }
            }
        }
        closeDescriptor(descriptor)
        state.withLock { state in
            if stream == .standardOutput { state.outputOpen = false } else { state.errorOpen = false }
        }
    }

    func finish(_ termination: ProcessTermination) {
        state.withLock { $0.termination = termination }
    }
}

/// The write end of a process's standard input; writes and the close are serialized.
final class InputPipe: Sendable {
    private let descriptor: Mutex<Int32>
    private let command: [String]

    init(descriptor: Int32, command: [String]) {
        self.descriptor = Mutex(descriptor)
        self.command = command
    }

    func write(_ bytes: [UInt8]) throws {
        try descriptor.withLock { descriptor in
            guard descriptor >= 0 else {
                throw DoorwayTestingError("cannot write to `\(command.joined(separator: " "))`: its input is closed")
            }
            do throws(Errno) {
                try FileDescriptor(descriptor).writeAll(bytes)
            } catch {
                throw DoorwayTestingError("cannot write to `\(command.joined(separator: " "))`: \(error)")
            }
        }
    }

    func close() {
        descriptor.withLock { descriptor in
            if descriptor >= 0 { closeDescriptor(descriptor) }
            descriptor = -1
        }
    }
}

/// Writing to a process that has exited must fail with `EPIPE`, not kill the test process.
private let brokenPipesIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

// File-scope names for the C calls that `BackgroundProcess` shadows with methods of the same name.
private func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }
private func sendSignal(_ pid: Int32, _ signal: Int32) -> Int32 { kill(pid, signal) }

private func pause() async {
    try? await Task.sleep(for: .milliseconds(10))
}
