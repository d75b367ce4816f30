// DoorwayTesting itself: children die with the test process, temporary folders, the server fixture.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("DoorwayTesting's own parts", .timeLimit(.minutes(1)))
struct TestSupportTests {
    @Test("a started process has SIGKILL as its parent-death signal, so it ends when the test process dies")
    func childrenDieWithTheTestProcess() async throws {
        // PR_GET_PDEATHSIG is 2; the signal number comes back through the pointer.
        let script = """
            import ctypes
            value = ctypes.c_int(-1)
            ctypes.CDLL(None, use_errno=True).prctl(2, ctypes.byref(value), 0, 0, 0)
            print(value.value)
            """
        let result = try await Subprocess.run([try python3(), "-c", script])
        #expect(result.exitCode == 0 && result.standardOutputText == "\(SIGKILL)\n", "\(result)")
        // The command line it ran is still the test's own, and a missing program still fails to start.
        #expect(result.command.first?.hasSuffix("python3") == true, "\(result)")
        #expect(throws: DoorwayTestingError.self) { try Subprocess.start(["doorway-no-such-program"]) }
    }

    @Test("temporary folders are new, distinct and gone after remove()")
    func temporaryFolders() throws {
        let (first, second) = (try TemporaryFolder("support"), try TemporaryFolder("support"))
        #expect(first.path != second.path && first.path.hasPrefix("/tmp/doorway-support-"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: first.path).isEmpty)
        let nested = try first.makeFolder("a/b")
        #expect(nested == first.path("a/b") && FileManager.default.fileExists(atPath: nested))
        first.remove()
        second.remove()
        #expect(
            !FileManager.default.fileExists(atPath: first.path) && !FileManager.default.fileExists(atPath: second.path))
    }

    @Test("the server fixture waits until door has bound its port, and stop() ends it cleanly")
    func serverFixture() async throws {
        let door = try door()
        let echo = try await ServerFixture.start { [door, "service", "echo", "--listen", $0] }
        defer { echo.kill() }
        #expect(echo.endpoint == "127.0.0.1:\(echo.port)")
        let reply = try await Subprocess.run([door, "connect", "127.0.0.1", "\(echo.port)"], input: "ping\n")
        #expect(reply.standardOutputText == "ping\n", "\(reply)")
        let ended = await echo.stop()
        #expect(ended.exitCode == 0, "\(ended)")
    }

    @Test("a seeded generator replays its sequence, matches SplitMix64's published first value, and differs by seed")
    func seededRandomReplays() {
        var first = SeededRandom(seed: 42)
        var again = SeededRandom(seed: 42)
        var other = SeededRandom(seed: 43)
        let sequence = (0..<8).map { _ in first.next() }
        #expect(sequence == (0..<8).map { _ in again.next() })
        #expect(sequence != (0..<8).map { _ in other.next() })
        // SplitMix64 seeded with 0 starts 0xE220A8397B1DCDAF (Vigna's reference implementation).
        var zero = SeededRandom(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        #expect(first.bytes(16).count == 16)
    }
}
