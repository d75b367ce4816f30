// door mail serve's POP3 with Python's poplib, and its SMTP with msmtp; `door mail user` manages the logins.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door mail serve's POP3 with poplib; msmtp sends", .timeLimit(.minutes(3)))
struct POP3InteropTests {
    private struct Mail {
        let serve: BackgroundProcess
        let smtp: UInt16
        let pop3: UInt16
        let store: String
    }

    private func startServer(_ folder: String) async throws -> Mail {
        let (smtp, pop3) = (try unusedPort(), try unusedPort())
        let store = folder + "/mail"
        let added = try await Subprocess.run(
            [try door(), "mail", "user", "add", "ann@example.test", "--maildir", store], input: "open sesame\n",
            timeout: .seconds(30)
        )
        #expect(added.exitCode == 0, "\(added)")
        let serve = try Subprocess.start([
            try door(), "mail", "serve", "--maildir", store, "--listen", "127.0.0.1:\(smtp)", "--pop3",
            "127.0.0.1:\(pop3)", "--hostname", "mx.test",
        ])
        try await serve.waitUntilBound(port: smtp)
        try await serve.waitUntilBound(port: pop3)
        return Mail(serve: serve, smtp: smtp, pop3: pop3, store: store)
    }

    private func runPython(_ script: String) async throws -> [String: Any] {
        let run = try await Subprocess.run([try python3(), "-c", script], timeout: .seconds(60))
        #expect(run.exitCode == 0, "\(run)")
        return try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput)) as? [String: Any], "\(run)")
    }

    @Test("poplib: CAPA, STAT, LIST, UIDL, TOP, RETR (dot-stuffed, 8-bit), DELE and RSET; deletions only at QUIT")
    func poplib() async throws {
        let temporary = try TemporaryFolder("pop3")
        defer { temporary.remove() }
        let folder = temporary.path
        let mail = try await startServer(folder)
        defer { mail.serve.kill() }
        let script = """
            import smtplib, poplib, json, mailbox
            r = {}
            bodies = ["Subject: one\\r\\n\\r\\nfirst\\r\\n", "Subject: two\\r\\n\\r\\n.starts with a dot\\r\\n..two dots\\r\\nGr\\xc3\\xbc\\xc3\\x9fe\\r\\n.\\r\\nend\\r\\n", "Subject: three\\r\\n\\r\\nthird\\r\\n"]
            with smtplib.SMTP("127.0.0.1", \(mail.smtp)) as s:
                for b in bodies:
                    s.sendmail("sender@x.test", ["ann@example.test"], b.encode("latin-1"))
            p = poplib.POP3("127.0.0.1", \(mail.pop3), timeout=10)
            r["welcome"] = p.getwelcome().decode()
            r["capa"] = sorted(p.capa().keys())
            p.user("ann@example.test"); p.pass_("open sesame")
            r["stat"] = list(p.stat())
            r["list"] = [x.decode() for x in p.list()[1]]
            r["uidl"] = [x.decode().split()[1] for x in p.uidl()[1]]
            resp, lines, octets = p.top(2, 1)
            r["top"] = [l.decode() for l in lines]
            resp, lines, octets = p.retr(2)
            r["retr"] = [l.decode("utf-8") for l in lines]
            r["retr_octets"] = octets
            p.dele(1)
            r["stat_after_dele"] = list(p.stat())
            try:
                p.retr(1); r["deleted_retr"] = "ok"
            except poplib.error_proto as e:
                r["deleted_retr"] = str(e)
            p.rset()
            r["stat_after_rset"] = list(p.stat())
            p.dele(1)
            # A dropped connection deletes nothing: only QUIT does.
            p.sock.close()
            p = poplib.POP3("127.0.0.1", \(mail.pop3), timeout=10)
            p.user("ann@example.test"); p.pass_("open sesame")
            r["stat_after_drop"] = list(p.stat())
            p.dele(1)
            r["quit"] = p.quit().decode()
            p = poplib.POP3("127.0.0.1", \(mail.pop3), timeout=10)
            p.user("ann@example.test"); p.pass_("open sesame")
            r["stat_after_quit"] = list(p.stat())
            r["uidl_after_quit"] = [x.decode().split()[1] for x in p.uidl()[1]]
            p.quit()
            md = mailbox.Maildir("\(mail.store)/ann@example.test", create=False)
            r["flags"] = sorted((m["Subject"], m.get_subdir(), m.get_flags()) for m in md)
            print(json.dumps(r))
            """
        let r = try await runPython(script)
        #expect((r["welcome"] as? String)?.hasPrefix("+OK") == true, "\(r)")
        let capabilities = r["capa"] as? [String] ?? []
        for capability in ["TOP", "UIDL", "USER", "RESP-CODES", "PIPELINING"] {
            #expect(capabilities.contains(capability), "\(capability) in \(capabilities)")
        }
        let stat = r["stat"] as? [Int] ?? []
        let list = r["list"] as? [String] ?? []
        #expect(stat.first == 3 && list.count == 3, "\(r)")
        let sizes = list.compactMap { Int($0.split(separator: " ")[1]) }
        #expect(stat.last == sizes.reduce(0, +))
        #expect(r["retr_octets"] as? Int == sizes[1], "RETR sends exactly LIST's size: \(r)")
        let retr = r["retr"] as? [String] ?? []
        #expect(retr.first == "Return-Path: <sender@x.test>", "\(retr)")
        #expect(Array(retr.suffix(5)) == [".starts with a dot", "..two dots", "Grüße", ".", "end"], "\(retr)")
        let top = r["top"] as? [String] ?? []
        #expect(top.last == ".starts with a dot" && top.contains("Subject: two"), "TOP 2 1: \(top)")
        #expect(r["stat_after_dele"] as? [Int] == [2, sizes[1] + sizes[2]])
        #expect((r["deleted_retr"] as? String)?.hasPrefix("b'-ERR") == true, "\(r)")
        #expect(r["stat_after_rset"] as? [Int] == stat)
        #expect(r["stat_after_drop"] as? [Int] == stat, "a dropped connection deleted nothing")
        #expect((r["quit"] as? String)?.hasPrefix("+OK") == true)
        #expect(r["stat_after_quit"] as? [Int] == [2, sizes[1] + sizes[2]])
        let uidls = r["uidl"] as? [String] ?? []
        #expect(r["uidl_after_quit"] as? [String] == Array(uidls.dropFirst()), "UIDLs are stable: \(r)")
        let flags = r["flags"] as? [[String]] ?? []
        #expect(flags == [["three", "new", ""], ["two", "cur", "S"]], "RETR marked two seen; TOP did not: \(flags)")
    }

    @Test("a wrong password gets -ERR [AUTH] after a delay; a second session gets -ERR [IN-USE]")
    func loginFailures() async throws {
        let temporary = try TemporaryFolder("pop3")
        defer { temporary.remove() }
        let folder = temporary.path
        let mail = try await startServer(folder)
        defer { mail.serve.kill() }
        let script = """
            import poplib, json, time
            r = {}
            p = poplib.POP3("127.0.0.1", \(mail.pop3), timeout=10)
            p.user("ann@example.test")
            started = time.monotonic()
            try:
                p.pass_("wrong"); r["wrong"] = "accepted"
            except poplib.error_proto as e:
                r["wrong"] = e.args[0].decode()
            r["delay"] = time.monotonic() - started
            p.user("nobody@example.test")
            try:
                p.pass_("open sesame"); r["unknown"] = "accepted"
            except poplib.error_proto as e:
                r["unknown"] = e.args[0].decode()
            p.user("ann@example.test"); p.pass_("open sesame")
            q = poplib.POP3("127.0.0.1", \(mail.pop3), timeout=10)
            q.user("ann@example.test")
            try:
                q.pass_("open sesame"); r["second"] = "accepted"
            except poplib.error_proto as e:
                r["second"] = e.args[0].decode()
            p.quit()
            q.user("ann@example.test"); q.pass_("open sesame")
            r["after_release"] = list(q.stat())
            q.quit()
            print(json.dumps(r))
            """
        let r = try await runPython(script)
        #expect((r["wrong"] as? String)?.hasPrefix("-ERR [AUTH]") == true, "\(r)")
        #expect((r["unknown"] as? String)?.hasPrefix("-ERR [AUTH]") == true, "\(r)")
        #expect((r["delay"] as? Double ?? 0) >= 1.5, "a failed login is answered after the 2 s delay: \(r)")
        #expect((r["second"] as? String)?.hasPrefix("-ERR [IN-USE]") == true, "\(r)")
        #expect(r["after_release"] as? [Int] == [0, 0], "the lock is released at QUIT: \(r)")
    }

    @Test("door mail user list and remove; a removed user can no longer log in, and the mail stays")
    func userCommands() async throws {
        let temporary = try TemporaryFolder("pop3")
        defer { temporary.remove() }
        let folder = temporary.path
        let mail = try await startServer(folder)
        defer { mail.serve.kill() }
        let door = try door()
        let second = try await Subprocess.run(
            [door, "mail", "user", "add", "Bob@Example.test", "--maildir", mail.store], input: "pw2\n",
            timeout: .seconds(30))
        #expect(second.exitCode == 0, "\(second)")
        let listed = try await Subprocess.run([door, "mail", "user", "list", "--maildir", mail.store])
        #expect(listed.standardOutputText == "ann@example.test\nbob@example.test\n", "\(listed)")
        let users = try String(contentsOfFile: mail.store + "/.users", encoding: .utf8)
        #expect(!users.contains("open sesame") && users.contains("ann@example.test:$scrypt$ln=15,r=8,p=1$"))
        let removed = try await Subprocess.run([
            door, "mail", "user", "remove", "ann@example.test", "--maildir", mail.store,
        ])
        #expect(removed.exitCode == 0, "\(removed)")
        let again = try await Subprocess.run([
            door, "mail", "user", "remove", "ann@example.test", "--maildir", mail.store,
        ])
        #expect(again.exitCode != 0 && again.standardErrorText.contains("no user ann@example.test"), "\(again)")
        let login = try await runPython(
            """
            import poplib, json
            p = poplib.POP3("127.0.0.1", \(mail.pop3), timeout=10)
            p.user("ann@example.test")
            try:
                p.pass_("open sesame"); print(json.dumps({"ann": "accepted"}))
            except poplib.error_proto as e:
                print(json.dumps({"ann": e.args[0].decode()}))
            """)
        #expect((login["ann"] as? String)?.hasPrefix("-ERR [AUTH]") == true, "\(login)")
    }

    @Test("msmtp sends a message with a dot line and 8-bit text; it is stored whole")
    func msmtp() async throws {
        let msmtp = try requiredExecutable(named: "msmtp", installHint: peerInstallHint)
        let temporary = try TemporaryFolder("pop3")
        defer { temporary.remove() }
        let folder = temporary.path
        let mail = try await startServer(folder)
        defer { mail.serve.kill() }
        let message = "From: sender@x.test\nTo: ann@example.test\nSubject: via msmtp\n\nline one\n.\n..two\nGrüße\n"
        let sent = try await Subprocess.run(
            [
                msmtp, "--host=127.0.0.1", "--port=\(mail.smtp)", "--auth=off", "--tls=off", "--from=sender@x.test",
                "ann@example.test",
            ],
            input: message, timeout: .seconds(30)
        )
        #expect(sent.exitCode == 0, "\(sent)")
        let new = mail.store + "/ann@example.test/new"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: new)) ?? []
        #expect(names.count == 1)
        if let name = names.first {
            let stored = try String(contentsOfFile: new + "/" + name, encoding: .utf8)
            #expect(stored.hasSuffix("Subject: via msmtp\n\nline one\n.\n..two\nGrüße\n"), "\(stored)")
        }
    }
}
