// Servers, clients and connections over loopback: TCP, UDP and Unix; options as applied; shutdown; the cap.

import DoorwayTesting
import Foundation
import NIOCore
import Testing

@testable import Doorway

/// Echoes every message of every connection until the peer finishes; then closes.
private func serveEcho(_ server: Server) -> Task<Void, Never> {
    Task {
        await withDiscardingTaskGroup { group in
            for await connection in server.connections {
                group.addTask {
                    try? await connection.exchange { inbound, outbound in
                        for try await message in inbound { try await outbound.write(message) }
                    }
                }
            }
        }
    }
}

private func collect(_ inbound: Connection.Inbound) async throws -> [String] {
    var messages: [String] = []
    for try await message in inbound { messages.append(String(buffer: message)) }
    return messages
}

private actor Counter {
    private(set) var value = 0
    func add(_ amount: Int) { value += amount }
}

private let loopback = try! Endpoint(parsing: "127.0.0.1:0")

@Suite struct LoopbackTests {
    @Test func tcpLinesBothWaysWithHalfClose() async throws {
        let server = try await Server.bind(loopback, framing: .lines())
        let echo = serveEcho(server)
        let connection = try await Client().connect(to: server.localEndpoint, framing: .lines())
        let received = try await connection.exchange { inbound, outbound in
            try await outbound.write("hello")
            try await outbound.write("world")
            outbound.finish()  // half-close: the server still answers
            return try await collect(inbound)
        }
        #expect(received == ["hello", "world"])
        #expect(connection.remoteEndpoint == server.localEndpoint)
        await server.shutdown(gracePeriod: .seconds(1))
        echo.cancel()
    }

    @Test func clientTriesEveryAddressOfAName() async throws {
        // A name with an IPv6 and an IPv4 address, as "localhost" often has; the server listens on IPv4 only,
        // so ::1 refuses and the client must go on to 127.0.0.1 rather than give up at the first address.
        let server = try await Server.bind(loopback, framing: .lines())
        let echo = serveEcho(server)
        let port = Int(server.localEndpoint.port!.rawValue)
        var client = Client()
        client.resolve = { _, _ in
            [try SocketAddress(ipAddress: "::1", port: port), try SocketAddress(ipAddress: "127.0.0.1", port: port)]
        }
        let named = Endpoint.host(.name("dual-stack.test"), port: server.localEndpoint.port!)
        let connection = try await client.connect(to: named, framing: .lines())
        #expect(connection.remoteEndpoint == server.localEndpoint)
        let received = try await connection.exchange { inbound, outbound in
            try await outbound.write("by name")
            outbound.finish()
            return try await collect(inbound)
        }
        #expect(received == ["by name"])
        await server.shutdown(gracePeriod: .seconds(1))
        echo.cancel()
    }

