// door mail serve with real mail clients: swaks and Python's smtplib send, Python's mailbox.Maildir reads.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door mail serve with real mail peers", .timeLimit(.minutes(3)))
struct MailInteropTests {
    private func startServer(_ store: String, _ extra: [String] = []) async throws -> (BackgroundProcess, UInt16) {
        let port = try unusedPort()
        let serve = try Subprocess.start(
            [
                try door(), "mail", "serve", "--maildir", store, "--listen", "127.0.0.1:\(port)", "--pop3",
                "127.0.0.1:0", "--hostname", "mx.test",
            ]
                + extra
        )
        try await serve.waitUntilBound(port: port)
        return (serve, port)
    }

    private func messages(in mailbox: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: mailbox + "/new")) ?? []).sorted()
    }

    @Test("swaks delivers, with and without pipelining; the message is in the recipient's Maildir with trace headers")
    func swaks() async throws {
        let swaks = try requiredExecutable(named: "swaks", installHint: peerInstallHint)
        let temporary = try TemporaryFolder("mail")
        defer { temporary.remove() }
        let folder = temporary.path
        let (serve, port) = try await startServer(folder + "/mail")
        defer { serve.kill() }
        for pipelining in [false, true] {
            let sent = try await Subprocess.run(
                [
                    swaks, "--server", "127.0.0.1:\(port)", "--from", "alice@sender.test", "--to", "bob@example.test",
                    "--header", "Subject: swaks \(pipelining)", "--body", "hello from swaks\n.leading dot\n",
                ]
                    + (pipelining ? ["--pipeline"] : []),
                timeout: .seconds(30)
            )
            #expect(sent.exitCode == 0, "\(sent)")
            #expect(sent.standardOutputText.contains("250"), "\(sent)")
        }
        let mailbox = folder + "/mail/bob@example.test"
        let names = messages(in: mailbox)
        #expect(names.count == 2)
        for name in names {
            let text = try String(contentsOfFile: mailbox + "/new/" + name, encoding: .utf8)
            #expect(text.hasPrefix("Return-Path: <alice@sender.test>\nReceived: from "), "\(text)")
            #expect(text.contains("by mx.test with ESMTP id "))
            #expect(text.contains("hello from swaks\n.leading dot\n"), "dot-unstuffed: \(text)")
        }
    }

    @Test("swaks sends a 10 MiB message whole")
    func largeMessage() async throws {
        let swaks = try requiredExecutable(named: "swaks", installHint: peerInstallHint)
        let temporary = try TemporaryFolder("mail")
        defer { temporary.remove() }
        let folder = temporary.path
        let (serve, port) = try await startServer(folder + "/mail")
        defer { serve.kill() }
        let line = String(repeating: "0123456789abcdef", count: 4) + "\n"
        let body = String(repeating: line, count: (10 << 20) / line.utf8.count)
        try body.write(toFile: folder + "/body.txt", atomically: true, encoding: .utf8)
        let sent = try await Subprocess.run(
            [
                swaks, "--server", "127.0.0.1:\(port)", "--from", "a@x.test", "--to", "big@example.test",
                "--body", "@" + folder + "/body.txt",
            ],
            timeout: .seconds(60)
        )
        #expect(sent.exitCode == 0, "\(sent)")
        let names = messages(in: folder + "/mail/big@example.test")
        #expect(names.count == 1)
        if let name = names.first {
            let text = try String(contentsOfFile: folder + "/mail/big@example.test/new/" + name, encoding: .utf8)
            // swaks ends the body with a blank line of its own.
            #expect(text.contains("\n\n" + body), "the body arrived whole (\(text.utf8.count) bytes)")
        }
    }

    @Test("Python's smtplib sends to several recipients; Python's mailbox.Maildir reads every mailbox")
    func smtplibAndMaildir() async throws {
        let python = try requiredExecutable(named: "python3", installHint: peerInstallHint)
        let temporary = try TemporaryFolder("mail")
        defer { temporary.remove() }
        let folder = temporary.path
        let (serve, port) = try await startServer(folder + "/mail", ["--domain", "example.test"])
        defer { serve.kill() }
        let script = """
            import smtplib, mailbox, json, sys, email, email.policy
            from email.message import EmailMessage
            m = EmailMessage()
            m["From"] = "carol@sender.test"; m["To"] = "dave@example.test, erin@example.test"
            m["Subject"] = "Grüße"
            m.set_content("Hallo Welt\\n")
            result = {}
            with smtplib.SMTP("127.0.0.1", \(port)) as s:
                result["ehlo"] = s.ehlo()[0]
                result["esmtp"] = sorted(s.esmtp_features.keys())
                result["refused"] = s.send_message(m, to_addrs=["dave@example.test", "erin@example.test"])
                try:
                    s.sendmail("carol@sender.test", ["mallory@elsewhere.test"], "Subject: x\\r\\n\\r\\nx\\r\\n")
                    result["relay"] = "accepted"
                except smtplib.SMTPRecipientsRefused as e:
                    result["relay"] = e.recipients["mallory@elsewhere.test"][0]
            for box in ["dave@example.test", "erin@example.test"]:
                md = mailbox.Maildir("\(folder)/mail/" + box, create=False,
                                     factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default))
                msgs = list(md)
                result[box] = [str(x["Subject"]) for x in msgs] + [x.get_payload(decode=True).decode() for x in msgs]
            print(json.dumps(result))
            """
        let run = try await Subprocess.run([python, "-c", script], timeout: .seconds(30))
        #expect(run.exitCode == 0, "\(run)")
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput)) as? [String: Any], "\(run)"
        )
        #expect(result["ehlo"] as? Int == 250)
        let features = result["esmtp"] as? [String] ?? []
        for feature in ["8bitmime", "enhancedstatuscodes", "pipelining", "size", "smtputf8"] {
            #expect(features.contains(feature), "\(feature) in \(features)")
        }
        #expect((result["refused"] as? [String: Any])?.isEmpty == true)
        #expect(result["relay"] as? Int == 550, "mail for another domain is refused: \(result)")
        for box in ["dave@example.test", "erin@example.test"] {
            let parts = result[box] as? [String] ?? []
            #expect(parts == ["Grüße", "Hallo Welt\n"], "\(box): \(parts)")
        }
    }

    @Test("Postfix's smtp-source delivers 200 messages over 5 sessions; every one is stored")
    func smtpSource() async throws {
        // Postfix installs it in /usr/sbin, which a user's PATH may lack.
        let smtpSource =
            FileManager.default.isExecutableFile(atPath: "/usr/sbin/smtp-source")
            ? "/usr/sbin/smtp-source" : try requiredExecutable(named: "smtp-source", installHint: peerInstallHint)
        let temporary = try TemporaryFolder("mail")
        defer { temporary.remove() }
        let folder = temporary.path
        let (serve, port) = try await startServer(folder + "/mail")
        defer { serve.kill() }
        let sent = try await Subprocess.run(
            [
                smtpSource, "-s", "5", "-m", "200", "-l", "4096", "-f", "load@sender.test", "-t", "sink@example.test",
                "127.0.0.1:\(port)",
            ],
            timeout: .seconds(60)
        )
        #expect(sent.exitCode == 0, "\(sent)")
        #expect(messages(in: folder + "/mail/sink@example.test").count == 200)
    }

    @Test("swaks on host B delivers to door mail serve on host A by IP; Received names host B")
    func acrossHosts() async throws {
        let (door, swaks) = (try door(), try requiredExecutable(named: "swaks", installHint: peerInstallHint))
        let temporary = try TemporaryFolder("mail")
        defer { temporary.remove() }
        let folder = temporary.path
        try await withTwoHosts { hosts in
            let port: UInt16 = 2525
            let serve = try hosts.a.start([
                door, "mail", "serve", "--maildir", folder + "/mail", "--listen", "\(hosts.a.address):\(port)",
                "--hostname", "mx.a.test",
            ])
            defer { serve.kill() }
            try await serve.waitUntilBound(port: port)
            let sent = try await hosts.b.run(
                [
                    swaks, "--server", "\(hosts.a.address):\(port)", "--helo", "b.test", "--from", "b@b.test",
                    "--to", "a@a.test",
                ],
                timeout: .seconds(30)
            )
            #expect(sent.exitCode == 0, "\(sent)")
            let names = messages(in: folder + "/mail/a@a.test")
            #expect(names.count == 1)
            if let name = names.first {
                let text = try String(contentsOfFile: folder + "/mail/a@a.test/new/" + name, encoding: .utf8)
                #expect(
                    text.contains("Received: from b.test ([\(hosts.b.address)])\n\tby mx.a.test with ESMTP"), "\(text)")
            }
        }
    }
}
