// MAIL parameters and the checks made before MAIL: SIZE, BODY=8BITMIME, SMTPUTF8 and unusable addresses.

import Testing

@testable import DoorwayMail

@Suite struct SMTPClientParameterTests {
    /// Bare LFs and a leading dot: SIZE must count the CRLF-normalised text, not the input or the stuffed wire form.
    @Test func sizeParameterCountsTheNormalisedMessage() {
        let message = "Subject: x\n\n.dot\nend"
        let normalised = "Subject: x\r\n\r\n.dot\r\nend\r\n"
        var session = makeClientSession(message: message)
        let actions = session.greet(ehlo: clientEHLOPlain)
        #expect(actions == [clientSend("MAIL FROM:<alice@example.com> SIZE=\(clientWire(normalised).count)\r\n")])
        _ = session.server("250 Ok\r\n")
        _ = session.server("250 Ok\r\n")
        let data = session.server("354 go\r\n")
        #expect(data == [clientSend("Subject: x\r\n\r\n..dot\r\nend\r\n.\r\n")])
        // RFC 1870 §3: the stuffing dot and the terminating ".\r\n" are not part of the size.
        #expect(data.sentText.first.map { $0.utf8.count - 1 - 3 } == clientWire(normalised).count)
    }

    @Test func sizeEqualsDataOctetsWhenNothingIsStuffed() {
        let message = "From: a\r\nTo: b\r\n\r\nline one\r\nline two\r\n"
        var session = makeClientSession(message: message)
        let mail = session.greet(ehlo: clientEHLOPlain)
        _ = session.server("250 Ok\r\n")
        _ = session.server("250 Ok\r\n")
        let data = session.server("354 go\r\n").sentText.first ?? ""
        #expect(mail.sentText == ["MAIL FROM:<alice@example.com> SIZE=\(data.utf8.count - 3)\r\n"])
    }

    @Test func messageLargerThanSizeLimitFailsBeforeMail() {
        var session = makeClientSession(message: String(repeating: "x", count: 200) + "\r\n")
        let actions = session.greet(ehlo: "250-mx.example.org\r\n250-PIPELINING\r\n250 SIZE 100\r\n")
        #expect(actions.sentText == ["QUIT\r\n"])
        let error = actions.outcome?.error
        #expect(error == SMTPClientError(stage: .mail, reason: .messageTooLarge(size: 202, limit: 100)))
        #expect(error?.description == "message of 202 octets exceeds the server's SIZE limit of 100 octets")
        #expect(error?.isTransient == false)
    }

    @Test func sizeWithoutLimitMeansNoLimit() {
        var session = makeClientSession(message: String(repeating: "x", count: 200) + "\r\n")
        let actions = session.greet(ehlo: "250-mx.example.org\r\n250 size\r\n")
        #expect(actions == [clientSend("MAIL FROM:<alice@example.com> SIZE=202\r\n")])
        #expect(SMTPClientExtensions(keywords: ["SIZE": []]).maximumSize == 0)
        #expect(SMTPClientExtensions(keywords: ["SIZE": ["99999999999999999999999"]]).maximumSize == 0)
        #expect(SMTPClientExtensions().maximumSize == nil)
    }

    @Test func eightBitBodyOnlyWhenNeededAndOffered() {
        var sevenBit = makeClientSession(message: "Subject: plain\r\n\r\nascii\r\n")
        #expect(sevenBit.greet(ehlo: clientEHLOPlain) == [clientSend("MAIL FROM:<alice@example.com> SIZE=25\r\n")])

        var eightBit = makeClientSession(message: "Subject: caf\u{E9}\r\n\r\nd\u{E9}j\u{E0} vu\r\n")
        let mail = eightBit.greet(ehlo: clientEHLOPlain)
        #expect(mail.sentText.first?.hasSuffix(" BODY=8BITMIME\r\n") == true)
        _ = eightBit.server("250 Ok\r\n")
        _ = eightBit.server("250 Ok\r\n")
        _ = eightBit.server("354 go\r\n")
        #expect(eightBit.server("250 Ok\r\n").outcome?.usedExtensions == ["SIZE", "8BITMIME"])
    }

    /// Decision: without 8BITMIME the 8-bit message is still sent unchanged, since most servers accept it and
    /// re-encoding the MIME body is not this layer's job.
    @Test func eightBitMessageWithout8BitMIMEIsSentAnyway() {
        let message = "Subject: caf\u{E9}\r\n\r\nbody\r\n"
        var session = makeClientSession(message: message)
        _ = session.server(clientGreeting)
        #expect(session.server("250 mx.example.org\r\n") == [clientSend("MAIL FROM:<alice@example.com>\r\n")])
        _ = session.server("250 Ok\r\n")
        _ = session.server("250 Ok\r\n")
        #expect(session.server("354 go\r\n") == [clientSend(message + ".\r\n")])
    }

