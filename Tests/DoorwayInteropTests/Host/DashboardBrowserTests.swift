// The dashboard in a real browser: headless Chromium, driven over its DevTools protocol by
// Scripts/dashboard-check.py, shows door serve's services and a mail sent while the page is open, and a
// message's HTML cannot run script.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door serve's dashboard in headless Chromium", .timeLimit(.minutes(3)))
struct DashboardBrowserTests {
    @Test("Chromium lists the services, a mail sent while the page is open appears, mail HTML runs no script")
    func dashboardInChromium() async throws {
        let (door, chromium, python) = (try door(), try chromium(), try python3())
        let (smtpPort, adminPort, echoPort) = (try unusedPort(), try unusedPort(), try unusedPort())
        let temporary = try TemporaryFolder("dashboard")
        defer { temporary.remove() }
        let folder = temporary.path
        try temporary.makeFolder("profile")
        let configuration = """
            data = "\(folder)/data"
            [admin]
            listen = "127.0.0.1:\(adminPort)"
            [[service]]
            kind = "smtp"
            listen = "127.0.0.1:\(smtpPort)"
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(echoPort)"

            """
        try configuration.write(toFile: folder + "/door.toml", atomically: true, encoding: .utf8)
        // The script sets a marker on whichever page runs it, its own and (if it could reach it) the dashboard.
        let script =
            #"<script>document.body.setAttribute("data-ran","yes");document.title="pwned";try{parent.document.title="pwned";parent.document.body.setAttribute("data-ran","yes")}catch(e){}</script>"#
        let htmlMail =
            "From: sender@example.test\r\nTo: reader@example.test\r\nSubject: HTML with a script\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"part\"\r\n\r\n"
            + "--part\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe plain part.\r\n"
            + "--part\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            + "<html><head><title>Mail page</title></head><body><p>The HTML part.</p>\(script)</body></html>\r\n"
            + "--part--\r\n"
        try htmlMail.write(toFile: folder + "/html.eml", atomically: true, encoding: .utf8)

        let serve = try Subprocess.start([door, "serve", "--config", folder + "/door.toml"])
        defer { serve.kill() }
        try await serve.waitUntilBound(port: adminPort)
        try await serve.waitUntilBound(port: smtpPort)

        let send = [
            door, "mail", "send", "--server", "127.0.0.1:\(smtpPort)", "--from", "sender@example.test",
            "--to", "reader@example.test",
        ]
        let screenshot = folder + "/dashboard.png"
        let check = try await Subprocess.run(
            [
                python, scriptPath("dashboard-check.py"), chromium, "127.0.0.1:\(adminPort)", folder + "/profile",
                screenshot, json(send + ["--subject", "Sent while the page is open"]),
                json(send + ["--raw", folder + "/html.eml"]), "Sent while the page is open", "HTML with a script",
            ],
            input: "The text.\n", timeout: .seconds(150))
        #expect(check.exitCode == 0, "\(check)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(check.standardOutput)) as? [String: Any], "\(check)")
        #expect((report["errors"] as? [String]) == [], "\(report)")

        // The services table: every configured service and the admin endpoint itself.
        #expect((report["services"] as? [String]) == ["admin", "echo", "smtp"], "\(report)")
        // The mail appeared in the open page, without a reload (one navigation only).
        #expect(report["plainSent"] as? Int == 0, "\(report)")
        #expect(report["appeared"] as? Bool == true, "\(report)")
        #expect(report["navigations"] as? Int == 1, "\(report)")

        // The HTML part: shown only in a frame whose sandbox grants nothing; its script did not run, neither
        // in the dashboard nor when the part is opened on its own (the server's sandbox CSP).
        #expect(report["htmlSent"] as? Int == 0, "\(report)")
        #expect(report["frameSandbox"] as? String == "sandbox=", "\(report)")
        #expect(report["dashboardTitle"] as? String == "door", "\(report)")
        #expect(report["dashboardMarked"] as? Bool == false, "\(report)")
        let direct = report["directHTML"] as? String ?? ""
        #expect(direct.contains("<title>Mail page</title>"), "\(report)")
        #expect(direct.contains("The HTML part."), "\(report)")
        // Had the script run, the live DOM would have <body data-ran="yes"> and the title "pwned".
        #expect(
            !direct.contains("<body data-ran") && !direct.contains("<title>pwned"), "the mail's script ran: \(report)")

        // The screenshot: a PNG big enough to show the page, kept where a person can look at it.
        let image = try #require(FileManager.default.contents(atPath: screenshot).map { Array($0) }, "\(check)")
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(image.count > 10_000, "a screenshot of \(image.count) bytes cannot show the dashboard")
        try? FileManager.default.removeItem(atPath: "/tmp/doorway-dashboard.png")
        try? FileManager.default.copyItem(atPath: screenshot, toPath: "/tmp/doorway-dashboard.png")

        // The API and the metrics saw both messages.
        let messages = try await Subprocess.run(
            [try curl(), "-sS", "-f", "http://127.0.0.1:\(adminPort)/_door/api/mail/messages"])
        #expect(messages.standardOutputText.contains("\"subject\":\"Sent while the page is open\""), "\(messages)")
        let metrics = try await Subprocess.run([try curl(), "-sS", "-f", "http://127.0.0.1:\(adminPort)/metrics"])
        #expect(
            metrics.standardOutputText.contains(#"door_mail_messages_total{service="smtp",outcome="accepted"} 2"#)
                || metrics.standardOutputText.contains(
                    #"door_mail_messages_total{outcome="accepted",service="smtp"} 2"#),
            "\(metrics)")

        serve.terminate()

        await expectCleanExit(serve)
    }

    private func json(_ command: [String]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: command), as: UTF8.self)
    }

    /// A script of the repository's `Scripts/` folder: the repository is the nearest folder above this file
    /// that holds `Package.swift`, wherever the test file sits.
    private func scriptPath(_ name: String, file: String = #filePath) -> String {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        while folder.path != "/",
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path)
        {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("Scripts").appendingPathComponent(name).path
    }
}
