// Bytes a peer sends (and closes after) before door has started relaying must still come out.

import Doorway
import DoorwayTesting
import Testing

/// With -v, door reads the socket's options before relaying; a fast peer's bytes and end of stream arrive in
/// that gap. Each test repeats the race a few times, since one lucky run proves little.
@Suite("bytes that arrive before door relays", .timeLimit(.minutes(2)))
struct EarlyBytesTests {
    static let rounds = 8

    @Test("door connect -v keeps what a server sends at once before closing")
    func connectKeepsEarlyBytes() async throws {
        let (door, port) = (try door(), try unusedPort())
        let server = try Subprocess.start([door, "listen", "-k", "--exec", "echo early bytes", "127.0.0.1:\(port)"])
        defer { server.kill() }
        try await server.waitUntilBound(port: port)
        for round in 1...Self.rounds {
            let result = try await Subprocess.run([door, "connect", "-v", "127.0.0.1", "\(port)"])
            #expect(result.exitCode == 0 && result.standardOutputText == "early bytes\n", "round \(round): \(result)")
        }
    }

    @Test("door listen -v keeps what a client sends at once before closing")
    func listenKeepsEarlyBytes() async throws {
        let (door, nc) = (try door(), try await netcat())
        for round in 1...Self.rounds {
            let port = try unusedPort()
            let server = try Subprocess.start([door, "listen", "-v", "127.0.0.1:\(port)"])
            defer { server.kill() }
            server.closeInput()
            try await server.waitUntilBound(port: port)
            let client = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(port)"], input: "early bytes\n")
            #expect(client.exitCode == 0, "round \(round): \(client)")
            let result = await server.waitForExit()
            #expect(result.exitCode == 0 && result.standardOutputText == "early bytes\n", "round \(round): \(result)")
        }
    }
}
