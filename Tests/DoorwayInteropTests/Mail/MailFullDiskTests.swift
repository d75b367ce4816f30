// A full disk under door mail serve: 452 4.3.1, never a 250 for a message that was not stored.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door mail serve on a full disk", .timeLimit(.minutes(2)))
struct MailFullDiskTests {
    @Test("on a 1 MiB file system, messages are stored until it fills, then 452 4.3.1; each 250 is a whole file")
    func fullDisk() async throws {
        let temporary = try TemporaryFolder("full")
        defer { temporary.remove() }
        let folder = temporary.path
        // A small tmpfs is a disk that fills quickly and predictably (needs root, as the namespace tests do).
        let mounted = try await Subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder])
        try #require(mounted.exitCode == 0, "mount a 1 MiB tmpfs: \(mounted)")
        defer { _ = Glibc.umount2(folder, Int32(MNT_DETACH)) }
        let port = try unusedPort()
        let serve = try Subprocess.start(
            [
                try door(), "mail", "serve", "--maildir", folder + "/mail", "--listen", "127.0.0.1:\(port)", "--pop3",
                "127.0.0.1:0",
            ])
        defer { serve.kill() }
        try await serve.waitUntilBound(port: port)
        let script = """
            import smtplib, json
            codes = []
            body = ("x" * 900 + "\\r\\n") * 330
            with smtplib.SMTP("127.0.0.1", \(port), timeout=30) as s:
                for i in range(6):
                    try:
                        s.sendmail("a@x.test", ["full@example.test"], "Subject: %d\\r\\n\\r\\n%s" % (i, body))
                        codes.append([250, ""])
                    except smtplib.SMTPDataError as e:
                        codes.append([e.smtp_code, e.smtp_error.decode()])
            print(json.dumps(codes))
            """
        let run = try await Subprocess.run([try python3(), "-c", script], timeout: .seconds(60))
        #expect(run.exitCode == 0, "\(run)")
        let codes = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput)) as? [[Any]], "\(run)")
        let accepted = codes.prefix { $0.first as? Int == 250 }.count
        #expect(accepted >= 1 && accepted < codes.count, "some fit, then the disk is full: \(codes)")
        for refusal in codes.dropFirst(accepted) {
            #expect(refusal.first as? Int == 452, "\(codes)")
            #expect((refusal.last as? String)?.hasPrefix("4.3.1") == true, "\(codes)")
        }
        let mailbox = folder + "/mail/full@example.test"
        let stored = try FileManager.default.contentsOfDirectory(atPath: mailbox + "/new")
        #expect(stored.count == accepted, "exactly the acknowledged messages are stored")
        for name in stored {
            let text = try String(contentsOfFile: mailbox + "/new/" + name, encoding: .utf8)
            #expect(text.utf8.count > 330 * 900 && text.hasSuffix(String(repeating: "x", count: 900) + "\n"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: mailbox + "/tmp").isEmpty, "no leftovers in tmp/")

        // Room again: the same server stores again.
        for name in stored { try FileManager.default.removeItem(atPath: mailbox + "/new/" + name) }
        let again = try await Subprocess.run(
            [
                try python3(), "-c",
                "import smtplib; s = smtplib.SMTP('127.0.0.1', \(port)); s.sendmail('a@x.test', ['full@example.test'], 'Subject: again\\r\\n\\r\\nok\\r\\n'); s.quit()",
            ],
            timeout: .seconds(30))
        #expect(again.exitCode == 0, "\(again)")
    }
}
