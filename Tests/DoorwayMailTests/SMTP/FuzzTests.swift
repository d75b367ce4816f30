// Fuzz-style tests: random inputs must never crash or break bounds, and chunking must never change behaviour.
import DoorwayBasics
import Testing

@testable import DoorwayMail

@Suite struct FuzzTests {
    typealias T = TestSupport

    /// Fragments that steer random input into deep states (DATA, pipelining, limits, line-ending edge cases).
    static let fragments: [[UInt8]] = [
        "EHLO c.example\r\n", "HELO h\r\n", "MAIL FROM:<a@b.example>\r\n", "MAIL FROM:<>", " SIZE=", "99999999999",
        " BODY=8BITMIME", " SMTPUTF8", "RCPT TO:<u@d.example>\r\n", "RCPT TO:<postmaster>\r\n", "DATA\r\n", "DATA\n",
        "RSET\r\n", "NOOP\r\n", "VRFY x\r\n", "HELP\r\n", "QUIT\r\n", "\r\n.\r\n", ".\r\n", "\n.\n", "\r.\r", "..", ".",
        "\r", "\n", "\r\n", "<", ">", "@", "\"", "\\", ":", " ", "ü", "x", "MAIL", "RCPT", "TO:", "FROM:",
    ].map { Array($0.utf8) }

    static let opening = Array(
        "EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n".utf8
    )

    static func randomInput(using generator: inout SplitMix64) -> [UInt8] {
        // Half the inputs open a valid transaction so the random tail exercises DATA and delivery too.
        var bytes: [UInt8] = generator.next() % 2 == 0 ? opening : []
        let pieces = Int(generator.next() % 40)
        for _ in 0..<pieces {
            switch generator.next() % 10 {
            case 0:
                let count = Int(generator.next() % 16)
                for _ in 0..<count { bytes.append(UInt8(truncatingIfNeeded: generator.next())) }
            case 1:
                // Occasionally a long run, to exercise the line limits.
                let count = Int(generator.next() % 1200)
                bytes += [UInt8](repeating: UInt8(truncatingIfNeeded: generator.next() | 0x20), count: count)
            default:
                bytes += fragments[Int(generator.next() % UInt64(fragments.count))]
            }
        }
        return bytes
    }

    @Test func twentyThousandRandomInputsNeverCrashAndStayConsistent() {
        var generator = SplitMix64(seed: 0x5EED)
        var deliveries = 0
        for iteration in 0..<20_000 {
            let input = Self.randomInput(using: &generator)
            let configuration = T.configuration(
                domains: iteration % 3 == 0 ? ["d.example"] : [],
                maximumMessageSize: iteration % 5 == 0 ? 50 : 25 * 1024 * 1024,
                maximumRecipients: iteration % 7 == 0 ? 1 : 100,
                maximumErrors: Int(generator.next() % 12),
                strict: iteration % 2 == 0
            )
            var session = T.session(configuration)
            var actions = session.start()
            var offset = 0
            while offset < input.count {
                let size = Int(generator.next() % 64) + 1
                let end = min(input.count, offset + size)
                actions += session.receive(Array(input[offset..<end]))
                offset = end
                if session.isWaitingForDelivery && generator.next() % 3 != 0 {
                    let result: DeliveryResult =
                        generator.next() % 2 == 0
                        ? .stored
                        : .failed(temporary: generator.next() % 2 == 0, reason: "r")
                    actions += session.deliveryFinished(result)
                }
                if generator.next() % 500 == 0 { actions += session.timedOut() }
            }
            // Invariants: nothing after .close, bounded buffers, every reply well formed.
            if let closeIndex = actions.firstIndex(of: .close) {
                #expect(closeIndex == actions.count - 1)
                #expect(session.phase == .closed)
            }
            #expect(session.reader.bufferedCount <= SMTPSession.maximumBufferedInput + 64)
            #expect((session.collector?.body.count ?? 0) <= configuration.maximumMessageSize)
            for case .reply(let reply) in actions {
                #expect((200...599).contains(reply.code))
                #expect(reply.bytes.last == ASCII.lf)
            }
            deliveries += T.deliveries(actions).count
        }
        // The generator must actually reach delivery, or the fuzzing is too shallow to mean anything.
        #expect(deliveries > 100)
    }

    @Test func randomInputsGiveTheSameActionsUnderAnyChunking() {
        var generator = SplitMix64(seed: 42)
        for iteration in 0..<1_000 {
            let input = Self.randomInput(using: &generator)
            let configuration = T.configuration(maximumErrors: 1_000, strict: iteration % 2 == 1)
            var reference = T.session(configuration)
            let expected = T.drive(&reference, chunks: [input])
            var chunked = T.session(configuration)
            let chunks = T.randomChunks(input, maximum: Int(generator.next() % 50) + 1, using: &generator)
            #expect(T.drive(&chunked, chunks: chunks) == expected)
        }
    }

    @Test func randomChunkingsOfAFullSessionGiveTheSameActions() {
        let stream = T.bytes(
            "EHLO c.example\r\nMAIL FROM:<a@b.example> SIZE=100\r\nRCPT TO:<u@d.example>\r\nRCPT TO:<x@y.example>\r\n"
                + "DATA\r\nSubject: s\r\n\r\n..dot\r\nbare\nlf\r\n\r.\r\n\r\n.\r\n"
                + "MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\n"
                + "DATA\r\n" + String(repeating: "z", count: 1200) + "\r\n.\r\nBOGUS\r\n"
                + String(repeating: "A", count: 700) + "\r\nQUIT\r\n"
        )
        var reference = T.session()
        let expected = T.drive(&reference, chunks: [stream])
        #expect(T.deliveries(expected).count == 1)
        #expect(T.codes(expected) == [220, 250, 250, 250, 250, 354, 250, 250, 250, 354, 550, 500, 500, 221])
        var generator = SplitMix64(seed: 7)
        for round in 0..<300 {
            var session = T.session()
            let chunks = T.randomChunks(stream, maximum: [1, 2, 5, 64, 600][round % 5], using: &generator)
            #expect(T.drive(&session, chunks: chunks) == expected)
        }
    }
}
