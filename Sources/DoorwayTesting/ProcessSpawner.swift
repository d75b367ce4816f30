// Starting a test's process: pipes for its standard streams, its own process group, default signals, and
// death with the test process.

import Doorway
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts the processes of ``Subprocess`` and ``BackgroundProcess``.
///
/// Each child gets its own process group, default signal handling and an empty signal mask, only its three
/// standard streams open, and (on Linux) `PR_SET_PDEATHSIG` set to `SIGKILL`, so that a test process that
/// crashes or is killed leaves no servers behind.
///
/// `posix_spawn` cannot call `prctl` in the child, and `fork` is not safe in a threaded Swift process, so
/// the child is started through util-linux's `setpriv --pdeathsig KILL`, which sets it and `exec`s the
/// command under the same pid. The parent-death signal fires when the *thread* that spawned the child ends,
/// and Swift's concurrency threads come and go, so every spawn happens on one thread that lives as long as
/// the test process.
enum ProcessSpawner {
    /// The three standard streams a child gets, by descriptor.
    struct StandardStreams {
        var input: Int32
        var output: Int32
        var error: Int32
    }

    /// Holds the spawn lock while `body` makes pipes and spawns, so that no child of ours inherits another
    /// child's pipes in the moment before they are marked close-on-exec (`pipe2` and
    /// `posix_spawn_file_actions_addclosefrom_np` are not visible to Swift here).
    static func withSpawnLock<Result: Sendable>(_ body: () throws -> Result) throws -> Result {
        try spawning.withLock { _ in try body() }
    }

    /// A pipe whose both ends close on `exec`, so only the child's `dup2`ed copies survive into it.
    static func makePipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw DoorwayTestingError("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (descriptors[0], descriptors[1])
    }

    /// Starts `command` with `streams`, the test process's environment and `overrides`; returns its pid.
    ///
    /// - Throws: ``DoorwayTestingError`` when the program cannot be found or started.
    static func spawn(
        _ command: [String], environment overrides: [String: String], streams: StandardStreams
    )
        throws -> Int32
    {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(overrides) { _, new in new }
        var line = command
        if let setpriv = deathSignalShim {
            // Looked for here, so a missing program is the same error as without the shim.
            try requireProgram(command[0], in: environment["PATH"], command: command)
            line = [setpriv, "--pdeathsig", "KILL", "--"] + command
        }
        let request = SpawnRequest(command: command, line: line, environment: environment, streams: streams)
        return try SpawningThread.shared.run { try posixSpawn(request) }
    }

    private static let spawning = Mutex(())

    /// `setpriv`, where the kernel has parent-death signals and util-linux is installed.
    private static let deathSignalShim: String? = {
        #if os(Linux)
        for path in ["/usr/bin/setpriv", "/bin/setpriv"] where access(path, X_OK) == 0 { return path }
        #endif
        return nil
    }()

    /// Throws the error `posix_spawnp` would give when `name` (a path, or a name looked up on `path`) is not
    /// an executable file.
    private static func requireProgram(_ name: String, in path: String?, command: [String]) throws {
        let candidates =
            name.contains("/")
            ? [name] : (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map { "\($0)/\(name)" }
        for candidate in candidates {
            var status = stat()
            if access(candidate, X_OK) == 0, stat(candidate, &status) == 0, status.st_mode & S_IFMT != S_IFDIR {
                return
            }
        }
        throw DoorwayTestingError(
            "cannot start `\(command.joined(separator: " "))`: \(String(cString: strerror(ENOENT)))")
    }
}

/// What one spawn needs, handed to the spawning thread.
private struct SpawnRequest: Sendable {
    /// The command as the test gave it, for errors.
    var command: [String]
    /// What is actually run: the command, or the shim and the command.
    var line: [String]
    var environment: [String: String]
    var streamDescriptors: (Int32, Int32, Int32)

    init(command: [String], line: [String], environment: [String: String], streams: ProcessSpawner.StandardStreams) {
        self.command = command
        self.line = line
        self.environment = environment
        streamDescriptors = (streams.input, streams.output, streams.error)
    }
}

/// The one thread that spawns every child, so that a child's parent-death signal means the test process's
/// death and never the end of a pooled thread.
private final class SpawningThread: Sendable {
    static let shared = SpawningThread()

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let waiting = DispatchSemaphore(value: 0)

    private init() {
        Thread.detachNewThread { [self] in
            while true {
                waiting.wait()
                let job = jobs.withLock { $0.removeFirst() }
                job()
            }
        }
    }

    /// Runs `body` on the spawning thread and waits for its result.
    func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) throws -> Value {
        let result = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        jobs.withLock {
            $0.append {
                let outcome = Result { try body() }
                result.withLock { $0 = outcome }
                done.signal()
            }
        }
        waiting.signal()
        done.wait()
        return try result.withLock { $0! }.get()
    }
}

/// `posix_spawnp` of the request's line in a new process group, with default signal handling and only the
/// three standard streams open.
private func posixSpawn(_ request: SpawnRequest) throws -> Int32 {
    #if os(Linux)
    var actions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
    #else
    var actions: posix_spawn_file_actions_t?
    var attributes: posix_spawnattr_t?
    #endif
    let streams = request.streamDescriptors
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, streams.0, 0)
    posix_spawn_file_actions_adddup2(&actions, streams.1, 1)
    posix_spawn_file_actions_adddup2(&actions, streams.2, 2)
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

    let arguments: [UnsafeMutablePointer<CChar>?] = request.line.map { strdup($0) } + [nil]
    let variables: [UnsafeMutablePointer<CChar>?] =
        request.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for pointer in arguments { free(pointer) }
        for pointer in variables { free(pointer) }
    }
    var pid: pid_t = 0
    let status = posix_spawnp(&pid, request.line[0], &actions, &attributes, arguments, variables)
    guard status == 0 else {
        throw DoorwayTestingError(
            "cannot start `\(request.command.joined(separator: " "))`: \(String(cString: strerror(status)))")
    }
    return pid
}

/// glibc 2.34+ has this, but Swift's Glibc module does not show it (it needs `_GNU_SOURCE`).
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnActionsCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
