// Running programs from tests: once with input and a timeout, or in the background to drive, watch and stop.

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

/// How a process ended.
public enum ProcessTermination: Sendable, Hashable, CustomStringConvertible {
    /// It called `exit` with this status.
    case exited(Int32)
    /// A signal with this number ended it.
    case signaled(Int32)

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signaled(let signal): "was killed by signal \(signal)"
        }
    }
}

/// What a finished process left: how it ended and everything it wrote.
public struct ProcessResult: Sendable, CustomStringConvertible {
    /// The command line that ran.
    public var command: [String]
    /// How it ended; `nil` if it could not be stopped even with `SIGKILL`.
    public var termination: ProcessTermination?
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]
    /// Whether it was killed because it outlived its timeout.
    public var timedOut: Bool

    /// The exit status, or `nil` if a signal ended the process.
    public var exitCode: Int32? {
        if case .exited(let status) = termination { return status }
        return nil
    }

    public var standardOutputText: String { String(decoding: standardOutput, as: UTF8.self) }
    public var standardErrorText: String { String(decoding: standardError, as: UTF8.self) }

    /// The command, how it ended and its output: enough to tell why a test failed.
    public var description: String {
        let ending = timedOut ? "was killed after its timeout" : (termination?.description ?? "could not be stopped")
        return "`\(command.joined(separator: " "))` \(ending)\n"
            + "  stdout: \(quoted(standardOutput))\n  stderr: \(quoted(standardError))"
    }
}

/// Runs programs for tests, the way a person at a shell would.
///
/// ```swift
/// let result = try await Subprocess.run(["nc", "-N", "127.0.0.1", "7"], input: "hello\n", timeout: .seconds(5))
/// #expect(result.exitCode == 0, "\(result)")
///
/// let server = try Subprocess.start([try doorExecutable(), "listen", "-v", "127.0.0.1:9000"])
/// defer { server.kill() }
/// try await server.waitUntilBound(port: 9000, transport: .tcp)
/// ```
///
/// Each process gets its own process group, so a timeout also stops what it started (`sh -c …`). Its
/// signals are reset to their defaults, whatever the test process ignores.
public enum Subprocess {
    /// Runs `command` to completion with `input` on its standard input (closed after it).
    ///
    /// A process that is still running after `timeout` is killed, with its process group; the result then
    /// says `timedOut`.
    ///
    /// - Parameters:
    ///   - command: The program (a path, or a name looked up on `PATH`) and its arguments.
    ///   - input: Bytes for standard input.
    ///   - environment: Variables to set on top of the test process's environment.
    ///   - timeout: How long it may run.
    public static func run(
        _ command: [String], input: [UInt8] = [], environment: [String: String] = [:],
        timeout: Duration = .seconds(10)
    ) async throws -> ProcessResult {
        let process = try start(command, environment: environment)
        let feeder = process.feeder
        Thread.detachNewThread {
            _ = try? feeder.write(input)
            feeder.close()
        }
        return await process.waitForExit(timeout: timeout)
    }

    /// Runs `command` to completion with the UTF-8 of `input` on its standard input.
    public static func run(
        _ command: [String], input: String, environment: [String: String] = [:], timeout: Duration = .seconds(10)
    ) async throws -> ProcessResult {
        try await run(command, input: Array(input.utf8), environment: environment, timeout: timeout)
    }

