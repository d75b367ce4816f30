// Running programs from tests: once with input and a timeout, or in the background to drive, watch and stop.

import Foundation

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
/// signals are reset to their defaults, whatever the test process ignores. On Linux it is killed when the
/// test process dies, however that dies (see `ProcessSpawner`).
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
