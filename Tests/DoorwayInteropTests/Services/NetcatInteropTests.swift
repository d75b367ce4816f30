// door against OpenBSD netcat, both ways, over TCP and UDP on loopback.

import Doorway
import DoorwayTesting
import Testing

@Suite("door and nc", .timeLimit(.minutes(2)))
struct NetcatInteropTests {
    @Test("door listen ← nc (TCP)")
    func doorListensNetcatConnects() async throws {
        let (door, nc, port) = (try door(), try await netcat(), try unusedPort())
        let exchange = try await exchange(
            server: [door, "listen", "127.0.0.1:\(port)"], client: [nc, "-N", "127.0.0.1", "\(port)"],
            port: port, transport: .tcp, toServer: message("from nc", bulk: 200_000),
            toClient: message("from door", bulk: 200_000)
        )
        // nc -N half-closes at the end of its input; door listen ends when its peer has closed, and so does nc.
        exchange.client.closeInput()
        await expectCleanExit(exchange.server)
        await expectCleanExit(exchange.client)
    }

    @Test("door connect → nc -l (TCP)")
    func doorConnectsNetcatListens() async throws {
        let (door, nc, port) = (try door(), try await netcat(), try unusedPort())
        let exchange = try await exchange(
            server: [nc, "-l", "-N", "127.0.0.1", "\(port)"], client: [door, "connect", "127.0.0.1", "\(port)"],
            port: port, transport: .tcp, toServer: message("from door", bulk: 200_000),
            toClient: message("from nc", bulk: 200_000)
        )
        // door connect half-closes at the end of its input and ends when the server closes.
        exchange.client.closeInput()
        exchange.server.closeInput()
        await expectCleanExit(exchange.client)
        await expectCleanExit(exchange.server)
    }

    @Test("door listen -u ← nc -u (UDP)")
    func doorListensNetcatSendsDatagrams() async throws {
        let (door, nc, port) = (try door(), try await netcat(), try unusedPort())
        let exchange = try await exchange(
            server: [door, "listen", "-u", "-w", "8", "127.0.0.1:\(port)"], client: [nc, "-u", "127.0.0.1", "\(port)"],
            port: port, transport: .udp, toServer: message("from nc"), toClient: message("from door")
        )
        exchange.server.closeInput()
        exchange.client.kill()
        // With -w, door listen -u ends after that many idle seconds.
        await expectCleanExit(exchange.server)
    }

    @Test("door connect -u → nc -u -l (UDP)")
    func doorSendsDatagramsNetcatListens() async throws {
        let (door, nc, port) = (try door(), try await netcat(), try unusedPort())
        let exchange = try await exchange(
            server: [nc, "-u", "-l", "127.0.0.1", "\(port)"],
            client: [door, "connect", "-u", "-w", "8", "127.0.0.1", "\(port)"],
            port: port, transport: .udp, toServer: message("from door"), toClient: message("from nc")
        )
        exchange.client.closeInput()
        await expectCleanExit(exchange.client)
        exchange.server.kill()
    }

    @Test("door connect -u -w keeps receiving after its input ends, until idle that long")
    func datagramClientWaitsForRepliesAfterItsInput() async throws {
        let (door, nc, port) = (try door(), try await netcat(), try unusedPort())
        let server = try Subprocess.start([nc, "-u", "-l", "127.0.0.1", "\(port)"])
        defer { server.kill() }
        try await server.waitUntilBound(port: port, transport: .udp)
        // As `echo question | nc -u -w 3 HOST PORT` does: send, then wait for the answer.
        let client = try Subprocess.start([door, "connect", "-u", "-w", "8", "127.0.0.1", "\(port)"])
        let question = message("question from door")
        let answer = message("answer from nc")
        try client.write(question)
        client.closeInput()
        let received = try await server.waitForOutput(describedAs: "door's datagram") { $0.count >= question.count }
        #expect(received == question)
        try server.write(answer)
        let answered = try await client.waitForOutput(describedAs: "nc's answer") { $0.count >= answer.count }
        #expect(answered == answer)
        await expectCleanExit(client)
    }

    @Test("door listen -u -w with no input still waits for datagrams, until idle that long")
    func datagramServerWithoutInputWaits() async throws {
        let (door, nc, port) = (try door(), try await netcat(), try unusedPort())
        let server = try Subprocess.start([door, "listen", "-u", "-w", "8", "127.0.0.1:\(port)"])
        defer { server.kill() }
        server.closeInput()
        try await server.waitUntilBound(port: port, transport: .udp)
        let client = try Subprocess.start([nc, "-u", "127.0.0.1", "\(port)"])
        defer { client.kill() }
        let datagram = message("from nc")
        try client.write(datagram)
        let received = try await server.waitForOutput(describedAs: "nc's datagram") { $0.count >= datagram.count }
        #expect(received == datagram)
        await expectCleanExit(server)
    }
}
