// The `door web serve` and `door get` commands themselves: defaults, shutdown, bad arguments, the progress bar.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door web serve and door get: the commands", .timeLimit(.minutes(2)))
struct WebCommandTests {
    private func makeFolder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder("webcmd")
        try folder.makeFolder("public")
        return folder
    }

    @Test("without flags it serves ./public on port 8080 (as a user) and exits 0 on SIGTERM")
    func defaults() async throws {
        let door = try door()
        let temporary = try makeFolder()
        defer { temporary.remove() }
        let folder = temporary.path
        try "from public\n".write(toFile: folder + "/public/index.html", atomically: true, encoding: .utf8)
        try "from the folder\n".write(toFile: folder + "/index.html", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
        // As nobody, so that the default is 8080 rather than root's 80.
        let serve = try Subprocess.start([
            "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", "-c",
            "cd '\(folder)' && exec '\(door)' web serve",
        ])
        defer { serve.kill() }
        try await serve.waitUntilBound(port: 8080)
        let page = try await Subprocess.run([door, "get", "http://127.0.0.1:8080/"])
        #expect(page.exitCode == 0 && page.standardOutputText == "from public\n", "\(page)")
        serve.terminate()
        let ended = await serve.waitForExit(timeout: .seconds(15))
        #expect(ended.exitCode == 0, "SIGTERM should end it cleanly: \(ended)")
        #expect(ended.standardErrorText.contains("shutting down"), "\(ended)")
    }

    @Test("a root that does not exist and a port in use are clear errors")
    func badArguments() async throws {
        let door = try door()
        let missing = try await Subprocess.run([
            door, "web", "serve", "--root", "/nonexistent/site", "--listen", "127.0.0.1:0",
        ])
        #expect(
            missing.exitCode == 1 && missing.standardErrorText.contains("cannot serve \"/nonexistent/site\""),
            "\(missing)")
        let first = try await ServerFixture.start { [door, "web", "serve", "--root", "/tmp", "--listen", $0] }
        defer { first.kill() }
        let port = first.port
        let second = try await Subprocess.run([door, "web", "serve", "--root", "/tmp", "--listen", "127.0.0.1:\(port)"])
        #expect(second.exitCode != 0 && second.standardErrorText.contains("\(port)"), "\(second)")
        let badTimeout = try await Subprocess.run([door, "web", "serve", "--header-timeout", "0"])
        #expect(badTimeout.exitCode != 0 && badTimeout.standardErrorText.contains("--header-timeout"), "\(badTimeout)")
    }

    @Test("door get draws a progress bar on a terminal and none when standard error is not one")
    func progressBar() async throws {
        let door = try door()
        let script = try requiredExecutable(named: "script", installHint: "script is in Debian's bsdutils")
        let temporary = try makeFolder()
        defer { temporary.remove() }
        let folder = temporary.path
        #expect(FileManager.default.createFile(atPath: folder + "/public/big.bin", contents: Data(count: 8 << 20)))
        let serve = try await ServerFixture.start {
            [door, "web", "serve", "--root", folder + "/public", "--listen", $0]
        }
        defer { serve.kill() }
        let port = serve.port

        let plain = try await Subprocess.run([
            door, "get", "-o", folder + "/plain.bin", "http://127.0.0.1:\(port)/big.bin",
        ])
        #expect(plain.exitCode == 0 && plain.standardErrorText.isEmpty, "no bar without a terminal: \(plain)")
        // `script` gives the command a pseudo-terminal and copies what it draws to standard output.
        let onTerminal = try await Subprocess.run([
            script, "-qec", "'\(door)' get -o '\(folder)/tty.bin' http://127.0.0.1:\(port)/big.bin", "/dev/null",
        ])
        #expect(onTerminal.exitCode == 0, "\(onTerminal)")
        #expect(
            onTerminal.standardOutputText.contains("100% [") && onTerminal.standardOutputText.contains("MiB"),
            "\(onTerminal)")
        let size = try FileManager.default.attributesOfItem(atPath: folder + "/tty.bin")[.size] as? Int
        #expect(size == 8 << 20)
    }
}
