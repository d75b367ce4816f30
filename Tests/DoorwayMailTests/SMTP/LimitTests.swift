// Tests of every configured and protocol limit: recipients, line lengths, message size, errors and buffering.
import Testing

@testable import DoorwayMail

@Suite struct LimitTests {
    typealias T = TestSupport

    @Test func hundredRecipientsAcceptedThen452() throws {
        var session = T.greetedSession()
        var commands = "MAIL FROM:<a@b.example>\r\n"
        for index in 0..<102 { commands += "RCPT TO:<user\(index)@d.example>\r\n" }
        commands += "DATA\r\n.\r\n"
        let actions = session.receive(T.bytes(commands))
        let lines = T.firstLines(actions)
        #expect(lines.filter { $0 == "250 2.1.5 Ok" }.count == 100)
        #expect(lines.filter { $0 == "452 4.5.3 Error: too many recipients" }.count == 2)
        #expect(!T.closes(actions), "452 is flow control and must not count towards the error limit")
        let delivery = try #require(T.deliveries(actions).first)
        #expect(delivery.envelope.recipients.count == 100)
        #expect(delivery.envelope.recipients.last == "user99@d.example")
    }

    @Test func configuredRecipientLimit() {
        var session = T.greetedSession(T.configuration(maximumRecipients: 2))
        let actions = session.receive(
            T.bytes("MAIL FROM:<>\r\nRCPT TO:<a@d.example>\r\nRCPT TO:<b@d.example>\r\nRCPT TO:<c@d.example>\r\n")
        )
        #expect(T.codes(actions) == [250, 250, 250, 452])
    }

    @Test func commandLineOf512OctetsIsAccepted() {
        var session = T.greetedSession()
        // "NOOP " + 505 octets + CRLF = 512 octets.
        let line = "NOOP " + String(repeating: "x", count: 505) + "\r\n"
        #expect(line.utf8.count == 512)
        #expect(T.codes(session.receive(T.bytes(line))) == [250])
    }

    @Test func commandLineOf513OctetsIsTooLong() {
        var session = T.greetedSession()
        let line = "NOOP " + String(repeating: "x", count: 506) + "\r\n"
        let actions = session.receive(T.bytes(line + "NOOP\r\n"))
        #expect(T.firstLines(actions) == ["500 5.5.6 Error: line too long", "250 2.0.0 Ok"])
    }

    @Test func longCommandLineIsNotExecutedEvenIfItLooksValid() {
        var session = T.greetedSession()
        let long = "MAIL FROM:<a@b.example>" + String(repeating: " ", count: 600) + "x\r\nRCPT TO:<u@d.example>\r\n"
        #expect(T.codes(session.receive(T.bytes(long))) == [500, 503])
    }

    @Test func longCommandLineIsReportedBeforeItEndsAndMemoryStaysBounded() {
        var session = T.greetedSession()
        var actions: [SMTPAction] = []
        for _ in 0..<200 {
            actions += session.receive([UInt8](repeating: UInt8(ascii: "A"), count: 10_000))
            #expect(session.reader.storageCount <= 16 * 1024)
        }
        #expect(T.codes(actions) == [500])
        #expect(T.codes(session.receive(T.bytes("\r\nNOOP\r\n"))) == [250])
    }

    @Test func commandCRLFSplitAcrossDiscardedChunksIsFound() {
        var session = T.greetedSession()
        var actions = session.receive([UInt8](repeating: UInt8(ascii: "A"), count: 600) + [ASCII.cr])
        actions += session.receive([ASCII.lf] + T.bytes("NOOP\r\n"))
        #expect(T.codes(actions) == [500, 250])
    }

    @Test func textLineOf1000OctetsIsAccepted() throws {
        var session = T.greetedSession()
        let text = String(repeating: "y", count: 998)
        // A leading stuffed dot does not count (RFC 5321 §4.5.3.1.6).
        let actions = session.receive(
            T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n\(text)\r\n.\(text)\r\n.\r\n")
        )
        let delivery = try #require(T.deliveries(actions).first)
        #expect(T.body(delivery.message) == "\(text)\r\n\(text)\r\n")
    }

