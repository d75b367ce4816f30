// Tests of the delivery hand-off, timeouts and closing: the replies to each DeliveryResult and idle timeouts.
import Testing

@testable import DoorwayMail

@Suite struct DeliveryTests {
    typealias T = TestSupport

    func waitingSession() -> SMTPSession {
        var session = T.greetedSession()
        _ = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nx\r\n.\r\n"))
        return session
    }

    @Test func storedRepliesQueuedWithID() {
        var session = waitingSession()
        #expect(session.isWaitingForDelivery)
        #expect(session.deliveryFinished(.stored) == [.reply(SMTPReply(code: 250, lines: ["2.0.0 Ok: queued as Q1D"]))])
    }

    @Test func temporaryFailureIs451() {
        var session = waitingSession()
        #expect(
            T.firstLines(session.deliveryFinished(.failed(temporary: true, reason: "disk full")))
                == ["451 4.3.0 Error: disk full"])
    }

    @Test func fullStorageIs452() {
        var session = waitingSession()
        #expect(
            T.firstLines(session.deliveryFinished(.storageFull(reason: "no space left on device")))
                == ["452 4.3.1 Insufficient system storage: no space left on device"])
        // The session carries on: the client may try again later.
        #expect(T.codes(session.receive(T.bytes("NOOP\r\n"))) == [250])
    }

    @Test func shutdownSays421AndCloses() {
        var session = T.greetedSession()
        let actions = session.shuttingDown()
        #expect(T.firstLines(actions) == ["421 4.3.2 mx.example.org Service shutting down"])
        #expect(actions.last == .close)
    }

    @Test func permanentFailureIs554() {
        var session = waitingSession()
        #expect(
            T.firstLines(session.deliveryFinished(.failed(temporary: false, reason: "rejected by filter")))
                == ["554 5.3.0 Error: rejected by filter"])
    }

    @Test func failureReasonCannotInjectReplyLines() throws {
        var session = waitingSession()
        let reply = try #require(
            T.replies(session.deliveryFinished(.failed(temporary: true, reason: "a\r\n250 ok")))
                .first)
        #expect(T.text(reply.bytes) == "451 4.3.0 Error: a  250 ok\r\n")
    }

    @Test func deliveryFailuresDoNotCountAsClientErrors() {
        var session = T.greetedSession(T.configuration(maximumErrors: 1))
        for _ in 0..<3 {
            _ = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nx\r\n.\r\n"))
            #expect(T.codes(session.deliveryFinished(.failed(temporary: true, reason: ""))) == [451])
        }
        #expect(session.phase == .command)
    }

    @Test func deliveryFinishedWithoutDeliveryDoesNothing() {
        var session = T.greetedSession()
        #expect(session.deliveryFinished(.stored).isEmpty)
        #expect(session.deliveryFinished(.failed(temporary: false, reason: "x")).isEmpty)
    }

    @Test func deliveryFinishedTwiceRepliesOnce() {
        var session = waitingSession()
        #expect(T.codes(session.deliveryFinished(.stored)) == [250])
        #expect(session.deliveryFinished(.stored).isEmpty)
    }

    @Test func nowAndMessageIDAreCalledPerMessage() throws {
        final class Counter: @unchecked Sendable {
            var value = 0
        }
        let counter = Counter()
        var session = SMTPSession(
            configuration: T.configuration(), peer: "203.0.113.9", now: { "D" },
            messageID: {
                counter.value += 1
                return "ID\(counter.value)"
            }
        )
        _ = session.start()
        var queued: [String] = []
        _ = session.receive(T.bytes("HELO h\r\n"))
        for _ in 0..<2 {
            let actions = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n.\r\n"))
            _ = try #require(T.deliveries(actions).first)
            queued += T.firstLines(session.deliveryFinished(.stored))
        }
        #expect(queued == ["250 2.0.0 Ok: queued as ID1", "250 2.0.0 Ok: queued as ID2"])
    }

    @Test func timedOutRepliesAndCloses() {
        var session = T.greetedSession()
        #expect(
            session.timedOut() == [
                .reply(SMTPReply(code: 421, lines: ["4.4.2 mx.example.org Error: timeout exceeded"])), .close,
            ])
        #expect(session.phase == .closed)
        #expect(session.timedOut().isEmpty)
        #expect(session.receive(T.bytes("NOOP\r\n")).isEmpty)
    }

    @Test func timedOutDuringDataDiscardsTheMessage() {
        var session = T.greetedSession()
        _ = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\npartial\r\n"))
        #expect(session.phase == .data)
        let actions = session.timedOut()
        #expect(T.codes(actions) == [421])
        #expect(T.deliveries(actions).isEmpty)
        #expect(session.phase == .closed)
    }

    @Test func timedOutWhileWaitingForDeliveryStopsWaiting() {
        var session = waitingSession()
        #expect(T.codes(session.timedOut()) == [421])
        #expect(!session.isWaitingForDelivery)
        #expect(session.deliveryFinished(.stored).isEmpty)
    }

    @Test func phaseTracksCommandAndData() {
        var session = T.session()
        #expect(session.phase == .command)
        _ = session.start()
        _ = session.receive(T.bytes("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n"))
        #expect(session.phase == .data)
        _ = session.receive(T.bytes("text\r\n"))
        #expect(session.phase == .data)
        _ = session.receive(T.bytes(".\r\n"))
        #expect(session.phase == .command)
        #expect(session.isWaitingForDelivery)
    }

    @Test func transcriptWithFailures() {
        var replayer = TranscriptReplayer(session: T.session())
        replayer.replay(
            """
            S: 220
            C: HELO c.example
            S: 250 mx.example.org
            C: MAIL FROM:<a@b.example>
            S: 250 2.1.0
            C: RCPT TO:<u@d.example>
            S: 250 2.1.5
            C: DATA
            S: 354
            C~ one\\r\\n.\\r\\nMAIL FROM:<a@b.example>\\r\\nRCPT TO:<u@d.example>\\r\\nDATA\\r\\n
            F: temp queue down
            S: 451 4.3.0 Error: queue down
            S: 250 2.1.0
            S: 250 2.1.5
            S: 354
            C~ two\\r\\n.\\r\\n
            F: perm spam
            S: 554 5.3.0 Error: spam
            C: QUIT
            S: 221
            X:
            """
        )
        #expect(replayer.delivered.count == 2)
    }
}
