// Tests that commands out of the RFC 5321 §4.1.4 order are refused with 503 5.5.1 and leave state intact.
import Testing

@testable import DoorwayMail

@Suite struct SequencingTests {
    typealias T = TestSupport

    @Test func mailBeforeHello() {
        var session = T.session()
        _ = session.start()
        #expect(
            T.firstLines(session.receive(T.bytes("MAIL FROM:<a@b.example>\r\n")))
                == ["503 5.5.1 Error: send HELO/EHLO first"])
    }

    @Test func rcptBeforeMail() {
        var session = T.greetedSession()
        #expect(
            T.firstLines(session.receive(T.bytes("RCPT TO:<u@d.example>\r\n")))
                == ["503 5.5.1 Error: need MAIL command"])
    }

    @Test func rcptBeforeHello() {
        var session = T.session()
        #expect(T.codes(session.receive(T.bytes("RCPT TO:<u@d.example>\r\n"))) == [503])
    }

    @Test func dataBeforeMail() {
        var session = T.greetedSession()
        #expect(T.firstLines(session.receive(T.bytes("DATA\r\n"))) == ["503 5.5.1 Error: need MAIL command"])
        #expect(session.phase == .command)
    }

    @Test func dataBeforeRcpt() {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<a@b.example>\r\nDATA\r\n"))
        #expect(T.firstLines(actions) == ["250 2.1.0 Ok", "503 5.5.1 Error: need RCPT command"])
        #expect(session.phase == .command)
    }

    @Test func dataAfterOnlyRejectedRecipients() {
        var session = T.greetedSession(T.configuration(domains: ["d.example"]))
        let actions = session.receive(T.bytes("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@other.example>\r\nDATA\r\n"))
        #expect(T.codes(actions) == [250, 550, 503])
    }

    @Test func nestedMail() {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<a@b.example>\r\nMAIL FROM:<c@b.example>\r\n"))
        #expect(T.firstLines(actions) == ["250 2.1.0 Ok", "503 5.5.1 Error: nested MAIL command"])
    }

    @Test func failedMailDoesNotOpenTransaction() {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<bad>\r\nRCPT TO:<u@d.example>\r\n"))
        #expect(T.codes(actions) == [501, 503])
    }

    @Test func transactionEndsAfterData() {
        var session = T.greetedSession()
        _ = session.receive(T.bytes("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nx\r\n.\r\n"))
        _ = session.deliveryFinished(.stored)
        #expect(T.codes(session.receive(T.bytes("RCPT TO:<u@d.example>\r\nDATA\r\n"))) == [503, 503])
    }

    @Test func transactionEndsAfterRejectedData() {
        var session = T.greetedSession(T.configuration(maximumMessageSize: 3))
        let actions = session.receive(
            T.bytes("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nDATA\r\ntoo long\r\n.\r\nDATA\r\n")
        )
        #expect(T.codes(actions) == [250, 250, 354, 552, 503])
    }

    @Test func transactionEndsAfterFailedDelivery() {
        var session = T.greetedSession()
        _ = session.receive(T.bytes("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nx\r\n.\r\n"))
        _ = session.deliveryFinished(.failed(temporary: true, reason: "disk full"))
        #expect(T.codes(session.receive(T.bytes("DATA\r\nMAIL FROM:<a@b.example>\r\n"))) == [503, 250])
    }
}
