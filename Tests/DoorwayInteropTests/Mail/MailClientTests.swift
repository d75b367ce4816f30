// door's mail clients: `door mail send` to a real SMTP server (aiosmtpd) and across two hosts, and
// `door mail inbox` / `door mail show` on what arrived.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door mail send, inbox and show", .timeLimit(.minutes(3)))
struct MailClientTests {
    /// aiosmtpd (Python's reference SMTP server) printing each envelope and message as a JSON line.
    private func startAiosmtpd(port: UInt16) throws -> BackgroundProcess {
        let script = """
            import asyncio, json, sys
            from aiosmtpd.controller import Controller
            class Handler:
                async def handle_DATA(self, server, session, envelope):
                    print(json.dumps({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                                      "options": envelope.mail_options,
                                      "data": envelope.original_content.decode("utf-8")}), flush=True)
                    return "250 2.0.0 stored by aiosmtpd"
                async def handle_RCPT(self, server, session, envelope, address, options):
                    if address.startswith("refused@"):
                        return "550 5.1.1 no such user here"
                    envelope.rcpt_tos.append(address)
                    return "250 OK"
            c = Controller(Handler(), hostname="127.0.0.1", port=\(port), enable_SMTPUTF8=True, decode_data=False)
            c.start()
            print("READY", flush=True)
            import time
            time.sleep(120)
            """
        return try Subprocess.start([try python3(), "-c", script])
    }

