// A program per connection, in the style of inetd and ucspi-tcp's tcpserver.

import Doorway
import DoorwayBasics
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// A program to run for each connection: the connection's socket is its standard input and output.
///
/// As with tcpserver, the program's environment carries the addresses: `PROTO=TCP`, `TCPREMOTEIP`,
/// `TCPREMOTEPORT`, `TCPLOCALIP`, `TCPLOCALPORT` (for Unix sockets `PROTO=UNIX` and `UNIXLOCALPATH`).
/// Standard error stays the server's. Cap concurrency with the server's `maximumConnections`.
///
/// ```swift
/// let program = try Program(commandLine: "/bin/cat -u")
/// let server = try await Server.bind(endpoint, maximumConnections: 40, initializer: program.initializer())
/// ```
public struct Program: Sendable, Hashable, CustomStringConvertible {
    /// The program's path, or a name looked up in `PATH`.
    public var executable: String
    public var arguments: [String]

    public init(executable: String, arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }

    /// Splits a command line on spaces, honouring single and double quotes and backslash escapes (no other
    /// shell features: use `sh -c '…'` for those).
    public init(commandLine: String) throws {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in commandLine {
            if escaped {
                word.append(character)
                escaped = false
            } else if character == "\\", quote != "'" {
                escaped = true
                inWord = true
            } else if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(character)
                inWord = true
            }
        }
        guard quote == nil, !escaped else {
            throw ParameterError(
                parameter: "program", value: "\"\(commandLine)\"",
                reason: "has an unclosed quote or a trailing backslash")
        }
        if inWord { words.append(word) }
        guard let executable = words.first else {
            throw ParameterError(
                parameter: "program", value: "\"\"", reason: "is empty; give a program and its arguments")
        }
        self.init(executable: executable, arguments: Array(words.dropFirst()))
    }

    public var description: String { ([executable] + arguments).joined(separator: " ") }

    /// The initializer that runs this program for each connection of a stream server.
    public func initializer() -> Server.Initializer {
        let program = self
        return { channel in
            // The future ends when the program does. Until then the server counts the connection against its
            // cap, but NIO never registers the socket: only the program reads and writes it, and NIO cannot
            // shut down its input on end of stream under the program's feet.
            let finished = channel.eventLoop.makePromise(of: Void.self)
            do {
                try ProgramRun.start(program, for: channel, finished: finished)
            } catch {
                finished.fail(error)
            }
            return finished.futureResult
        }
    }
}

/// One running program and the connection it serves.
enum ProgramRun {
    /// Sockets handed to a program and not yet closed, by (device, inode): Unix peers are often unnamed, so
    /// two connections to one Unix socket look alike and the second must not be handed the first's socket.
    private static let claimed = NIOLockedValueBox<Set<SocketIdentity>>([])

    struct SocketIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// Ends the initializer's future once the program has exited, so that NIO closes (and never registers)
    /// its copy of the socket.
    struct Finished: Error {}

    static func start(_ program: Program, for channel: any Channel, finished: EventLoopPromise<Void>) throws {
        guard let local = channel.localAddress, let remote = channel.remoteAddress else { throw SocketError.closed }
        let (descriptor, identity) = try claimDescriptor(local: local, remote: remote)
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in variables(local: local, remote: remote) { environment[key] = value }
        let pid: pid_t
        do {
            pid = try spawn(program, socket: descriptor, environment: environment)
        } catch {
            close(descriptor)
            release(identity)
            throw error
        }
        close(descriptor)
        let exited = NIOLockedValueBox(false)
        channel.closeFuture.whenComplete { _ in
            // Shutdown's deadline, or an idle timeout, closed the connection: stop the program too.
            if !exited.withLockedValue({ $0 }) { kill(pid, SIGTERM) }
        }
        Thread.detachNewThread {
            var status: Int32 = 0
            _ = try? SystemCall.retryingInterrupts { waitpid(pid, &status, 0) }
            exited.withLockedValue { $0 = true }
            release(identity)
            finished.fail(Finished())
        }
    }

    private static func release(_ identity: SocketIdentity) {
        _ = claimed.withLockedValue { $0.remove(identity) }
    }

    /// The environment tcpserver gives its programs.
    static func variables(local: SocketAddress, remote: SocketAddress) -> [String: String] {
        if case .unixDomainSocket = local {
            return ["PROTO": "UNIX", "UNIXLOCALPATH": local.pathname ?? ""]
        }
        return [
            "PROTO": "TCP",
            "TCPLOCALIP": local.ipAddress ?? "", "TCPLOCALPORT": local.port.map(String.init) ?? "",
            "TCPREMOTEIP": remote.ipAddress ?? "", "TCPREMOTEPORT": remote.port.map(String.init) ?? "",
        ]
    }

    /// Finds the descriptor NIO holds for this connection (NIO does not expose it) by matching the socket's
    /// own and peer addresses, and duplicates it so the program's copy outlives NIO's.
    private static func claimDescriptor(local: SocketAddress, remote: SocketAddress) throws -> (Int32, SocketIdentity) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for entry in entries {
            guard let fd = Int32(entry) else { continue }
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK else { continue }
            guard address(of: fd, peer: false) == local, address(of: fd, peer: true) == remote else { continue }
            let identity = SocketIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            guard claimed.withLockedValue({ $0.insert(identity).inserted }) else { continue }
            let copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)
            // NIO accepted the socket non-blocking; the program expects ordinary blocking reads and writes (a
            // `cat` would otherwise stop at its first EAGAIN). The flag belongs to the shared open file, which
            // NIO never reads or writes, since the channel is never registered.
            if copy >= 0 { _ = fcntl(copy, F_SETFL, fcntl(copy, F_GETFL) & ~O_NONBLOCK) }
            guard copy >= 0 else {
                release(identity)
                throw SocketError(
                    .other, reason: "cannot hand the connection to the program: \(String(cString: strerror(errno)))")
            }
            return (copy, identity)
        }
        throw SocketError(.other, reason: "cannot find the connection's socket to hand to the program")
    }

    private static func address(of fd: Int32, peer: Bool) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length)
            }
        }
        guard result == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee) }
            }
        case AF_UNIX:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_un.self, capacity: 1) { SocketAddress($0.pointee) }
            }
        default:
            return nil
        }
    }

    private static func spawn(_ program: Program, socket: Int32, environment: [String: String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, socket, 0)
        posix_spawn_file_actions_adddup2(&actions, socket, 1)
        // NIO's descriptors are not close-on-exec; the program must not hold the listening socket or others.
        _ = spawnActionsCloseFrom(&actions, 3)
        let argv = ([program.executable] + program.arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, program.executable, &actions, nil, argv, envp)
        guard status == 0 else {
            throw SocketError(
                .other, reason: "cannot run \(program.executable): \(String(cString: strerror(status))); check the path"
            )
        }
        return pid
    }
}

/// glibc 2.34+ has this, but Swift's Glibc module does not show it (it needs `_GNU_SOURCE`).
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnActionsCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