    /// Starts `command` in the background, with pipes on its standard input, output and error.
    ///
    /// The process is killed when the returned value goes away, if it is still running.
    public static func start(_ command: [String], environment: [String: String] = [:]) throws -> BackgroundProcess {
        try BackgroundProcess(command: command, environment: environment)
    }
}

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
    fileprivate let feeder: InputPipe

    fileprivate init(command: [String], environment: [String: String]) throws {
        precondition(!command.isEmpty, "a command needs at least a program")
        _ = brokenPipesIgnored
        self.command = command
        let (pid, input, output, error) = try spawning.withLock { _ in
            let input = try makePipe()
            let output = try makePipe()
            let errors = try makePipe()
            defer {
                closeDescriptor(input.read)
                closeDescriptor(output.write)
                closeDescriptor(errors.write)
            }
            do {
                let pid = try spawn(
                    command, environment: environment, standardStreams: (input.read, output.write, errors.write))
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
            if processHolds(pid: pid, port: port, stream: transport != .udp) { return }
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
private final class InputPipe: Sendable {
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

private func quoted(_ bytes: [UInt8]) -> String {
    if bytes.isEmpty { return "(nothing)" }
    let text = String(decoding: bytes.prefix(4000), as: UTF8.self)
    return "\"\(text)\"" + (bytes.count > 4000 ? " … (\(bytes.count) bytes)" : "")
}

/// Held while creating pipes and spawning, so no child of ours inherits another child's pipes in the moment
/// before they are marked close-on-exec (`pipe2` and `posix_spawn_file_actions_addclosefrom_np` are not
/// visible to Swift here).
private let spawning = Mutex(())

/// A pipe whose both ends close on `exec`, so only the child's `dup2`ed copies survive into it.
private func makePipe() throws -> (read: Int32, write: Int32) {
    var descriptors: [Int32] = [-1, -1]
    guard pipe(&descriptors) == 0 else {
        throw DoorwayTestingError("cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    return (descriptors[0], descriptors[1])
}

/// Starts `command` in a new process group with default signal handling and the given standard streams.
private func spawn(
    _ command: [String], environment overrides: [String: String], standardStreams: (Int32, Int32, Int32)
) throws -> Int32 {
    #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
    #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
    #endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, standardStreams.0, 0)
    posix_spawn_file_actions_adddup2(&actions, standardStreams.1, 1)
    posix_spawn_file_actions_adddup2(&actions, standardStreams.2, 2)
    // NIO's sockets are not close-on-exec: a child that inherited a test's listening socket would keep it
    // accepting after the test's server closed it.
    _ = spawnActionsCloseFrom(&actions, 3)

    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    posix_spawnattr_setpgroup(&attributes, 0)
    var everySignal = sigset_t()
    sigfillset(&everySignal)
    posix_spawnattr_setsigdefault(&attributes, &everySignal)
    var noSignal = sigset_t()
    sigemptyset(&noSignal)
    posix_spawnattr_setsigmask(&attributes, &noSignal)

    var environment = ProcessInfo.processInfo.environment
    environment.merge(overrides) { _, new in new }
    let arguments: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    let variables: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for pointer in arguments { free(pointer) }
        for pointer in variables { free(pointer) }
    }
    var pid: pid_t = 0
    let status = posix_spawnp(&pid, command[0], &actions, &attributes, arguments, variables)
    guard status == 0 else {
        throw DoorwayTestingError(
            "cannot start `\(command.joined(separator: " "))`: \(String(cString: strerror(status)))")
    }
    return pid
}

/// Whether the process `pid` holds a socket on `port`: a listening one when `stream`, else a bound datagram
/// socket.
private func processHolds(pid: pid_t, port: UInt16, stream: Bool) -> Bool {
    let sockets = socketDescriptors(of: pid)
    if sockets.isEmpty { return false }
    if let answer = askSockets(of: pid, descriptors: sockets.map(\.descriptor), port: port, stream: stream) {
        return answer
    }
    let inodes = Set(sockets.map(\.inode))
    let tables = stream ? ["tcp", "tcp6"] : ["udp", "udp6"]
    return tables.contains { table in
        boundPorts(in: "/proc/\(pid)/net/\(table)", listeningOnly: stream, inodes: inodes).contains(port)
    }
}

/// The process's open descriptors that are sockets, with their inodes (from links such as `socket:[12345]`).
private func socketDescriptors(of pid: pid_t) -> [(descriptor: Int32, inode: Substring)] {
    let folder = "/proc/\(pid)/fd"
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return entries.compactMap { entry in
        guard let descriptor = Int32(entry),
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(entry)"),
            target.hasPrefix("socket:[")
        else { return nil }
        return (descriptor, target.dropFirst("socket:[".count).dropLast())
    }
}

/// Asks the process's sockets themselves, through copies of its descriptors (`pidfd_getfd`): exact, and
/// cheap however many sockets the machine has. `nil` when the kernel does not allow it here.
private func askSockets(of pid: pid_t, descriptors: [Int32], port: UInt16, stream: Bool) -> Bool? {
    let process = pidfdOpen(pid, 0)
    guard process >= 0 else { return nil }
    defer { close(process) }
    var copied = 0
    for descriptor in descriptors {
        let copy = pidfdGetfd(process, descriptor, 0)
        guard copy >= 0 else { continue }
        defer { close(copy) }
        copied += 1
        if socketMatches(copy, port: port, stream: stream) { return true }
    }
    return copied == 0 ? nil : false
}

private func socketMatches(_ socket: Int32, port: UInt16, stream: Bool) -> Bool {
    func option(_ name: Int32) -> Int32? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(socket, SOL_SOCKET, name, &value, &length) == 0 ? value : nil
    }
    guard let domain = option(SO_DOMAIN), domain == AF_INET || domain == AF_INET6,
        let type = option(SO_TYPE)
    else { return false }
    if stream {
        guard type == Int32(SOCK_STREAM.rawValue), option(SO_ACCEPTCONN) == 1 else { return false }
    } else {
        guard type == Int32(SOCK_DGRAM.rawValue) else { return false }
    }
    var address = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
    }
    guard named == 0 else { return false }
    // sin_port and sin6_port sit at the same offset, in network byte order.
    let bound = withUnsafeBytes(of: &address) { UInt16(bigEndian: $0.load(fromByteOffset: 2, as: UInt16.self)) }
    return bound == port
}

/// The local ports of the sockets in a `/proc/net/tcp`-style table that are among `inodes` (and, if asked,
/// in LISTEN state).
///
/// The table is read in one call with a large buffer: read in small pieces, the kernel resumes each piece
/// at an offset, and while other processes open and close sockets it can skip entries.
private func boundPorts(in table: String, listeningOnly: Bool, inodes: Set<Substring>) -> Set<UInt16> {
    guard !inodes.isEmpty, let text = readWhole(table) else { return [] }
    var ports = Set<UInt16>()
    for line in text.split(separator: "\n").dropFirst() {
        // sl, local address, remote address, state, queues, timer, retransmits, uid, timeout, inode, …
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 9, inodes.contains(fields[9]), let colon = fields[1].lastIndex(of: ":") else { continue }
        if listeningOnly, fields[3] != "0A" { continue }
        if let port = UInt16(fields[1][fields[1].index(after: colon)...], radix: 16) { ports.insert(port) }
    }
    return ports
}

private func readWhole(_ path: String) -> String? {
    let file = open(path, O_RDONLY | O_CLOEXEC)
    guard file >= 0 else { return nil }
    defer { close(file) }
    guard let bytes = try? FileDescriptor(file).readToEnd(chunkSize: 4 << 20) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
}

@_silgen_name("pidfd_open")
private func pidfdOpen(_ pid: pid_t, _ flags: UInt32) -> Int32

@_silgen_name("pidfd_getfd")
private func pidfdGetfd(_ pidfd: Int32, _ descriptor: Int32, _ flags: UInt32) -> Int32

/// glibc 2.34+ has this, but Swift's Glibc module does not show it (it needs `_GNU_SOURCE`).
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnActionsCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