    @Test func unixLengthPrefixed() async throws {
        let folder = try TemporaryFolder("unix")
        defer { folder.remove() }
        let path = folder.path("door.sock")
        let server = try await Server.bind(.unix(path: path), framing: .lengthPrefixed())
        #expect(server.transport == .unix)
        let echo = serveEcho(server)
        let connection = try await Client().connect(to: .unix(path: path), framing: .lengthPrefixed())
        let received = try await connection.exchange { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: [0, 1, 2, 10, 13]))
            try await outbound.write("")
            outbound.finish()
            return try await collect(inbound)
        }
        #expect(received == [String(decoding: [0, 1, 2, 10, 13], as: UTF8.self), ""])
        await server.shutdown(gracePeriod: .seconds(1))
        #expect(!FileManager.default.fileExists(atPath: path))
        echo.cancel()
    }

    @Test func udpDatagramsCarryTheirSender() async throws {
        let server = try await DatagramSocket.bind(loopback)
        let serverEndpoint = try #require(server.localEndpoint)
        let answering = Task {
            try await server.exchange { inbound, outbound in
                for try await datagram in inbound {
                    let sender = Endpoint(datagram.remoteAddress)
                    try await outbound.write(
                        AddressedEnvelope(remoteAddress: datagram.remoteAddress, data: ByteBuffer(string: "\(sender)")))
                    return
                }
            }
        }
        let (client, peer) = try await DatagramSocket.open(toward: serverEndpoint)
        let clientEndpoint = try #require(client.localEndpoint)
        let answer = try await client.exchange { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: peer, data: ByteBuffer(string: "who am I?")))
            for try await datagram in inbound { return String(buffer: datagram.data) }
            return ""
        }
        try await answering.value
        // The server saw the client's own port.
        #expect(answer.hasSuffix(":\(clientEndpoint.port!)"))
    }

    @Test func parametersAreAppliedAndReadBack() async throws {
        var serverParameters = TransportParameters(maximumSegmentSize: 1000)
        serverParameters.receiveBufferSize = 100_000
        let server = try await Server.bind(loopback, framing: .raw, parameters: serverParameters)
        let listening = try await server.appliedParameters()
        #expect(listening.receiveBufferSize == 200_000)  // Linux doubles it
        #expect(listening.reuseAddress == true)
        let accepted = Task { () -> AppliedParameters? in
            for await connection in server.connections { return try await connection.appliedParameters() }
            return nil
        }
        let client = Client(
            parameters: TransportParameters(
                sendBufferSize: 65536, maximumSegmentSize: 1200, noDelay: true,
                keepAlive: .init(idle: .seconds(30), interval: .seconds(5), count: 3)
            ))
        let connection = try await client.connect(to: server.localEndpoint)
        let applied = try await connection.appliedParameters()
        #expect(applied.sendBufferSize == 131072)
        #expect(applied.noDelay == true)
        #expect(applied.keepAlive == .init(idle: .seconds(30), interval: .seconds(5), count: 3))
        // The MSS in force is at most what either end allowed (less the TCP options), far below loopback's 65483.
        let mss = try #require(applied.maximumSegmentSize)
        #expect(mss <= 1000 && mss > 900)
        let serverSide = try #require(try await accepted.value)
        #expect(try #require(serverSide.maximumSegmentSize) <= 1000)
        #expect(serverSide.description.contains("maximum segment size"))
        try await connection.channel.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test func backpressureHoldsAWriterBackUntilThePeerReads() async throws {
        let server = try await Server.bind(loopback, framing: .raw)
        let (startReading, readingMay) = AsyncStream.makeStream(of: Void.self)
        let total = 64 << 20
        let receiver = Task { () -> Int in
            for await connection in server.connections {
                return try await connection.exchange { inbound, _ in
                    for await _ in startReading { break }
                    var received = 0
                    for try await chunk in inbound { received += chunk.readableBytes }
                    return received
                }
            }
            return 0
        }
        let written = Counter()
        let connection = try await Client().connect(to: server.localEndpoint)
        try await connection.exchange { _, outbound in
            let writer = Task {
                let block = ByteBuffer(repeating: 0x5A, count: 1 << 20)
                for _ in 0..<(total >> 20) {
                    try await outbound.write(block)
                    await written.add(block.readableBytes)
                }
                outbound.finish()
            }
            // The receiver reads nothing yet: the writer must stall once the socket buffers are full, rather
            // than queue all 64 MiB in memory.
            try await Task.sleep(for: .seconds(1))
            #expect(await written.value < 32 << 20)
            readingMay.yield()
            try await writer.value
        }
        #expect(try await receiver.value == total)
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test func udpRefusesTCPOnlyParameters() async throws {
        await #expect(throws: ParameterError.self) {
            _ = try await DatagramSocket.bind(loopback, parameters: TransportParameters(maximumSegmentSize: 1000))
        }
    }

    @Test func aFrameOverItsLimitEndsOnlyThatConnection() async throws {
        let server = try await Server.bind(loopback, framing: .lines(maximumLength: 10))
        let outcomes = Task { () -> [String] in
            await withTaskGroup(of: String.self) { group in
                var accepted = 0
                for await connection in server.connections {
                    group.addTask {
                        do {
                            try await connection.exchange { inbound, outbound in
                                for try await message in inbound { try await outbound.write(message) }
                            }
                            return "ok"
                        } catch {
                            return "error: \(error)"
                        }
                    }
                    accepted += 1
                    if accepted == 2 { break }
                }
                var outcomes: [String] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
        }
        let good = try await Client().connect(to: server.localEndpoint, framing: .lines())
        let bad = try await Client().connect(to: server.localEndpoint, framing: .raw)
        try await bad.exchange { inbound, outbound in
            try await outbound.write(String(repeating: "x", count: 100) + "\n")
            for try await _ in inbound {}
        }
        let echoed = try await good.exchange { inbound, outbound in
            try await outbound.write("short")
            outbound.finish()
            return try await collect(inbound)
        }
        #expect(echoed == ["short"])
        let result = await outcomes.value
        #expect(result.contains { $0.contains("longer than the maximum of 10 bytes") })
        #expect(result.contains("ok"))
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test func portInUseIsAClearError() async throws {
        let first = try await Server.bind(loopback, framing: .raw)
        await #expect {
            _ = try await Server.bind(first.localEndpoint, framing: .raw)
        } throws: { error in
            let error = error as? SocketError
            return error?.kind == .addressInUse && error?.description.contains("already in use") == true
        }
        await first.shutdown(gracePeriod: .zero)
    }

    @Test func refusedConnectionIsAClearError() async throws {
        // Port 1 (tcpmux): nothing listens there, and it is outside the ephemeral range, so a parallel test's
        // client cannot land on it and self-connect, as can happen with a just-closed ephemeral port.
        let endpoint = try Endpoint(parsing: "127.0.0.1:1")
        await #expect {
            _ = try await Client().connect(to: endpoint)
        } throws: { error in
            (error as? SocketError)?.kind == .connectionRefused
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func idleTimeoutClosesAQuietConnection() async throws {
        let server = try await Server.bind(
            loopback, framing: .raw, parameters: TransportParameters(idleTimeout: .milliseconds(200)))
        let echo = serveEcho(server)
        let connection = try await Client().connect(to: server.localEndpoint)
        // Nothing is sent either way: only the idle timeout can end this exchange.
        let received = try await connection.exchange { inbound, _ in try await collect(inbound) }
        #expect(received.isEmpty)
        await server.shutdown(gracePeriod: .zero)
        echo.cancel()
    }
}

@Suite struct ServerLifecycleTests {
    @Test func gracefulShutdownLetsInFlightConnectionsFinish() async throws {
        let server = try await Server.bind(loopback, framing: .lines())
        let echo = serveEcho(server)
        let connection = try await Client().connect(to: server.localEndpoint, framing: .lines())
        try await connection.exchange { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            try await outbound.write("before")
            #expect(try await iterator.next().map { String(buffer: $0) } == "before")
            let shutdown = Task { await server.shutdown(gracePeriod: .seconds(30)) }
            // Stopped accepting: the listening socket closes first...
            try await server.channel.closeFuture.get()
            // ...so a newcomer is not served. (It is usually refused; but NIO's sockets are not close-on-exec,
            // and a process another test is spawning may hold a copy of the listener for an instant, in which
            // case the kernel completes the handshake and the connection is then reset. Either way: no answer.)
            do {
                let late = try await Client().connect(to: server.localEndpoint, framing: .lines())
                let answers = try? await late.exchange { lateInbound, lateOutbound in
                    try await lateOutbound.write("late")
                    lateOutbound.finish()
                    return try await collect(lateInbound)
                }
                #expect(answers ?? [] == [])
            } catch {
                #expect(error is SocketError)
            }
            // ...while the session in flight goes on.
            try await outbound.write("during")
            #expect(try await iterator.next().map { String(buffer: $0) } == "during")
            outbound.finish()
            #expect(try await iterator.next() == nil)
            await shutdown.value
        }
        echo.cancel()
    }

    @Test func shutdownDeadlineClosesStragglers() async throws {
        let server = try await Server.bind(loopback, framing: .lines())
        let echo = serveEcho(server)
        let connection = try await Client().connect(to: server.localEndpoint, framing: .lines())
        try await connection.exchange { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            try await outbound.write("before")
            #expect(try await iterator.next().map { String(buffer: $0) } == "before")
            // Long enough for the echo below to make it on a loaded machine; the test then waits it out.
            let shutdown = Task { await server.shutdown(gracePeriod: .seconds(8)) }
            try await server.channel.closeFuture.get()
            // Within the grace period the session still works...
            try await outbound.write("during")
            #expect(try await iterator.next().map { String(buffer: $0) } == "during")
            // ...and this client never finishes, so the deadline closes it from the server's side.
            await shutdown.value
            #expect(try await iterator.next() == nil)
        }
        echo.cancel()
    }

    @Test func connectionCapHoldsTheNextConnectionBack() async throws {
        let server = try await Server.bind(loopback, framing: .lines(), maximumConnections: 1)
        let echo = serveEcho(server)
        let first = try await Client().connect(to: server.localEndpoint, framing: .lines())
        let second = try await Client().connect(to: server.localEndpoint, framing: .lines())
        try await first.exchange { firstInbound, firstOutbound in
            var firstMessages = firstInbound.makeAsyncIterator()
            try await firstOutbound.write("one")
            #expect(try await firstMessages.next().map { String(buffer: $0) } == "one")
            #expect(await server.activeConnections == 1)
            try await second.exchange { inbound, outbound in
                var messages = inbound.makeAsyncIterator()
                try await outbound.write("two")
                // Held back: no answer while the first connection holds the only slot.
                let early = Task { try await messages.next() }
                try await Task.sleep(for: .milliseconds(300))
                #expect(await server.activeConnections == 1)
                firstOutbound.finish()
                #expect(try await firstMessages.next() == nil)
                let answer = try await early.value
                #expect(answer.map { String(buffer: $0) } == "two")
                outbound.finish()
            }
        }
        await server.shutdown(gracePeriod: .seconds(1))
        echo.cancel()
    }
}
