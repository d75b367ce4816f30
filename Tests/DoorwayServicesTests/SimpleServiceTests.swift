// Every simple service over TCP and UDP, and a program per connection, over loopback.

import Doorway
import DoorwayServices
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing

private let loopback = try! Endpoint(parsing: "127.0.0.1:0")

/// Sends `request` over TCP, half-closes, and reads until the server closes (or `limit` bytes arrive).
private func tcpExchange(_ endpoint: Endpoint, send request: String, limit: Int = 1 << 20) async throws -> ByteBuffer {
    let connection = try await Client().connect(to: endpoint)
    return try await connection.exchange { inbound, outbound in
        if !request.isEmpty { try await outbound.write(request) }
        outbound.finish()
        var received = ByteBuffer()
        for try await var chunk in inbound {
            received.writeBuffer(&chunk)
            if received.readableBytes >= limit { break }
        }
        return received
    }
}

/// Sends one datagram and returns the first answer, or nil after `wait`.
private func udpExchange(
    _ endpoint: Endpoint, send request: String, wait: Duration = .seconds(2)
) async throws -> ByteBuffer? {
    let (socket, peer) = try await DatagramSocket.open(toward: endpoint)
    return try await socket.exchange { inbound, outbound in
        try await outbound.write(AddressedEnvelope(remoteAddress: peer, data: ByteBuffer(string: request)))
        return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                for try await datagram in inbound { return datagram.data }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: wait)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
    }
}

private func serve(
    _ service: SimpleService, _ transport: Transport, limits: DatagramLimits = .init()
) async throws -> Server {
    try await Server.bind(
        loopback, transport: transport, initializer: service.initializer(transport: transport, limits: limits))
}

