// Byte-exact client transcripts for the main paths: pipelined, one command at a time, HELO fallback, refusals.

import Testing

@testable import DoorwayMail

@Suite struct SMTPClientTranscriptTests {
    let message = "Subject: hi\r\n\r\nHello\r\n"

    @Test func pipelinedSuccessSendsMailRcptRcptDataInOneWrite() {
        var session = makeClientSession(to: ["bob@example.org", "carol@example.org"], message: message)
        #expect(session.server(clientGreeting) == [clientSend("EHLO client.example.com\r\n")])
        let group = session.server(clientEHLOPipelining)
        #expect(
            group == [
                clientSend(
                    "MAIL FROM:<alice@example.com> SIZE=\(clientWire(message).count)\r\n"
                        + "RCPT TO:<bob@example.org>\r\nRCPT TO:<carol@example.org>\r\nDATA\r\n"
                )
            ])
        let replies = "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"
        #expect(session.server(replies) == [clientSend(message + ".\r\n")])
        let final = session.server("250 2.0.0 Ok: queued as X\r\n")
        let expected = SMTPClientOutcome(
            result: .success(SMTPReply(code: 250, lines: ["2.0.0 Ok: queued as X"])),
            accepted: ["bob@example.org", "carol@example.org"],
            rejected: [],
            extensions: SMTPClientExtensions(keywords: [
                "PIPELINING": [], "SIZE": ["10240000"], "8BITMIME": [], "SMTPUTF8": [],
            ]),
            usedExtensions: ["SIZE", "PIPELINING"]
        )
        #expect(final == [clientSend("QUIT\r\n"), .finished(expected)])
        #expect(session.isFinished)
        #expect(session.server("221 2.0.0 Bye\r\n").isEmpty)
        #expect(session.connectionClosed().isEmpty)
    }

    @Test func withoutPipeliningOneCommandAtATime() {
        var session = makeClientSession(to: ["bob@example.org", "carol@example.org"], message: message)
        #expect(session.greet(ehlo: clientEHLOPlain) == [clientSend("MAIL FROM:<alice@example.com> SIZE=22\r\n")])
        #expect(session.server("250 2.1.0 Ok\r\n") == [clientSend("RCPT TO:<bob@example.org>\r\n")])
        #expect(session.server("250 2.1.5 Ok\r\n") == [clientSend("RCPT TO:<carol@example.org>\r\n")])
        #expect(session.server("250 2.1.5 Ok\r\n") == [clientSend("DATA\r\n")])
        #expect(session.server("354 go ahead\r\n") == [clientSend(message + ".\r\n")])
        let final = session.server("250 2.0.0 Ok: queued as Y\r\n")
        #expect(final.sentText == ["QUIT\r\n"])
        #expect(final.finishedCount == 1)
        #expect(final.outcome?.isDelivered == true)
        #expect(final.outcome?.usedExtensions == ["SIZE"])
    }

    @Test func ehloRefusedFallsBackToHelo() {
        var session = makeClientSession(message: message)
        let ehlo = session.server("220-mx.example.org ESMTP\r\n220 no UCE\r\n")
        #expect(ehlo == [clientSend("EHLO client.example.com\r\n")])
        #expect(session.server("502 5.5.1 command not implemented\r\n") == [clientSend("HELO client.example.com\r\n")])
        // HELO means no extensions: plain MAIL, one command at a time.
        #expect(session.server("250 mx.example.org\r\n") == [clientSend("MAIL FROM:<alice@example.com>\r\n")])
        #expect(session.server("250 Ok\r\n") == [clientSend("RCPT TO:<bob@example.org>\r\n")])
        #expect(session.server("250 Ok\r\n") == [clientSend("DATA\r\n")])
        #expect(session.server("354 go\r\n") == [clientSend(message + ".\r\n")])
        let final = session.server("250 Ok\r\n")
        #expect(final.outcome?.isDelivered == true)
        #expect(final.outcome?.extensions == SMTPClientExtensions())
        #expect(final.outcome?.usedExtensions == [])
    }

    @Test func heloRefusedFails() {
        var session = makeClientSession()
        _ = session.server(clientGreeting)
        _ = session.server("500 what\r\n")
        let actions = session.server("501 5.5.4 bad name\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        #expect(actions.outcome?.error?.stage == .helo)
        #expect(actions.outcome?.error?.description == "server refused HELO client.example.com: 501 5.5.4 bad name")
    }

    @Test func ehloTemporaryFailureDoesNotFallBack() {
        var session = makeClientSession()
        _ = session.server(clientGreeting)
        let actions = session.server("451 4.3.0 try later\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        #expect(actions.outcome?.error?.stage == .ehlo)
        #expect(actions.outcome?.error?.isTransient == true)
    }

    @Test func refusedGreetingFailsWithQuit() {
        var session = makeClientSession()
        let actions = session.server("554 5.3.2 go away\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        let error = actions.outcome?.error
        let reply = SMTPReply(code: 554, lines: ["5.3.2 go away"])
        #expect(error == SMTPClientError(stage: .greeting, reason: .reply(reply)))
        #expect(error?.description == "server refused the connection: 554 5.3.2 go away")
    }

    @Test func rejectedRecipientAmongAcceptedOnesIsListed() {
        var session = makeClientSession(to: ["bob@example.org", "x@y", "carol@example.org"], message: message)
        _ = session.greet(ehlo: clientEHLOPipelining)
        let replies = "250 Ok\r\n250 Ok\r\n550 5.7.1 relay denied\r\n250 Ok\r\n354 go\r\n"
        #expect(session.server(replies) == [clientSend(message + ".\r\n")])
        let outcome = session.server("250 2.0.0 Ok: queued as Z\r\n").outcome
        #expect(outcome?.isDelivered == true)
        #expect(outcome?.accepted == ["bob@example.org", "carol@example.org"])
        #expect(
            outcome?.rejected == [
                SMTPClientRejection(recipient: "x@y", reply: SMTPReply(code: 550, lines: ["5.7.1 relay denied"]))
            ])
    }

    @Test func rejectedRecipientWithoutPipelining() {
        var session = makeClientSession(to: ["x@y", "bob@example.org"], message: message)
        _ = session.greet(ehlo: clientEHLOPlain)
        #expect(session.server("250 Ok\r\n") == [clientSend("RCPT TO:<x@y>\r\n")])
        #expect(session.server("450 4.2.0 mailbox busy\r\n") == [clientSend("RCPT TO:<bob@example.org>\r\n")])
        #expect(session.server("250 Ok\r\n") == [clientSend("DATA\r\n")])
        #expect(session.server("354 go\r\n") == [clientSend(message + ".\r\n")])
        let outcome = session.server("250 Ok\r\n").outcome
        #expect(outcome?.accepted == ["bob@example.org"])
        #expect(outcome?.rejected.map(\.reply.code) == [450])
    }

    @Test func allRecipientsRejectedPipelinedWaitsForDataReplyThenQuits() {
        var session = makeClientSession(to: ["x@y"], message: message)
        _ = session.greet(ehlo: clientEHLOPipelining)
        // Nothing may be sent until the DATA reply is read (RFC 2920 §3.1).
        #expect(session.server("250 Ok\r\n550 5.7.1 relay denied\r\n").isEmpty)
        let actions = session.server("554 5.5.1 Error: no valid recipients\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        let error = actions.outcome?.error
        #expect(error?.stage == .rcpt)
        #expect(error?.description == "no recipient accepted: server refused RCPT TO:<x@y>: 550 5.7.1 relay denied")
        #expect(actions.outcome?.rejected.count == 1)
        #expect(actions.outcome?.accepted == [])
    }

    @Test func allRecipientsRejectedButDataAcceptedSendsEmptyMessage() {
        var session = makeClientSession(to: ["x@y", "z@y"], message: message)
        _ = session.greet(ehlo: clientEHLOPipelining)
        let replies = "250 Ok\r\n550 5.1.1 unknown\r\n551 5.1.6 moved\r\n354 go\r\n"
        #expect(session.server(replies) == [clientSend(".\r\n")])
        let actions = session.server("554 5.5.1 no valid recipients\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        #expect(
            actions.outcome?.error?.description
                == "no recipient accepted: server refused RCPT TO:<x@y>: 550 5.1.1 unknown; RCPT TO:<z@y>: 551 5.1.6 moved"
        )
    }

    @Test func allRecipientsRejectedWithoutPipeliningNeverSendsData() {
        var session = makeClientSession(to: ["x@y"], message: message)
        _ = session.greet(ehlo: clientEHLOPlain)
        _ = session.server("250 Ok\r\n")
        let actions = session.server("550 5.7.1 relay denied\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        #expect(
            actions.outcome?.error?.reason
                == .noRecipientAccepted([
                    SMTPClientRejection(recipient: "x@y", reply: SMTPReply(code: 550, lines: ["5.7.1 relay denied"]))
                ]))
    }

    @Test func refusedMailWithoutPipeliningQuitsAtOnce() {
        var session = makeClientSession(message: message)
        _ = session.greet(ehlo: clientEHLOPlain)
        let actions = session.server("553 5.1.8 sender rejected\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        #expect(
            actions.outcome?.error?.description
                == "server refused MAIL FROM:<alice@example.com> SIZE=22: 553 5.1.8 sender rejected")
    }

    @Test func refusedMailWhilePipelinedDrainsOwedReplies() {
        var session = makeClientSession(to: ["bob@example.org", "carol@example.org"], message: message)
        _ = session.greet(ehlo: clientEHLOPipelining)
        #expect(session.server("553 5.1.8 sender rejected\r\n503 need MAIL\r\n503 need MAIL\r\n").isEmpty)
        let actions = session.server("503 5.5.1 need RCPT\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        let outcome = actions.outcome
        #expect(outcome?.error?.stage == .mail)
        #expect(outcome?.error?.reply?.code == 553)
        // The 503s only echo the MAIL failure; they are no verdict on the recipients.
        #expect(outcome?.rejected == [])
        #expect(outcome?.accepted == [])
    }

    @Test func refusalAtEndOfDataFails() {
        var session = makeClientSession(message: message)
        _ = session.greet(ehlo: clientEHLOPipelining)
        _ = session.server("250 Ok\r\n250 Ok\r\n354 go\r\n")
        let actions = session.server("552 5.3.4 Error: message file too big\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        let error = actions.outcome?.error
        #expect(error?.stage == .message)
        #expect(error?.isTransient == false)
        #expect(error?.description == "server refused the message: 552 5.3.4 Error: message file too big")
        #expect(actions.outcome?.accepted == ["bob@example.org"])
    }

    @Test func dataRefusedWithoutPipelining() {
        var session = makeClientSession(message: message)
        _ = session.greet(ehlo: clientEHLOPlain)
        _ = session.server("250 Ok\r\n")
        _ = session.server("250 Ok\r\n")
        let actions = session.server("451 4.3.0 not now\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        #expect(actions.outcome?.error?.description == "server refused DATA: 451 4.3.0 not now")
    }

    /// The replies of a normal non-pipelined transaction, so a 421 can replace any one of them.
    static let plainScript = [clientGreeting, clientEHLOPlain, "250 Ok\r\n", "250 Ok\r\n", "354 go\r\n", "250 Ok\r\n"]
    static let stages: [SMTPClientError.Stage] = [.greeting, .ehlo, .mail, .rcpt, .data, .message]

    @Test(arguments: 0..<6) func serviceClosingAtAnyPointFailsWithoutQuit(step: Int) {
        var session = makeClientSession(message: message)
        for reply in Self.plainScript.prefix(step) {
            #expect(session.server(reply).finishedCount == 0)
        }
        let actions = session.server("421 4.3.2 mx.example.org Service shutting down\r\n")
        // 421 means the server is closing the channel; QUIT would only race its close (RFC 5321 §3.8).
        #expect(actions.sentText == [])
        #expect(actions.finishedCount == 1)
        #expect(actions.outcome?.error?.stage == Self.stages[step])
        #expect(actions.outcome?.error?.reply?.code == 421)
        #expect(actions.outcome?.error?.isTransient == true)
        #expect(session.connectionClosed().isEmpty)
    }

    @Test(arguments: 0..<4) func serviceClosingWhilePipelined(step: Int) {
        var session = makeClientSession(to: ["bob@example.org", "carol@example.org"], message: message)
        _ = session.greet(ehlo: clientEHLOPipelining)
        let owed = ["250 Ok\r\n", "250 Ok\r\n", "250 Ok\r\n"]
        for reply in owed.prefix(step) {
            #expect(session.server(reply).isEmpty)
        }
        let actions = session.server("421 4.4.2 timeout\r\n")
        #expect(actions.sentText == [])
        #expect(actions.outcome?.error?.stage == [.mail, .rcpt, .rcpt, .data][step])
    }

    @Test(arguments: 0..<6) func connectionClosedEarlyFails(step: Int) {
        var session = makeClientSession(message: message)
        for reply in Self.plainScript.prefix(step) {
            _ = session.server(reply)
        }
        let actions = session.connectionClosed()
        #expect(actions.sentText == [])
        #expect(actions.finishedCount == 1)
        let expectedStage: [SMTPClientError.Stage] = [.greeting, .ehlo, .mail, .rcpt, .data, .message]
        #expect(actions.outcome?.error == SMTPClientError(stage: expectedStage[step], reason: .connectionClosed))
        #expect(session.connectionClosed().isEmpty)
        #expect(session.server("250 Ok\r\n").isEmpty)
    }

    @Test func connectionClosedDescription() {
        var session = makeClientSession()
        _ = session.server(clientGreeting)
        #expect(session.connectionClosed().outcome?.error?.description == "connection closed by the server during EHLO")
    }
}
