// door serve: the simple services come up on their ports, answer real clients, and stop cleanly on SIGTERM.

import Doorway
import DoorwayTesting
import Foundation
import Testing

/// Serialized: door serve takes fixed ports (7, 9, 13 … as root, 10007, 10009, 10013 … otherwise).
@Suite("door serve", .serialized, .timeLimit(.minutes(2)))
struct ServeSmokeTests {
    /// Where door serve puts a service: its well-known port as root, 10000 more otherwise.
    private func port(_ wellKnown: UInt16) -> UInt16 { getuid() == 0 ? wellKnown : 10000 + wellKnown }

    @Test("the welcome page, echo and daytime answer real clients over TCP and UDP; SIGTERM ends it with status 0")
    func servesSimpleServices() async throws {
        let (door, nc) = (try door(), try await netcat())
        let temporary = try TemporaryFolder("serve")
        let data = temporary.path
        // A torrent and its data in torrents/, which door serve seeds; its tracker is door serve's own.
        try temporary.makeFolder("torrents")
        let shared = Data((0..<(2 * 1024 * 1024 + 99)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) })
        try shared.write(to: URL(fileURLWithPath: data + "/torrents/shared.bin"))
        let created = try await Subprocess.run(
            [
                door, "torrent", "create", data + "/torrents/shared.bin", "--tracker", "http://127.0.0.1:6969/announce",
                "-o", data + "/torrents/shared.torrent",
            ],
            timeout: .seconds(60))
        #expect(created.exitCode == 0, "\(created)")
        // The admin endpoint on a port of its own, so it does not take 8099 from anyone else.
        let admin = try unusedPort()
        let serve = try Subprocess.start([door, "serve", "--data", data, "--admin", "127.0.0.1:\(admin)"])
        defer {
            serve.kill()
            temporary.remove()
        }
        // A port another program holds makes door serve exit with `door: cannot start NAME: …`: the error shows
        // that output.
        for (service, wellKnown) in [
            ("echo", UInt16(7)), ("discard", 9), ("daytime", 13), ("qotd", 17), ("chargen", 19), ("time", 37),
        ] {
            for transport in [Transport.tcp, .udp] {
                do {
                    try await serve.waitUntilBound(port: port(wellKnown), transport: transport)
                } catch {
                    Issue.record(
                        "door serve did not bring up \(service) on port \(port(wellKnown)) (\(transport)): \(error)")
                    return
                }
            }
        }
        try await serve.waitForOutput(containing: "ENDPOINT", timeout: .seconds(3))

        // The Web: a welcome page made in the data folder's public/, fetched by curl.
        let webPort: UInt16 = getuid() == 0 ? 80 : 8080
        try await serve.waitUntilBound(port: webPort, transport: .tcp)
        let curl = try requiredExecutable(named: "curl", installHint: peerInstallHint)
        let page = try await Subprocess.run([curl, "-sS", "-f", "http://127.0.0.1:\(webPort)/"])
        #expect(page.exitCode == 0 && page.standardOutputText.contains("This host runs door"), "\(page)")
        #expect(FileManager.default.fileExists(atPath: data + "/public/index.html"))

        // Mail: swaks delivers into the data folder's mail/.
        let smtpPort: UInt16 = getuid() == 0 ? 25 : 2525
        try await serve.waitUntilBound(port: smtpPort, transport: .tcp)
        let swaks = try requiredExecutable(named: "swaks", installHint: peerInstallHint)
        let sent = try await Subprocess.run([swaks, "--server", "127.0.0.1:\(smtpPort)", "--to", "smoke@example.test"])
        #expect(sent.exitCode == 0, "\(sent)")
        let stored = (try? FileManager.default.contentsOfDirectory(atPath: data + "/mail/smoke@example.test/new")) ?? []
        #expect(stored.count == 1, "\(stored)")

        // POP3: a user added with `door mail user add` reads that mailbox with Python's poplib.
        let pop3Port: UInt16 = getuid() == 0 ? 110 : 1110
        try await serve.waitUntilBound(port: pop3Port, transport: .tcp)
        let added = try await Subprocess.run(
            [door, "mail", "user", "add", "smoke@example.test", "--maildir", data + "/mail"], input: "pw\n",
            timeout: .seconds(30))
        #expect(added.exitCode == 0, "\(added)")
        let popped = try await Subprocess.run(
            [
                try python3(), "-c",
                "import poplib; p = poplib.POP3('127.0.0.1', \(pop3Port)); p.user('smoke@example.test'); p.pass_('pw'); print(p.stat()[0]); p.quit()",
            ],
            timeout: .seconds(30))
        #expect(popped.standardOutputText == "1\n", "\(popped)")

