// door listen --exec: a program per connection, tcpserver style, with the addresses in its environment.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door listen --exec", .timeLimit(.minutes(2)))
struct ProgramPerConnectionTests {
    static let program = #"sh -c "echo $PROTO $TCPREMOTEIP $TCPREMOTEPORT $TCPLOCALIP $TCPLOCALPORT""#

    @Test("the program sees PROTO and both endpoints; -k keeps serving")
    func environmentNamesBothEnds() async throws {
        let (door, nc, port) = (try door(), try await netcat(), try unusedPort())
        let server = try Subprocess.start([door, "listen", "-k", "--exec", Self.program, "127.0.0.1:\(port)"])
        defer { server.kill() }
        try await server.waitUntilBound(port: port)

        // door connect -v tells which port the client had.
        let first = try await Subprocess.run([door, "connect", "-v", "127.0.0.1", "\(port)"], timeout: .seconds(10))
        #expect(first.exitCode == 0, "\(first)")
        let clientPort = try #require(localPort(in: first.standardErrorText), "no `from 127.0.0.1:PORT` in \(first)")
        #expect(first.standardOutputText == "TCP 127.0.0.1 \(clientPort) 127.0.0.1 \(port)\n", "\(first)")

        // nc -p chooses the client's port itself.
        let sourcePort = try unusedPort()
        let second = try await Subprocess.run(
            [nc, "-N", "-p", "\(sourcePort)", "127.0.0.1", "\(port)"], timeout: .seconds(10)
        )
        #expect(second.exitCode == 0, "\(second)")
        #expect(second.standardOutputText == "TCP 127.0.0.1 \(sourcePort) 127.0.0.1 \(port)\n", "\(second)")

        #expect(server.termination == nil, "door listen -k stopped after two connections: \(server.summary)")
        server.terminate()
        let ended = await server.waitForExit(timeout: .seconds(10))
        #expect(ended.exitCode == 0, "door listen --exec should exit 0 on SIGTERM: \(ended)")
    }

    /// The port in door connect -v's `door: connected to HOST:PORT from 127.0.0.1:PORT (tcp)`.
    private func localPort(in log: String) -> String? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("door: connected to") }),
            let from = line.range(of: " from ")
        else { return nil }
        let local = line[from.upperBound...].prefix { $0 != " " }
        return local.lastIndex(of: ":").map { String(local[local.index(after: $0)...]) }
    }
}