@Suite struct SimpleServiceTests {
    @Test func echoTCP() async throws {
        let server = try await serve(.echo, .tcp)
        let big = String(repeating: "0123456789", count: 100_000)  // 1 MB: more than the socket buffers hold
        #expect(String(buffer: try await tcpExchange(server.localEndpoint, send: big)) == big)
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test func echoUDP() async throws {
        let server = try await serve(.echo, .udp)
        #expect(try await udpExchange(server.localEndpoint, send: "ping").map { String(buffer: $0) } == "ping")
        await server.shutdown()
    }

    @Test func discardTCPAndUDP() async throws {
        let tcp = try await serve(.discard, .tcp)
        #expect(try await tcpExchange(tcp.localEndpoint, send: "into the void").readableBytes == 0)
        let udp = try await serve(.discard, .udp)
        #expect(try await udpExchange(udp.localEndpoint, send: "x") == nil)
        await tcp.shutdown(gracePeriod: .seconds(1))
        await udp.shutdown()
    }

    @Test func chargenTCPSendsTheRotatingPatternUntilTheClientLeaves() async throws {
        let server = try await serve(.chargen, .tcp)
        let connection = try await Client().connect(to: server.localEndpoint)
        let received = try await connection.exchange { inbound, _ in
            var received = ByteBuffer()
            for try await var chunk in inbound {
                received.writeBuffer(&chunk)
                if received.readableBytes >= 74 * 200 { break }
            }
            return received
        }
        let lines = String(buffer: received).split(separator: "\r\n").prefix(96).map(String.init)
        #expect(lines[0] == String(decoding: (32...103).map { UInt8($0) }, as: UTF8.self))
        #expect(lines[1] == String(decoding: (33...104).map { UInt8($0) }, as: UTF8.self))
        #expect(lines[95] == lines[0])  // 95 printable characters, so the pattern repeats
        // The client has gone: the server stops and drops the connection (waited for, up to ten seconds).
        for _ in 0..<200 where await server.activeConnections > 0 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(await server.activeConnections == 0)
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test func chargenUDPAnswersAtMost512Characters() async throws {
        let server = try await serve(.chargen, .udp)
        for _ in 0..<5 {
            let answer = try await udpExchange(server.localEndpoint, send: "")
            #expect((answer?.readableBytes ?? 0) <= 512)
        }
        await server.shutdown()
    }

    @Test func udpAnswersStopAtTheRateBudget() async throws {
        let server = try await serve(.echo, .udp, limits: DatagramLimits(answersPerSecond: 2))
        // Five requests at once from one socket: the one-second window allows two answers.
        let (socket, peer) = try await DatagramSocket.open(toward: server.localEndpoint)
        let answered = try await socket.exchange { inbound, outbound in
            for _ in 0..<5 {
                try await outbound.write(AddressedEnvelope(remoteAddress: peer, data: ByteBuffer(string: "x")))
            }
            return try await withThrowingTaskGroup(of: Int.self) { group in
                let counted = NIOLockedValueBox(0)
                group.addTask {
                    for try await _ in inbound { counted.withLockedValue { $0 += 1 } }
                    return counted.withLockedValue { $0 }
                }
                // Wait (however loaded the machine) for the two answers the budget allows, then a while for
                // any that should not come.
                for _ in 0..<200 where counted.withLockedValue({ $0 }) < 2 {
                    try await Task.sleep(for: .milliseconds(50))
                }
                try await Task.sleep(for: .milliseconds(500))
                try await socket.channel.close()
                return try await group.next()!
            }
        }
        // Two per second: the five requests sent at once get two answers (four at most if a slow machine
        // spreads their handling over two one-second windows), never five.
        #expect((2...4).contains(answered), "\(answered) answers")
        await server.shutdown()
    }

    @Test(arguments: [Transport.tcp, .udp])
    func qotdGivesAQuoteUnder512(transport: Transport) async throws {
        let server = try await serve(.qotd, transport)
        let quote =
            transport == .tcp
            ? try await tcpExchange(server.localEndpoint, send: "")
            : try #require(try await udpExchange(server.localEndpoint, send: ""))
        #expect(quote.readableBytes > 10 && quote.readableBytes < 512)
        #expect(String(buffer: quote).hasSuffix("\r\n"))
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test(arguments: [Transport.tcp, .udp])
    func daytimeIsTodayInText(transport: Transport) async throws {
        let server = try await serve(.daytime, transport)
        let text =
            transport == .tcp
            ? String(buffer: try await tcpExchange(server.localEndpoint, send: ""))
            : String(buffer: try #require(try await udpExchange(server.localEndpoint, send: "")))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy"
        #expect(text.contains(formatter.string(from: Date())))
        #expect(text.hasSuffix("-UTC\r\n"))
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test(arguments: [Transport.tcp, .udp])
    func timeIsSecondsSince1900(transport: Transport) async throws {
        let server = try await serve(.time, transport)
        let before = Int(Date().timeIntervalSince1970) + 2_208_988_800
        var bytes =
            transport == .tcp
            ? try await tcpExchange(server.localEndpoint, send: "")
            : try #require(try await udpExchange(server.localEndpoint, send: ""))
        #expect(bytes.readableBytes == 4)
        let value = bytes.readInteger(as: UInt32.self)
        let seconds = Int(try #require(value))
        let after = Int(Date().timeIntervalSince1970) + 2_208_988_800
        // The answer was made between the two readings of the clock (seconds truncate, hence the slack of 1).
        #expect(
            (UInt32(truncatingIfNeeded: before - 1)...UInt32(truncatingIfNeeded: after + 1)).contains(UInt32(seconds)))
        await server.shutdown(gracePeriod: .seconds(1))
    }
}

@Suite struct ProgramServiceTests {
    @Test func programGetsTheSocketAndTheEnvironment() async throws {
        let program = try Program(
            commandLine: #"sh -c 'echo "$PROTO $TCPREMOTEIP $TCPREMOTEPORT $TCPLOCALIP $TCPLOCALPORT"; cat'"#)
        let server = try await Server.bind(loopback, maximumConnections: 2, initializer: program.initializer())
        let connection = try await Client().connect(to: server.localEndpoint, framing: .lines())
        let local = try #require(connection.localEndpoint)
        let lines = try await connection.exchange { inbound, outbound in
            try await outbound.write("through cat")
            outbound.finish()
            var lines: [String] = []
            for try await line in inbound { lines.append(String(buffer: line)) }
            return lines
        }
        #expect(lines == ["TCP 127.0.0.1 \(local.port!) 127.0.0.1 \(server.localEndpoint.port!)", "through cat"])
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test func capHoldsProgramsBack() async throws {
        let server = try await Server.bind(
            loopback, maximumConnections: 1, initializer: try Program(commandLine: "cat").initializer())
        let first = try await Client().connect(to: server.localEndpoint)
        try await first.exchange { firstInbound, firstOutbound in
            try await firstOutbound.write("1")
            var firstMessages = firstInbound.makeAsyncIterator()
            #expect(try await firstMessages.next().map { String(buffer: $0) } == "1")
            let second = try await Client().connect(to: server.localEndpoint)
            try await second.exchange { inbound, outbound in
                try await outbound.write("2")
                var messages = inbound.makeAsyncIterator()
                let answer = Task { try await messages.next() }
                try await Task.sleep(for: .milliseconds(300))
                #expect(await server.activeConnections == 1)
                firstOutbound.finish()  // the first cat ends; the second connection gets its turn
                #expect(try await answer.value.map { String(buffer: $0) } == "2")
                outbound.finish()
            }
        }
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test func commandLinesSplitLikeAShell() throws {
        #expect(try Program(commandLine: #"sh -c 'a b' "c d" e\ f"#).arguments == ["-c", "a b", "c d", "e f"])
        #expect(throws: ParameterError.self) { try Program(commandLine: "sh -c 'open") }
        #expect(throws: ParameterError.self) { try Program(commandLine: "  ") }
    }
}
