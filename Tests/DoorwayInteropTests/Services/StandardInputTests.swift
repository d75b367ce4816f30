// door connect's standard input may be a pipe, a regular file or /dev/null (NIO's pipe bootstrap takes none
// of the last two, and epoll refuses /dev/null).

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door connect with standard input from a file or /dev/null", .timeLimit(.minutes(2)))
struct StandardInputTests {
    @Test("a regular file goes through whole, and its end half-closes the connection")
    func regularFile() async throws {
        let door = try door()
        let echo = try await ServerFixture.start { [door, "service", "echo", "--listen", $0] }
        defer { echo.kill() }
        let port = echo.port
        let folder = try TemporaryFolder("stdin")
        defer { folder.remove() }
        let path = folder.path("input.bin")
        let content = message("a file on standard input", bulk: 1 << 20)
        try Data(content).write(to: URL(fileURLWithPath: path))
        // The echo service closes once our half-close has arrived and the echo is out, so door ends by itself.
        let result = try await Subprocess.run([
            "sh", "-c", "exec \"$0\" connect 127.0.0.1 \(port) < \"$1\"", door, path,
        ])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.standardOutput == content)
    }

    @Test("/dev/null is an empty input: the connection half-closes at once and the answer still arrives")
    func devNull() async throws {
        let door = try door()
        let daytime = try await ServerFixture.start { [door, "service", "daytime", "--listen", $0] }
        defer { daytime.kill() }
        let port = daytime.port
        let result = try await Subprocess.run(["sh", "-c", "exec \"$0\" connect 127.0.0.1 \(port) < /dev/null", door])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.standardOutputText.hasSuffix("-UTC\r\n"), "\(result)")
    }
}
