// A server process for one test, waiting on a loopback port that nothing else uses, and stopped afterwards.

import Doorway

/// A server that a test starts, talks to on `127.0.0.1` and stops: `door web serve`, `door mail serve`, a
/// real peer such as `nc -l`.
///
/// ```swift
/// let web = try await ServerFixture.start { endpoint in
///     [try doorExecutable(), "web", "serve", "--root", folder.path, "--listen", endpoint]
/// }
/// defer { web.kill() }
/// let page = try await Subprocess.run(["curl", "-sS", "http://\(web.endpoint)/"])
/// let ended = await web.stop()
/// #expect(ended.exitCode == 0, "\(ended)")
/// ```
public struct ServerFixture: Sendable {
    /// The server's process.
    public let process: BackgroundProcess
    /// The port it listens on (or, for UDP, has bound).
    public let port: UInt16

    /// `127.0.0.1:PORT`, as the server's command line and its clients write it.
    public var endpoint: String { "127.0.0.1:\(port)" }

    /// Picks an ``unusedPort()``, starts `command(endpoint)` and waits until the process itself has bound it.
    ///
    /// - Parameters:
    ///   - transport: `.tcp` waits for a listening socket, `.udp` for a bound one.
    ///   - environment: Variables to set on top of the test process's environment.
    ///   - timeout: How long binding may take.
    ///   - command: The command line, given the endpoint `127.0.0.1:PORT` to listen on.
    /// - Throws: ``DoorwayTestingError`` with the server's output when it ends or does not bind in time (it
    ///   is killed then).
    public static func start(
        transport: Transport = .tcp, environment: [String: String] = [:], timeout: Duration = .seconds(30),
        _ command: (_ endpoint: String) throws -> [String]
    ) async throws -> ServerFixture {
        let port = try unusedPort()
        let process = try Subprocess.start(try command("127.0.0.1:\(port)"), environment: environment)
        do {
            try await process.waitUntilBound(port: port, transport: transport, timeout: timeout)
        } catch {
            process.kill()
            throw error
        }
        return ServerFixture(process: process, port: port)
    }

    /// Asks the server to stop with `SIGTERM` and waits for its end (killing it after `timeout`).
    @discardableResult
    public func stop(timeout: Duration = .seconds(15)) async -> ProcessResult {
        process.terminate()
        return await process.waitForExit(timeout: timeout)
    }

    /// Kills the server and its process group at once, unless it has ended. Safe to call in `defer`.
    public func kill() { process.kill() }
}
