// door between two end systems: a server on host A (192.0.2.1), a client on host B (192.0.2.2).

import Doorway
import DoorwayTesting
import Testing

@Suite("door across two hosts", .timeLimit(.minutes(2)))
struct TwoHostTests {
    @Test("door connect on host B reaches door listen on host A (TCP)")
    func tcpAcrossHosts() async throws {
        let door = try door()
        try await withTwoHosts { hosts in
            // The namespaces are this test's own, so any port is free.
            let port: UInt16 = 9000
            let exchange = try await exchange(
                server: hosts.a.command([door, "listen", "-v", "\(hosts.a.address):\(port)"]),
                client: hosts.b.command([door, "connect", "-v", hosts.a.address, "\(port)"]),
                port: port, transport: .tcp, toServer: message("from host B", bulk: 100_000),
                toClient: message("from host A", bulk: 100_000)
            )
            exchange.client.closeInput()
            await expectCleanExit(exchange.server)
            await expectCleanExit(exchange.client)
            let serverLog = exchange.server.standardErrorText
            #expect(serverLog.contains("door: listening on 192.0.2.1:\(port) (tcp)"), "\(exchange.server.summary)")
            #expect(serverLog.contains("door: connection from 192.0.2.2:"), "\(exchange.server.summary)")
            #expect(
                exchange.client.standardErrorText.contains("door: connected to 192.0.2.1:\(port) from 192.0.2.2:"),
                "\(exchange.client.summary)"
            )
        }
    }

    @Test("door connect -u on host B reaches door listen -u on host A (UDP)")
    func udpAcrossHosts() async throws {
        let door = try door()
        try await withTwoHosts { hosts in
            let port: UInt16 = 9000
            let exchange = try await exchange(
                server: hosts.a.command([door, "listen", "-v", "-u", "-w", "8", "\(hosts.a.address):\(port)"]),
                client: hosts.b.command([door, "connect", "-u", "-w", "8", hosts.a.address, "\(port)"]),
                port: port, transport: .udp, toServer: message("from host B"), toClient: message("from host A")
            )
            exchange.client.closeInput()
            exchange.server.closeInput()
            await expectCleanExit(exchange.client)
            await expectCleanExit(exchange.server)
            #expect(
                exchange.server.standardErrorText.contains("door: datagram from 192.0.2.2:"),
                "\(exchange.server.summary)")
        }
    }

    @Test("the test hosts are gone afterwards, also when the test body throws")
    func hostsAreRemoved() async throws {
        struct Planned: Error {}
        var names: [String] = []
        await #expect(throws: Planned.self) {
            try await withTwoHosts { hosts in
                names = [hosts.a.name, hosts.b.name]
                let sleeper = try hosts.a.start(["sleep", "60"])
                #expect(sleeper.termination == nil)
                throw Planned()
            }
        }
        let list = try await Subprocess.run(["ip", "netns", "list"])
        #expect(names.count == 2)
        for name in names {
            #expect(!list.standardOutputText.contains(name), "namespace \(name) was left behind")
        }
    }
}
