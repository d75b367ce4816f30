// The crash test: kill -9 door mail serve under load, repeatedly; every acknowledged message must survive.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door mail serve survives kill -9", .timeLimit(.minutes(3)))
struct MailCrashTests {
    /// Four senders on smtplib, each sending numbered messages in a loop and printing `ACK <id>` once the
    /// server has answered 250 to the data. They reconnect when the server is gone, until killed.
    private static let load = """
        import smtplib, sys, threading, time
        port = int(sys.argv[1]); round_ = sys.argv[2]
        lock = threading.Lock()
        def sender(n):
            i = 0
            while True:
                try:
                    with smtplib.SMTP("127.0.0.1", port, timeout=5) as s:
                        while True:
                            ident = f"{round_}-{n}-{i}"
                            body = f"Subject: {ident}\\r\\n\\r\\n" + ("x" * 70 + "\\r\\n") * 30 + f"END-{ident}\\r\\n"
                            s.sendmail("load@sender.test", ["crash@example.test"], body)
                            with lock:
                                print("ACK", ident, flush=True)
                            i += 1
                except Exception:
                    i += 1
                    time.sleep(0.05)
        for n in range(4):
            threading.Thread(target=sender, args=(n,), daemon=True).start()
        time.sleep(600)
        """

    @Test(
        "after each kill -9 every acknowledged message is present once and whole, new/ has no partial file, and the server restarts on the store"
    )
    func killNineUnderLoad() async throws {
        let (door, python) = (try door(), try requiredExecutable(named: "python3", installHint: peerInstallHint))
        let temporary = try TemporaryFolder("crash")
        defer { temporary.remove() }
        let folder = temporary.path
        let store = folder + "/mail"
        let mailbox = store + "/crash@example.test"
        var acknowledged = Set<String>()
        for round in 1...3 {
            let port = try unusedPort()
            let serve = try Subprocess.start([
                door, "mail", "serve", "--maildir", store, "--listen", "127.0.0.1:\(port)", "--pop3", "127.0.0.1:0",
            ])
            defer { serve.kill() }
            try await serve.waitUntilBound(port: port)
            let load = try Subprocess.start([python, "-c", Self.load, "\(port)", "\(round)"])
            defer { load.kill() }
            // Let at least 30 messages through, then pull the plug in the middle of the load.
            _ = try await load.waitForOutput(timeout: .seconds(60), describedAs: "30 acknowledged messages") { bytes in
                bytes.split(separator: UInt8(ascii: "\n")).count >= 30
            }
            serve.send(signal: SIGKILL)
            _ = await serve.waitForExit(timeout: .seconds(10))
            load.kill()
            _ = await load.waitForExit(timeout: .seconds(10))
            for line in load.standardOutputText.split(separator: "\n") where line.hasPrefix("ACK ") {
                acknowledged.insert(String(line.dropFirst(4)))
            }

            // Every file in new/ is whole; every acknowledged message is there exactly once.
            var found: [String: Int] = [:]
            for name in (try? FileManager.default.contentsOfDirectory(atPath: mailbox + "/new")) ?? [] {
                let text = try String(contentsOfFile: mailbox + "/new/" + name, encoding: .utf8)
                let subject = text.split(separator: "\n").first { $0.hasPrefix("Subject: ") }.map {
                    String($0.dropFirst(9))
                }
                guard let subject, text.hasSuffix("END-\(subject)\n") else {
                    Issue.record("round \(round): a partial or foreign file in new/: \(name)")
                    continue
                }
                #expect(text.hasPrefix("Return-Path: <load@sender.test>\nReceived: "))
                found[subject, default: 0] += 1
            }
            let missing = acknowledged.filter { found[$0] == nil }
            #expect(missing.isEmpty, "round \(round): acknowledged but lost: \(missing.sorted().prefix(10))")
            let duplicated = found.filter { $0.value > 1 }
            #expect(duplicated.isEmpty, "round \(round): stored more than once: \(duplicated.keys.sorted().prefix(10))")
        }
        #expect(acknowledged.count >= 90, "three rounds of at least 30 acknowledgements")

        // The server restarts on the store the crashes left behind and keeps delivering.
        let port = try unusedPort()
        let serve = try Subprocess.start([
            door, "mail", "serve", "--maildir", store, "--listen", "127.0.0.1:\(port)", "--pop3", "127.0.0.1:0",
        ])
        defer { serve.kill() }
        try await serve.waitUntilBound(port: port)
        let after = try await Subprocess.run([
            python, "-c",
            "import smtplib; s = smtplib.SMTP('127.0.0.1', \(port)); s.sendmail('a@b.test', ['crash@example.test'], 'Subject: after\\r\\n\\r\\nEND-after\\r\\n'); s.quit()",
        ])
        #expect(after.exitCode == 0, "\(after)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: mailbox + "/new")) ?? []
        let contents = try names.map { try String(contentsOfFile: mailbox + "/new/" + $0, encoding: .utf8) }
        #expect(contents.contains { $0.contains("Subject: after") })
    }
}
