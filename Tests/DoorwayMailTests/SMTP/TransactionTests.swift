// Tests of complete mail transactions: envelope, Received header, content, pipelining and repeated transactions.
import Testing

@testable import DoorwayMail

@Suite struct TransactionTests {
    typealias T = TestSupport

    @Test func fullTransactionDeliversEnvelopeAndMessage() throws {
        var session = T.session()
        #expect(T.firstLines(session.start()) == ["220 mx.example.org ESMTP door"])
        #expect(T.codes(session.receive(T.bytes("EHLO client.example\r\n"))) == [250])
        #expect(T.firstLines(session.receive(T.bytes("MAIL FROM:<alice@example.com>\r\n"))) == ["250 2.1.0 Ok"])
        #expect(T.firstLines(session.receive(T.bytes("RCPT TO:<bob@example.org>\r\n"))) == ["250 2.1.5 Ok"])
        #expect(session.phase == .command)
        #expect(
            T.firstLines(session.receive(T.bytes("DATA\r\n"))) == ["354 End data with <CR><LF>.<CR><LF>"]
        )
        #expect(session.phase == .data)
        let actions = session.receive(T.bytes("Subject: hi\r\n\r\nHello\r\n.\r\n"))
        #expect(actions.count == 1)
        let delivery = try #require(T.deliveries(actions).first)
        #expect(
            delivery.envelope
                == SMTPEnvelope(
                    heloName: "client.example",
                    reversePath: "alice@example.com",
                    recipients: ["bob@example.org"],
                    peer: T.peer,
                    usedExtensions: true,
                    smtputf8: false,
                    eightBitMIME: false
                )
        )
        let expected = T.receivedHeader(recipient: "bob@example.org") + "Subject: hi\r\n\r\nHello\r\n"
        #expect(T.text(delivery.message) == expected)
        #expect(session.isWaitingForDelivery)
        #expect(session.phase == .command)
        #expect(T.firstLines(session.deliveryFinished(.stored)) == ["250 2.0.0 Ok: queued as Q1D"])
        #expect(!session.isWaitingForDelivery)
        #expect(session.receive(T.bytes("QUIT\r\n")) == [.reply(SMTPReply(code: 221, lines: ["2.0.0 Bye"])), .close])
        #expect(session.phase == .closed)
    }

    @Test func receivedHeaderExactBytes() throws {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nx\r\n.\r\n"))
        let message = try #require(T.deliveries(actions).first).message
        #expect(
            T.text(message)
                == "Received: from client.example ([192.0.2.7])\r\n\tby mx.example.org with ESMTP id Q1D\r\n"
                + "\tfor <u@d.example>; Tue, 1 Jul 2025 12:00:00 +0000\r\nx\r\n"
        )
    }

    @Test func receivedHeaderOmitsForWithSeveralRecipients() throws {
        var session = T.greetedSession()
        let actions = session.receive(
            T.bytes("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nRCPT TO:<v@d.example>\r\nDATA\r\nx\r\n.\r\n")
        )
        let delivery = try #require(T.deliveries(actions).first)
        #expect(delivery.envelope.recipients == ["u@d.example", "v@d.example"])
        #expect(T.text(delivery.message) == T.receivedHeader(recipient: nil) + "x\r\n")
    }

    @Test func heloUsesSMTPAndEhloUsesESMTP() throws {
        var session = T.session()
        _ = session.start()
        let actions = session.receive(
            T.bytes(
                "HELO old.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\n"
                    + "DATA\r\nx\r\n.\r\n"))
        let delivery = try #require(T.deliveries(actions).first)
        #expect(!delivery.envelope.usedExtensions)
        #expect(delivery.envelope.heloName == "old.example")
        #expect(
            T.text(delivery.message).hasPrefix(
                T.receivedHeader(
                    recipient: "u@d.example", protocolName: "SMTP",
                    helo: "old.example")))
    }

    @Test func ipv6PeerIsWrittenAsAddressLiteral() throws {
        var session = SMTPSession(
            configuration: T.configuration(), peer: "2001:db8::1", now: { "d" },
            messageID: { "i" })
        _ = session.start()
        let actions = session.receive(T.bytes("HELO h\r\nMAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n.\r\n"))
        let message = try #require(T.deliveries(actions).first).message
        #expect(T.text(message).hasPrefix("Received: from h ([IPv6:2001:db8::1])\r\n"))
    }

    @Test func wholeTransactionPipelinedInOneReceive() throws {
        var session = T.session()
        _ = session.start()
        let actions = session.receive(
            T.bytes(
                "EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nRCPT TO:<v@d.example>\r\n"
                    + "DATA\r\nline1\r\n..dot\r\n.\r\nQUIT\r\n")
        )
        #expect(T.codes(actions) == [250, 250, 250, 250, 354])
        let delivery = try #require(T.deliveries(actions).first)
        #expect(T.body(delivery.message) == "line1\r\n.dot\r\n")
        #expect(actions.last == .deliver(delivery.envelope, message: delivery.message))
        // QUIT is buffered until the store answers, then processed.
        let after = session.deliveryFinished(.stored)
        #expect(T.codes(after) == [250, 221])
        #expect(after.last == .close)
    }

    @Test func pipelinedSecondTransactionAfterEndOfData() throws {
        var session = T.greetedSession()
        let first = session.receive(
            T.bytes(
                "MAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nDATA\r\none\r\n.\r\n"
                    + "MAIL FROM:<c@b.example>\r\nRCPT TO:<w@d.example>\r\nDATA\r\n")
        )
        #expect(T.deliveries(first).count == 1)
        let resumed = session.deliveryFinished(.stored)
        #expect(T.codes(resumed) == [250, 250, 250, 354])
        let second = session.receive(T.bytes("two\r\n.\r\n"))
        let delivery = try #require(T.deliveries(second).first)
        #expect(delivery.envelope.reversePath == "c@b.example")
        #expect(delivery.envelope.recipients == ["w@d.example"])
        #expect(T.body(delivery.message) == "two\r\n")
    }

    @Test func rsetClearsTransactionButKeepsGreeting() {
        var session = T.greetedSession()
        let actions = session.receive(
            T.bytes("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nRSET\r\nDATA\r\nMAIL FROM:<z@b.example>\r\n")
        )
        #expect(
            T.firstLines(actions) == [
                "250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.0.0 Ok", "503 5.5.1 Error: need MAIL command", "250 2.1.0 Ok",
            ])
    }

    @Test func ehloAgainResetsTransaction() {
        var session = T.greetedSession()
        let actions = session.receive(
            T.bytes(
                "MAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nEHLO again.example\r\n"
                    + "RCPT TO:<u@d.example>\r\n")
        )
        #expect(T.codes(actions) == [250, 250, 250, 503])
    }

    @Test func heloAgainResetsTransactionAndChangesName() throws {
        var session = T.greetedSession()
        let actions = session.receive(
            T.bytes(
                "MAIL FROM:<a@b.example>\r\nHELO second.example\r\nMAIL FROM:<b@b.example>\r\n"
                    + "RCPT TO:<u@d.example>\r\nDATA\r\n.\r\n")
        )
        #expect(T.codes(actions) == [250, 250, 250, 250, 354])
        let delivery = try #require(T.deliveries(actions).first)
        #expect(delivery.envelope.heloName == "second.example")
        #expect(delivery.envelope.reversePath == "b@b.example")
        #expect(!delivery.envelope.usedExtensions)
    }

    @Test func newTransactionAfterCompletedOne() throws {
        var replayer = TranscriptReplayer(session: T.session())
        replayer.replay(
            """
            S: 220 mx.example.org ESMTP door
            C: EHLO c.example
            S: 250-mx.example.org
            C: MAIL FROM:<a@b.example>
            S: 250 2.1.0
            C: RCPT TO:<u@d.example>
            S: 250 2.1.5
            C: DATA
            S: 354
            C: first
            C: .
            D: first\\r\\n
            S: 250 2.0.0 Ok: queued as Q1D
            C: MAIL FROM:<a@b.example>
            S: 250 2.1.0
            C: RCPT TO:<v@d.example>
            S: 250 2.1.5
            C: DATA
            S: 354
            C: second
            C: .
            D: second\\r\\n
            S: 250 2.0.0
            C: QUIT
            S: 221 2.0.0 Bye
            X:
            """
        )
        #expect(replayer.delivered.map(\.envelope.recipients) == [["u@d.example"], ["v@d.example"]])
    }

    @Test func emptyMessageIsDelivered() throws {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n.\r\n"))
        let delivery = try #require(T.deliveries(actions).first)
        #expect(T.body(delivery.message) == "")
        #expect(delivery.envelope.reversePath == "")
    }

    @Test func dotUnstuffingRemovesOnlyTheFirstDot() throws {
        var session = T.greetedSession()
        let actions = session.receive(
            T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n..\r\n...x\r\n.y\r\n a.\r\n.\r\n")
        )
        let delivery = try #require(T.deliveries(actions).first)
        #expect(T.body(delivery.message) == ".\r\n..x\r\ny\r\n a.\r\n")
    }

    @Test func eightBitAndUTF8FlagsAreRecorded() throws {
        var session = T.greetedSession()
        let actions = session.receive(
            T.bytes("MAIL FROM:<jö@b.example> BODY=8BITMIME SMTPUTF8\r\nRCPT TO:<ü@d.example>\r\nDATA\r\nü\r\n.\r\n")
        )
        let delivery = try #require(T.deliveries(actions).first)
        #expect(delivery.envelope.smtputf8)
        #expect(delivery.envelope.eightBitMIME)
        #expect(delivery.envelope.reversePath == "jö@b.example")
        #expect(delivery.envelope.recipients == ["ü@d.example"])
        #expect(T.body(delivery.message) == "ü\r\n")
    }

    @Test func bodySevenBitClearsFlag() throws {
        var session = T.greetedSession()
        let actions = session.receive(
            T.bytes("MAIL FROM:<a@b.example> BODY=7bit\r\nRCPT TO:<u@d.example>\r\nDATA\r\n.\r\n")
        )
        let delivery = try #require(T.deliveries(actions).first)
        #expect(!delivery.envelope.eightBitMIME)
        #expect(!delivery.envelope.smtputf8)
    }

    @Test func sourceRouteIsStripped() throws {
        var session = T.greetedSession()
        let actions = session.receive(
            T.bytes(
                "MAIL FROM:<@relay.example:a@b.example>\r\nRCPT TO:<@a.example,@b.example:u@d.example>\r\n"
                    + "DATA\r\n.\r\n")
        )
        let delivery = try #require(T.deliveries(actions).first)
        #expect(delivery.envelope.reversePath == "a@b.example")
        #expect(delivery.envelope.recipients == ["u@d.example"])
    }

    @Test func bareCRIsKeptInsideALine() throws {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\na\rb\r\n.\r\n"))
        let delivery = try #require(T.deliveries(actions).first)
        #expect(T.body(delivery.message) == "a\rb\r\n")
    }
}