    @Test func textLineOf1001OctetsRejectsMessage() {
        var session = T.greetedSession()
        let text = String(repeating: "y", count: 999)
        let actions = session.receive(
            T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nok\r\n\(text)\r\nafter\r\n.\r\nNOOP\r\n")
        )
        #expect(T.deliveries(actions).isEmpty)
        #expect(
            T.firstLines(actions).suffix(2) == [
                "550 5.6.0 Error: message line longer than 1000 octets", "250 2.0.0 Ok",
            ])
    }

    @Test func veryLongTextLineIsDiscardedWithBoundedMemory() {
        var session = T.greetedSession()
        _ = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n"))
        for _ in 0..<100 {
            #expect(session.receive([UInt8](repeating: UInt8(ascii: "z"), count: 50_000)).isEmpty)
            #expect(session.reader.storageCount <= 16 * 1024)
        }
        let actions = session.receive(T.bytes("\r\n.\r\n"))
        #expect(T.codes(actions) == [550])
        #expect(T.deliveries(actions).isEmpty)
    }

    @Test func declaredSizeOverMaximumIs552() {
        var session = T.greetedSession(T.configuration(maximumMessageSize: 1000))
        let actions = session.receive(
            T.bytes("MAIL FROM:<a@b.example> SIZE=1001\r\nMAIL FROM:<a@b.example> SIZE=1000\r\n")
        )
        #expect(T.firstLines(actions) == ["552 5.3.4 Error: message file too big", "250 2.1.0 Ok"])
    }

    @Test func hugeDeclaredSizeDoesNotOverflow() {
        var session = T.greetedSession()
        let digits = String(repeating: "9", count: 30)
        #expect(T.codes(session.receive(T.bytes("MAIL FROM:<a@b.example> SIZE=\(digits)\r\n"))) == [552])
    }

    @Test func messageExactlyAtMaximumIsDelivered() throws {
        // "12345678\r\n" is 10 octets.
        var session = T.greetedSession(T.configuration(maximumMessageSize: 10))
        let actions = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n12345678\r\n.\r\n"))
        #expect(try T.body(#require(T.deliveries(actions).first).message) == "12345678\r\n")
    }

    @Test func messageOverMaximumIsReadToTheEndThenRejected() {
        var session = T.greetedSession(T.configuration(maximumMessageSize: 10))
        let actions = session.receive(
            T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n123456789\r\nmore\r\n.\r\nNOOP\r\n")
        )
        #expect(T.deliveries(actions).isEmpty)
        #expect(T.firstLines(actions).suffix(2) == ["552 5.3.4 Error: message file too big", "250 2.0.0 Ok"])
    }

    @Test func oversizedMessageMemoryStaysBounded() {
        var session = T.greetedSession(T.configuration(maximumMessageSize: 100_000))
        _ = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n"))
        let block = T.bytes(String(repeating: String(repeating: "m", count: 98) + "\r\n", count: 500))
        for _ in 0..<40 {
            #expect(session.receive(block).isEmpty)
            #expect((session.collector?.body.count ?? 0) <= 100_000)
        }
        #expect(session.collector?.body.isEmpty == true)
        #expect(T.codes(session.receive(T.bytes(".\r\n"))) == [552])
    }

    @Test func errorLimitClosesWith421() {
        var session = T.greetedSession(T.configuration(maximumErrors: 3))
        let actions = session.receive(T.bytes("FOO\r\nBAR\r\nNOOP\r\nBAZ\r\nNOOP\r\n"))
        #expect(
            T.firstLines(actions) == [
                "500 5.5.2 Error: command not recognized", "500 5.5.2 Error: command not recognized", "250 2.0.0 Ok",
                "500 5.5.2 Error: command not recognized", "421 4.7.0 mx.example.org Error: too many errors",
            ])
        #expect(actions.last == .close)
        #expect(session.phase == .closed)
    }

    @Test func defaultErrorLimitIsTen() {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes(String(repeating: "X\r\n", count: 12)))
        #expect(T.codes(actions) == Array(repeating: 500, count: 10) + [421])
        #expect(actions.last == .close)
    }

    @Test func everyKindOfErrorCounts() {
        var session = T.greetedSession(
            T.configuration(
                domains: ["d.example"], maximumMessageSize: 5,
                maximumErrors: 8))
        let actions = session.receive(
            T.bytes(
                "RCPT TO:<u@d.example>\r\n"  // 503
                    + "MAIL FROM:<a@b.example> SIZE=6\r\n"  // 552
                    + "MAIL FROM:<a@b.example> FOO\r\n"  // 555
                    + "MAIL FROM:a@b.example\r\n"  // 501
                    + "MAIL FROM:<ü@b.example>\r\n"  // 553
                    + "MAIL FROM:<a@b.example>\r\nRCPT TO:<u@x.example>\r\n"  // 250, 550
                    + "RCPT TO:<u@d.example>\r\nDATA\r\ntoo big\r\n.\r\n"  // 250, 354, 552
                    + "EXPN x\r\n"  // 502 -> limit
            ))
        #expect(T.codes(actions) == [503, 552, 555, 501, 553, 250, 550, 250, 354, 552, 502, 421])
        #expect(actions.last == .close)
    }

    @Test func successfulDeliveryResetsErrorCount() {
        var session = T.greetedSession(T.configuration(maximumErrors: 2))
        _ = session.receive(T.bytes("FOO\r\nMAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n.\r\n"))
        _ = session.deliveryFinished(.stored)
        #expect(T.codes(session.receive(T.bytes("FOO\r\n"))) == [500])
        #expect(session.phase == .command)
        #expect(T.codes(session.receive(T.bytes("FOO\r\n"))) == [500, 421])
    }

    @Test func zeroErrorLimitClosesOnFirstError() {
        var session = T.greetedSession(T.configuration(maximumErrors: 0))
        let actions = session.receive(T.bytes("NOOP\r\nFOO\r\nNOOP\r\n"))
        #expect(T.codes(actions) == [250, 500, 421])
        #expect(actions.last == .close)
    }

    @Test func pipelinedInputWhileWaitingIsBufferedAndResumed() {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nx\r\n.\r\nNOOP\r\n"))
        #expect(session.isWaitingForDelivery)
        #expect(T.deliveries(actions).count == 1)
        #expect(session.receive(T.bytes("NOOP\r\nQUIT\r\n")).isEmpty)
        let resumed = session.deliveryFinished(.stored)
        #expect(T.codes(resumed) == [250, 250, 250, 221])
        #expect(resumed.last == .close)
    }

    @Test func pipelinedInputOverBoundClosesAfterDeliveryReply() {
        var session = T.greetedSession()
        _ = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nx\r\n.\r\n"))
        #expect(session.isWaitingForDelivery)
        for _ in 0..<100 {
            #expect(session.receive(T.bytes(String(repeating: "NOOP\r\n", count: 1000))).isEmpty)
            #expect(session.reader.bufferedCount <= SMTPSession.maximumBufferedInput)
        }
        let resumed = session.deliveryFinished(.stored)
        #expect(
            T.firstLines(resumed) == [
                "250 2.0.0 Ok: queued as Q1D", "421 4.7.0 mx.example.org Error: too much pipelined input",
            ])
        #expect(resumed.last == .close)
    }

    @Test func pipelinedInputInTheSameReceiveIsAlsoBounded() {
        var session = T.greetedSession()
        let tail = String(repeating: "NOOP\r\n", count: 20_000)
        let actions = session.receive(
            T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nx\r\n.\r\n" + tail)
        )
        #expect(T.deliveries(actions).count == 1)
        #expect(session.reader.bufferedCount <= SMTPSession.maximumBufferedInput)
        #expect(T.codes(session.deliveryFinished(.stored)) == [250, 421])
    }

    @Test func pipelinedInputJustUnderBoundIsProcessed() {
        var session = T.greetedSession()
        _ = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nx\r\n.\r\n"))
        let count = SMTPSession.maximumBufferedInput / 6
        _ = session.receive(T.bytes(String(repeating: "NOOP\r\n", count: count)))
        let resumed = session.deliveryFinished(.stored)
        #expect(T.codes(resumed).count == count + 1)
        #expect(!T.closes(resumed))
    }
}
