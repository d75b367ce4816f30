// door serve as a real host: host A (192.0.2.1) runs it with its defaults; host B (192.0.2.2) uses each of
// its applications by A's address, and cannot reach A's admin endpoint.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door serve across two hosts", .timeLimit(.minutes(3)))
struct ServeTwoHostTests {
    @Test("from host B: the welcome page, mail into A's dashboard API, a torrent A seeds, echo over TCP and UDP")
    func hostBUsesHostA() async throws {
        let (door, curl) = (try door(), try curl())
        let temporary = try TemporaryFolder("twohost")
        defer { temporary.remove() }
        let data = temporary.path
        try temporary.makeFolder("a/torrents")
        try temporary.makeFolder("b")
        let shared = Data((0..<(3 * 1024 * 1024 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) })
        try shared.write(to: URL(fileURLWithPath: data + "/a/torrents/shared.bin"))

        try await withTwoHosts { hosts in
            let a = hosts.a.address
            let created = try await Subprocess.run(
                [
                    door, "torrent", "create", data + "/a/torrents/shared.bin", "--tracker",
                    "http://\(a):6969/announce",
                    "-o", data + "/a/torrents/shared.torrent",
                ],
                timeout: .seconds(60))
            #expect(created.exitCode == 0, "\(created)")

            // Host A: door serve with its defaults (as root: the well-known ports, admin on 127.0.0.1:8099).
            let serve = try hosts.a.start([door, "serve", "--data", data + "/a"])
            defer { serve.kill() }
            for port: UInt16 in [80, 25, 110, 6969, 6881, 7, 8099] { try await serve.waitUntilBound(port: port) }
            try await serve.waitUntilBound(port: 7, transport: .udp)

            // The Web: door get fetches the welcome page by A's address.
            let page = try await hosts.b.run([door, "get", "http://\(a)/"], timeout: .seconds(30))
            #expect(page.exitCode == 0 && page.standardOutputText.contains("This host runs door"), "\(page)")

            // Mail: door mail send delivers to A, and A's dashboard API lists it.
            let sent = try await hosts.b.run(
                [
                    door, "mail", "send", "--server", "\(a):25", "--from", "b@example.test", "--to", "a@example.test",
                    "--subject", "From host B",
                ],
                input: "Sent across the link.\n", timeout: .seconds(30))
            #expect(sent.exitCode == 0, "\(sent)")
            let messages = try await hosts.a.run([curl, "-sS", "-f", "http://127.0.0.1:8099/_door/api/mail/messages"])
            #expect(messages.standardOutputText.contains("\"subject\":\"From host B\""), "\(messages)")
            #expect(messages.standardOutputText.contains("\"mailbox\":\"a@example.test\""), "\(messages)")

            // BitTorrent: once A's seed has announced to A's tracker, door torrent get on B finds it there.
            var announced = false
            for _ in 0..<100 where !announced {
                let scrape = try await hosts.b.run([curl, "-sS", "http://\(a):6969/scrape"])
                announced = scrape.standardOutputText.contains("8:completei1e")
                if !announced { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(announced, "A's seed never announced itself to A's tracker")
            let fetched = try await hosts.b.run(
                [
                    door, "torrent", "get", data + "/a/torrents/shared.torrent", "-o", data + "/b",
                    "--listen", "\(hosts.b.address):6881",
                ],
                timeout: .seconds(90))
            #expect(fetched.exitCode == 0, "\(fetched)")
            #expect(FileManager.default.contents(atPath: data + "/b/shared.bin") == shared)

            // The echo service, over TCP and over UDP.
            let tcp = try await hosts.b.run([door, "connect", a, "7"], input: "echo over tcp\n")
            #expect(tcp.exitCode == 0 && tcp.standardOutputText == "echo over tcp\n", "\(tcp)")
            let udp = try await hosts.b.run([door, "connect", "-u", "-w", "2", a, "7"], input: "echo over udp\n")
            #expect(udp.standardOutputText == "echo over udp\n", "\(udp)")

            // The admin endpoint listens on A's loopback only: B's connection is refused (curl's exit 7), while
            // on A itself the API answers.
            let fromB = try await hosts.b.run([curl, "-sS", "--max-time", "5", "http://\(a):8099/_door/"])
            #expect(fromB.exitCode == 7, "host B reached A's admin endpoint: \(fromB)")
            let onA = try await hosts.a.run([door, "status", "--json"])
            #expect(onA.exitCode == 0 && onA.standardOutputText.contains("\"name\":\"smtp\""), "\(onA)")

            serve.terminate()

            await expectCleanExit(serve)
        }
    }
}