    @Test("door mail send builds a MIME message that aiosmtpd receives intact: encoded subject, 8-bit text, dots")
    func sendToAiosmtpd() async throws {
        let port = try unusedPort()
        let server = try startAiosmtpd(port: port)
        defer { server.kill() }
        try await server.waitUntilBound(port: port)
        let text = "Grüße aus Doorway\n.\n..two\n" + String(repeating: "long ", count: 300) + "\n"
        let sent = try await Subprocess.run(
            [
                try door(), "mail", "send", "--server", "127.0.0.1:\(port)", "--from",
                "Ann Ångström <ann@example.test>",
                "--to", "bob@example.test", "--to", "refused@example.test", "--subject", "Héllo wörld ✓",
            ],
            input: text, timeout: .seconds(30)
        )
        #expect(sent.exitCode == 1, "a refused recipient makes the exit non-zero: \(sent)")
        #expect(sent.standardErrorText.contains("550 5.1.1 no such user here"), "\(sent)")
        #expect(sent.standardErrorText.contains("250 2.0.0 stored by aiosmtpd"), "\(sent)")
        let line = try await server.waitForOutput(describedAs: "the message") { $0.contains(UInt8(ascii: "{")) }
        let json = String(decoding: line, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("{") } ?? ""
        let received = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(received["from"] as? String == "ann@example.test")
        #expect(received["to"] as? [String] == ["bob@example.test"])
        let data = received["data"] as? String ?? ""
        #expect(!data.contains("\r\r") && !data.contains("\n\n\n"), "no bare line endings: \(data.debugDescription)")
        // Python's email package, the standard reader, decodes what door composed.
        let check = try await Subprocess.run(
            [
                try python3(), "-c",
                """
                import sys, email, email.policy, json
                m = email.message_from_string(sys.stdin.read(), policy=email.policy.default)
                print(json.dumps({"subject": str(m["Subject"]), "from": str(m["From"]), "date": m["Date"] is not None,
                                  "id": m["Message-ID"] is not None, "text": m.get_content()}))
                """,
            ],
            input: data, timeout: .seconds(10)
        )
        let parsed = try #require(
            try JSONSerialization.jsonObject(with: Data(check.standardOutput)) as? [String: Any], "\(check)")
        #expect(parsed["subject"] as? String == "Héllo wörld ✓")
        #expect(parsed["from"] as? String == "Ann Ångström <ann@example.test>")
        #expect(parsed["date"] as? Bool == true && parsed["id"] as? Bool == true)
        #expect((parsed["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == text, "\(parsed)")
    }

    @Test("door mail send to door mail serve; inbox lists it decoded; show prints the text; --raw the bytes")
    func sendInboxShow() async throws {
        let temporary = try TemporaryFolder("mailclient")
        defer { temporary.remove() }
        let folder = temporary.path
        let port = try unusedPort()
        let store = folder + "/mail"
        let serve = try Subprocess.start(
            [
                try door(), "mail", "serve", "--maildir", store, "--listen", "127.0.0.1:\(port)", "--pop3",
                "127.0.0.1:0",
                "--domain", "example.test",
            ])
        defer { serve.kill() }
        try await serve.waitUntilBound(port: port)
        let sent = try await Subprocess.run(
            [
                try door(), "mail", "send", "--server", "127.0.0.1:\(port)", "--from", "ann@example.test", "--to",
                "bob@example.test", "--subject", "Crème brûlée",
            ],
            input: "Bon appétit!\n", timeout: .seconds(30))
        #expect(sent.exitCode == 0, "\(sent)")
        let refused = try await Subprocess.run(
            [
                try door(), "mail", "send", "--server", "127.0.0.1:\(port)", "--from", "ann@example.test", "--to",
                "someone@elsewhere.test",
            ],
            input: "x\n", timeout: .seconds(30))
        #expect(refused.exitCode != 0)
        #expect(refused.standardErrorText.contains("550 5.7.1"), "the server's reply is shown: \(refused)")

        let inbox = try await Subprocess.run([
            try door(), "mail", "inbox", "--maildir", store, "bob@example.test", "--json",
        ])
        #expect(inbox.exitCode == 0, "\(inbox)")
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(inbox.standardOutput)) as? [[String: Any]])
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry["subject"] as? String == "Crème brûlée")
        #expect(entry["from"] as? String == "ann@example.test")
        #expect(entry["seen"] as? Bool == false)
        let id = try #require(entry["id"] as? String)

        let listed = try await Subprocess.run([try door(), "mail", "inbox", "--maildir", store])
        #expect(
            listed.standardOutputText.contains(id) && listed.standardOutputText.contains("Crème brûlée"), "\(listed)")

        let shown = try await Subprocess.run([try door(), "mail", "show", "--maildir", store, id])
        #expect(shown.exitCode == 0, "\(shown)")
        #expect(shown.standardOutputText.contains("Subject: Crème brûlée\n"), "\(shown)")
        #expect(shown.standardOutputText.hasSuffix("\n\nBon appétit!\n"), "\(shown)")
        let raw = try await Subprocess.run([try door(), "mail", "show", "--maildir", store, "--raw", id])
        let path = store + "/" + (entry["path"] as? String ?? "")
        #expect(raw.standardOutput == Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let missing = try await Subprocess.run([try door(), "mail", "show", "--maildir", store, "00000000"])
        #expect(missing.exitCode != 0 && missing.standardErrorText.contains("no message 00000000"), "\(missing)")
    }

    @Test("door mail send on host B delivers to door mail serve on host A by IP; Received names B's address")
    func acrossHosts() async throws {
        let door = try door()
        let temporary = try TemporaryFolder("mailclient")
        defer { temporary.remove() }
        let folder = temporary.path
        try await withTwoHosts { hosts in
            let serve = try hosts.a.start([
                door, "mail", "serve", "--maildir", folder + "/mail", "--listen", "\(hosts.a.address):25",
                "--pop3", "\(hosts.a.address):110", "--hostname", "mx.a.test",
            ])
            defer { serve.kill() }
            try await serve.waitUntilBound(port: 25)
            let sent = try await hosts.b.run(
                [
                    door, "mail", "send", "--server", hosts.a.address, "--from", "b@b.test", "--to", "a@a.test",
                    "--subject", "across",
                ],
                input: Array("from host B\n".utf8), timeout: .seconds(30))
            #expect(sent.exitCode == 0, "\(sent)")
            let new = folder + "/mail/a@a.test/new"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: new)) ?? []
            #expect(names.count == 1)
            if let name = names.first {
                let text = try String(contentsOfFile: new + "/" + name, encoding: .utf8)
                #expect(text.contains("([\(hosts.b.address)])\n\tby mx.a.test with ESMTP"), "\(text)")
                #expect(text.contains("Subject: across\n") && text.hasSuffix("\nfrom host B\n"), "\(text)")
            }
        }
    }
}