    @Test func smtputf8WhenAnAddressIsNotASCII() {
        var session = makeClientSession(from: "j\u{F6}rg@example.com", to: ["\u{7528}\u{6237}@example.org"])
        let actions = session.greet(ehlo: clientEHLOPipelining)
        #expect(
            actions == [
                clientSend(
                    "MAIL FROM:<j\u{F6}rg@example.com> SIZE=22 SMTPUTF8\r\nRCPT TO:<\u{7528}\u{6237}@example.org>\r\n"
                        + "DATA\r\n"
                )
            ])
    }

    @Test func asciiAddressesDoNotAskForSMTPUTF8() {
        var session = makeClientSession()
        let actions = session.greet(ehlo: clientEHLOPipelining)
        #expect(actions.sentText.first?.contains("SMTPUTF8") == false)
    }

    @Test func nonASCIIAddressWithoutSMTPUTF8FailsBeforeMail() {
        var session = makeClientSession(to: ["bob@example.org", "m\u{FC}ller@example.org"])
        let actions = session.greet(ehlo: clientEHLOPlain)
        #expect(actions.sentText == ["QUIT\r\n"])
        let error = actions.outcome?.error
        #expect(error == SMTPClientError(stage: .mail, reason: .smtputf8Required(address: "m\u{FC}ller@example.org")))
        #expect(
            error?.description
                == "address <m\u{FC}ller@example.org> is not ASCII and the server does not offer SMTPUTF8")
    }

    @Test func nonASCIIAddressAfterHeloFails() {
        var session = makeClientSession(from: "j\u{F6}rg@example.com")
        _ = session.server(clientGreeting)
        _ = session.server("502 no\r\n")
        let actions = session.server("250 mx\r\n")
        #expect(actions.outcome?.error?.reason == .smtputf8Required(address: "j\u{F6}rg@example.com"))
    }

    @Test(arguments: ["bob@example.org>\r\nRSET", "a\nb@c", "<bob@example.org>", ""])
    func unusableRecipientFailsBeforeMail(address: String) {
        var session = makeClientSession(to: [address])
        let actions = session.greet(ehlo: clientEHLOPipelining)
        #expect(actions.sentText == ["QUIT\r\n"])
        #expect(actions.outcome?.error == SMTPClientError(stage: .rcpt, reason: .invalidAddress(address)))
    }

    @Test func unusableSenderFailsBeforeMail() {
        var session = makeClientSession(from: "a@b> SIZE=1")
        let actions = session.greet(ehlo: clientEHLOPipelining)
        #expect(actions.outcome?.error?.reason == .invalidAddress("a@b> SIZE=1"))
    }

    @Test func nullReversePathIsAllowed() {
        var session = makeClientSession(from: "")
        #expect(session.greet(ehlo: clientEHLOPlain) == [clientSend("MAIL FROM:<> SIZE=22\r\n")])
    }

    @Test func noRecipientsFailsBeforeMail() {
        var session = makeClientSession(to: [])
        let actions = session.greet(ehlo: clientEHLOPlain)
        #expect(actions.sentText == ["QUIT\r\n"])
        #expect(actions.outcome?.error?.description == "no recipient given")
    }

    @Test func invalidClientNameFailsAfterGreeting() {
        var session = SMTPClientSession(clientName: "bad name\r\n", from: "a@b", to: ["c@d"], message: [])
        let actions = session.server(clientGreeting)
        #expect(actions.sentText == ["QUIT\r\n"])
        #expect(actions.outcome?.error?.reason == .invalidClientName("bad name\r\n"))
    }

    @Test func ehloKeywordsAreParsed() {
        let reply = SMTPReply(
            code: 250,
            lines: [
                "mx.example.org greets you", "pipelining", "SIZE 1000", "AUTH PLAIN LOGIN", "8BITMIME", "STARTTLS",
            ])
        let extensions = SMTPClientExtensions(ehloReply: reply)
        #expect(extensions.pipelining)
        #expect(extensions.eightBitMIME)
        #expect(!extensions.smtputf8)
        #expect(extensions.maximumSize == 1000)
        #expect(extensions.keywords["AUTH"] == ["PLAIN", "LOGIN"])
        #expect(extensions.offers("starttls"))
        #expect(extensions.keywords.count == 5)
    }
}
