// Reply parsing from an untrusted server: multi-line replies, arbitrary splits, malformed input and bounds.

import Testing

@testable import DoorwayMail

@Suite struct SMTPClientReplyTests {
    @Test func multiLineReplies() {
        var parser = SMTPClientReplyParser(maximumLineLength: 512)
        parser.append(clientWire("220-first\r\n220-second\r\n220 third\r\n250\r\n354 go\n")[...])
        #expect(parser.next() == .reply(SMTPReply(code: 220, lines: ["first", "second", "third"])))
        // A bare code is a valid last line (RFC 5321 §4.2); a bare LF ending is tolerated.
        #expect(parser.next() == .reply(SMTPReply(code: 250, lines: [""])))
        #expect(parser.next() == .reply(SMTPReply(code: 354, lines: ["go"])))
        #expect(parser.next() == nil)
    }

    @Test(arguments: [
        "22 short\r\n", "2500 four digits\r\n", "250_underscore\r\n", "abc text\r\n", "650 bad class\r\n",
        "150 preliminary\r\n", "\r\n", "250-a\r\n251 b\r\n", " 250 leading space\r\n",
    ])
    func malformedRepliesAreProtocolViolations(input: String) {
        var session = makeClientSession()
        let actions = session.server(input)
        // The server's state is unknown, so no QUIT that it might read as message text.
        #expect(actions.sentText == [])
        #expect(actions.finishedCount == 1)
        guard case .protocolViolation? = actions.outcome?.error?.reason else {
            Issue.record("expected a protocol violation, got \(actions)")
            return
        }
        #expect(session.server("220 late\r\n").isEmpty)
        #expect(session.connectionClosed().isEmpty)
    }

    @Test func malformedDescription() {
        var session = makeClientSession()
        let actions = session.server("HTTP/1.1 400 Bad Request\r\n")
        #expect(
            actions.outcome?.error?.description
                == "protocol violation during greeting: malformed reply line \"HTTP/1.1?400?Bad?Request\"")
    }

    @Test func overlongLineFailsWithoutBufferingIt() {
        var session = makeClientSession(maximumReplyLineLength: 100)
        #expect(session.server("220 " + String(repeating: "x", count: 96) + "\r\n").count == 1)
        var parser = SMTPClientReplyParser(maximumLineLength: 100)
        parser.append(clientWire("250 " + String(repeating: "x", count: 200))[...])
        #expect(parser.next() == .malformed("reply line longer than 100 octets"))
        var short = makeClientSession(maximumReplyLineLength: 100)
        let actions = short.server("220 " + String(repeating: "y", count: 150) + "\r\n")
        #expect(actions.finishedCount == 1)
        #expect(
            actions.outcome?.error?.description
                == "protocol violation during greeting: reply line longer than 100 octets")
    }

    @Test func endlessInputWithoutNewlineIsBounded() {
        var session = makeClientSession()
        var finished = 0
        let chunk = [UInt8](repeating: UInt8(ascii: "2"), count: 64 * 1024)
        for _ in 0..<32 {
            finished += session.receive(chunk).finishedCount
        }
        #expect(finished == 1)
        #expect(session.parser.bufferedCount == 0)
    }

    @Test func bufferedInputStaysBelowTheLineLimit() {
        var parser = SMTPClientReplyParser(maximumLineLength: 4096)
        let chunk = [UInt8](repeating: UInt8(ascii: "5"), count: 1000)
        var event: SMTPClientReplyParser.Event?
        for _ in 0..<10 where event == nil {
            parser.append(chunk[...])
            event = parser.next()
            #expect(parser.bufferedCount <= 4096 + chunk.count)
        }
        #expect(event == .malformed("reply line longer than 4096 octets"))
    }

    @Test func tooManyLinesInOneReply() {
        var session = makeClientSession()
        let actions = session.server(String(repeating: "220-more\r\n", count: 200))
        #expect(actions.outcome?.error?.reason == .protocolViolation("reply has more than 128 lines"))
    }

    @Test func wholeTransactionSplitByteByByte() {
        let owed = "250 Ok\r\n250 Ok\r\n250 Ok\r\n354 go\r\n"
        let steps = [clientGreeting, clientEHLOPipelining, owed, "250 2.0.0 Ok: queued as X\r\n"]
        let replies = steps.joined()
        var whole = makeClientSession(to: ["bob@example.org", "carol@example.org"])
        var expected: [SMTPClientAction] = []
        for reply in steps {
            expected += whole.server(reply)
        }
        var split = makeClientSession(to: ["bob@example.org", "carol@example.org"])
        var actions: [SMTPClientAction] = []
        for byte in clientWire(replies) {
            actions += split.receive([byte])
        }
        #expect(actions == expected)
        #expect(actions.sentText.first == "EHLO client.example.com\r\n")
        #expect(actions.sentText.count == 4)
        #expect(actions.outcome?.isDelivered == true)
        #expect(actions.outcome?.result == .success(SMTPReply(code: 250, lines: ["2.0.0 Ok: queued as X"])))
    }

    @Test func crlfSplitBetweenChunks() {
        var session = makeClientSession()
        #expect(session.server("220-a\r").isEmpty)
        #expect(session.server("\n220 b\r").isEmpty)
        #expect(session.server("\n") == [clientSend("EHLO client.example.com\r\n")])
    }

    @Test func repliesInOneChunkWithoutPipeliningAreHandledInOrder() {
        var session = makeClientSession()
        let rest = "250 Ok\r\n250 Ok\r\n354 go\r\n250 Ok\r\n221 Bye\r\n"
        let actions = session.server(clientGreeting + clientEHLOPlain + rest)
        #expect(actions.sentText.count == 6)
        #expect(actions.finishedCount == 1)
        #expect(actions.outcome?.isDelivered == true)
    }
}