        // BitTorrent: door serve's tracker and seed; door torrent get downloads through them.
        try await serve.waitUntilBound(port: 6969, transport: .tcp)
        try await serve.waitUntilBound(port: 6881, transport: .tcp)
        let fetched = try await Subprocess.run(
            [
                door, "torrent", "get", data + "/torrents/shared.torrent", "-o", data + "/fetched", "--listen",
                "127.0.0.1:\(try unusedPort())",
            ],
            timeout: .seconds(60))
        #expect(fetched.exitCode == 0, "\(fetched)")
        #expect(FileManager.default.contents(atPath: data + "/fetched/shared.bin") == shared)

        let echo = port(7)
        let tcpEcho = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(echo)"], input: "ping over tcp\n")
        #expect(tcpEcho.exitCode == 0 && tcpEcho.standardOutputText == "ping over tcp\n", "\(tcpEcho)")

        // nc -u ends after a second without datagrams.
        let udpEcho = try await Subprocess.run([nc, "-u", "-w", "1", "127.0.0.1", "\(echo)"], input: "ping over udp\n")
        #expect(udpEcho.standardOutputText == "ping over udp\n", "\(udpEcho)")

        let daytime = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(port(13))"])
        #expect(daytime.exitCode == 0, "\(daytime)")
        expectOneLine(daytime)
        let udpDaytime = try await Subprocess.run([nc, "-u", "-w", "1", "127.0.0.1", "\(port(13))"], input: "\n")
        expectOneLine(udpDaytime)

        // door status reads the running services from the admin endpoint.
        let status = try await Subprocess.run([door, "status", "--admin", "127.0.0.1:\(admin)"])
        #expect(status.exitCode == 0, "\(status)")
        let listed = serveTableRows(status.standardOutputText)
        for service in [
            "web", "smtp", "pop3", "tracker", "seed", "echo", "discard", "daytime", "qotd", "chargen", "time",
        ] {
            #expect(
                listed.contains { $0.service == service && $0.kind == service && $0.state == "running" },
                "door status has no running \(service): \(status)")
        }
        #expect(listed.contains(ServeTableRow("admin", "admin", "tcp", "127.0.0.1:\(admin)", "running")), "\(status)")

        // Prometheus metrics count the echo exchange above.
        let metrics = try await Subprocess.run([curl, "-sS", "-f", "http://127.0.0.1:\(admin)/metrics"])
        #expect(metrics.exitCode == 0, "\(metrics)")
        let echoConnections = metrics.standardOutputText.split(separator: "\n").lazy.compactMap { line in
            let prefix = "door_connections_total{service=\"echo\",transport=\"tcp\"} "
            return line.hasPrefix(prefix) ? Double(line.dropFirst(prefix.count)) : nil
        }.first
        #expect((echoConnections ?? 0) >= 1, "no echo TCP connection counted in /metrics: \(metrics)")

        serve.terminate()
        let ended = await serve.waitForExit(timeout: .seconds(15))
        #expect(ended.exitCode == 0, "door serve should exit 0 on SIGTERM: \(ended)")
        let table = serveTableRows(ended.standardOutputText)
        for (service, endpoint) in [
            ("web", "[::]:\(webPort)"), ("smtp", "[::]:\(smtpPort)"), ("pop3", "[::]:\(pop3Port)"),
            ("tracker", "[::]:6969"), ("seed", "[::]:6881"),
        ] {
            #expect(
                table.contains(ServeTableRow(service, service, "tcp", endpoint, "running")),
                "no table row `\(service)  \(service)  tcp  \(endpoint)  running`: \(ended)")
        }
        #expect(table.contains(ServeTableRow("admin", "admin", "tcp", "127.0.0.1:\(admin)", "running")), "\(ended)")
        #expect(ended.standardOutputText.contains("dashboard: http://127.0.0.1:\(admin)/_door/"), "\(ended)")
        for service in ["echo", "discard", "daytime", "qotd", "chargen", "time"] {
            for transport in ["tcp", "udp"] {
                let row = table.contains { row in
                    row.service == service && row.kind == service && row.transport == transport
                        && row.endpoint.hasSuffix(":\(port(wellKnownPort(service)))") && row.state == "running"
                }
                #expect(row, "no table row for \(service) over \(transport): \(ended)")
            }
        }
    }

    private func wellKnownPort(_ service: String) -> UInt16 {
        ["echo": 7, "discard": 9, "daytime": 13, "qotd": 17, "chargen": 19, "time": 37][service]!
    }

    /// A daytime answer: one line of text (RFC 867 leaves its form open), ended by CRLF or LF.
    private func expectOneLine(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = result.standardOutput
        let newlines = bytes.filter { $0 == UInt8(ascii: "\n") }.count
        #expect(
            bytes.count > 6 && bytes.last == UInt8(ascii: "\n") && newlines == 1,
            "expected one line of daytime: \(result)", sourceLocation: sourceLocation
        )
    }
}
