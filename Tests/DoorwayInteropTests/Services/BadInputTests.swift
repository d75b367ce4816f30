// What a user sees after a mistake: door exits non-zero with a `door:` line that names the input.

import Doorway
import DoorwayTesting
import Testing

@Suite("door on bad input", .timeLimit(.minutes(2)))
struct BadInputTests {
    @Test(
        "input that cannot be parsed or looked up",
        arguments: [
            (["listen", "127.0.0.1:abc"], "127.0.0.1:abc"),
            (["listen", "[::1"], "[::1"),
            (["connect", "[::1", "80"], "[::1"),
            (["listen", "70000"], "70000"),
            (["listen", "127.0.0.1:70000"], "70000"),
            (["connect", "127.0.0.1", "70000"], "70000"),
            (["connect", "-u", "127.0.0.1", "70000"], "70000"),
            (["connect", "127.0.0.1", "nosuchservice"], "nosuchservice"),
            (["listen", "nosuchservice"], "nosuchservice"),
            (["service", "nosuchservice"], "nosuchservice"),
            (["ports", "nosuchservice"], "nosuchservice"),
            (["ports", "70000"], "70000"),
        ]
    )
    func unparsable(arguments: [String], named input: String) async throws {
        let result = try await Subprocess.run([try door()] + arguments, timeout: .seconds(10))
        expectFailure(result, naming: input)
    }

    @Test("a port already in use (TCP and UDP)", arguments: [false, true])
    func portInUse(udp: Bool) async throws {
        let (door, port) = (try door(), try unusedPort())
        let flags = udp ? ["-u"] : []
        // -k: the holder keeps its port even if a stray connection (another test's peer) reaches it first.
        let holder = try Subprocess.start([door, "listen"] + (udp ? flags : ["-k"]) + ["127.0.0.1:\(port)"])
        defer { holder.kill() }
        try await holder.waitUntilBound(port: port, transport: udp ? .udp : .tcp)
        let result = try await Subprocess.run([door, "listen"] + flags + ["127.0.0.1:\(port)"], timeout: .seconds(10))
        expectFailure(result, naming: "127.0.0.1:\(port)")
        #expect(result.standardErrorText.contains("in use"), "\(result)")
    }

    @Test("a refused connection")
    func refused() async throws {
        let (door, port) = (try door(), try unusedPort())
        let result = try await Subprocess.run([door, "connect", "127.0.0.1", "\(port)"], timeout: .seconds(10))
        expectFailure(result, naming: "127.0.0.1:\(port)")
        #expect(result.standardErrorText.contains("refused"), "\(result)")
    }

    private func expectFailure(
        _ result: ProcessResult, naming input: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(!result.timedOut, "\(result)", sourceLocation: sourceLocation)
        #expect(
            result.exitCode != nil && result.exitCode != 0, "expected a non-zero exit: \(result)",
            sourceLocation: sourceLocation)
        #expect(
            result.standardErrorText.hasPrefix("door: "), "expected a `door:` message: \(result)",
            sourceLocation: sourceLocation)
        #expect(
            result.standardErrorText.contains(input), "the message should name \(input): \(result)",
            sourceLocation: sourceLocation)
    }
}
