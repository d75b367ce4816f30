// door against socat, both ways, over TCP and UDP on loopback.

import Doorway
import DoorwayTesting
import Testing

@Suite("door and socat", .timeLimit(.minutes(2)))
struct SocatInteropTests {
    @Test("door listen ← socat (TCP)")
    func doorListensSocatConnects() async throws {
        let (door, socat, port) = (try door(), try socat(), try unusedPort())
        let exchange = try await exchange(
            server: [door, "listen", "127.0.0.1:\(port)"], client: [socat, "-", "TCP:127.0.0.1:\(port)"],
            port: port, transport: .tcp, toServer: message("from socat", bulk: 200_000),
            toClient: message("from door", bulk: 200_000)
        )
        // socat half-closes at the end of its input; door listen then ends, and socat with it.
        exchange.client.closeInput()
        await expectCleanExit(exchange.server)
        await expectCleanExit(exchange.client)
    }

    @Test("door connect → socat TCP-LISTEN (TCP)")
    func doorConnectsSocatListens() async throws {
        let (door, socat, port) = (try door(), try socat(), try unusedPort())
        let exchange = try await exchange(
            server: [socat, "-", "TCP-LISTEN:\(port),bind=127.0.0.1,reuseaddr"],
            client: [door, "connect", "127.0.0.1", "\(port)"],
            port: port, transport: .tcp, toServer: message("from door", bulk: 200_000),
            toClient: message("from socat", bulk: 200_000)
        )
        // door half-closes; socat passes the end on to its output and, shortly after, closes the connection.
        exchange.client.closeInput()
        await expectCleanExit(exchange.client)
        await expectCleanExit(exchange.server)
    }

    @Test("door listen -u ← socat UDP (UDP)")
    func doorListensSocatSendsDatagrams() async throws {
        let (door, socat, port) = (try door(), try socat(), try unusedPort())
        let exchange = try await exchange(
            // -w is how long the listener waits for datagrams: long enough for a loaded test machine.
            server: [door, "listen", "-u", "-w", "20", "127.0.0.1:\(port)"],
            client: [socat, "-", "UDP:127.0.0.1:\(port)"],
            port: port, transport: .udp, toServer: message("from socat"), toClient: message("from door")
        )
        exchange.server.closeInput()
        exchange.client.kill()
        await expectCleanExit(exchange.server, within: .seconds(40))
    }

    @Test("door connect -u → socat UDP-LISTEN (UDP)")
    func doorSendsDatagramsSocatListens() async throws {
        let (door, socat, port) = (try door(), try socat(), try unusedPort())
        let exchange = try await exchange(
            server: [socat, "-", "UDP-LISTEN:\(port),bind=127.0.0.1"],
            client: [door, "connect", "-u", "-w", "20", "127.0.0.1", "\(port)"],
            port: port, transport: .udp, toServer: message("from door"), toClient: message("from socat")
        )
        exchange.client.closeInput()
        await expectCleanExit(exchange.client, within: .seconds(40))
        exchange.server.kill()
    }
}
