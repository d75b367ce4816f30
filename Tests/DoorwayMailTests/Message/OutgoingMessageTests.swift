// Tests for composing messages: header encoding and folding, injection safety and body encoding.

import Testing

@testable import DoorwayMail

func makeMessage(
    from: String = "Ann <ann@example.test>", to: [String] = ["bob@example.test"], subject: String? = "Hello",
    text: String = "Hi Bob.\n"
) -> OutgoingMessage {
    OutgoingMessage(
        from: from, to: to, subject: subject, text: text, date: "Wed, 25 Nov 2026 18:00:00 +0000",
        messageID: "<1@example.test>")
}

@Suite struct OutgoingMessageTests {
    @Test func composesAPlainASCIIMessage() {
        let expected = """
            Date: Wed, 25 Nov 2026 18:00:00 +0000\r
            From: Ann <ann@example.test>\r
            To: bob@example.test\r
            Subject: Hello\r
            Message-ID: <1@example.test>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 7bit\r
            \r
            Hi Bob.\r
            .leading dot stays; SMTP dot-stuffing is the client's job\r

            """
        let message = makeMessage(text: "Hi Bob.\n.leading dot stays; SMTP dot-stuffing is the client's job")
        #expect(string(message.bytes) == expected)
        #expect(message.transferEncoding == "7bit")
        #expect(!message.isEightBit)
    }

    @Test func nonASCIIBodyIsQuotedPrintable() throws {
        let message = makeMessage(text: "Grüße\r\nline two\rline three")
        let bytes = message.bytes
        #expect(message.transferEncoding == "quoted-printable")
        #expect(!message.isEightBit)
        #expect(headerLines(bytes).contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(string(bytes).hasSuffix("\r\n\r\nGr=C3=BC=C3=9Fe\r\nline two\r\nline three\r\n"))
    }

    @Test func overlongASCIILinesAreQuotedPrintable() throws {
        let message = makeMessage(text: String(repeating: "word ", count: 400))
        #expect(message.transferEncoding == "quoted-printable")
        let lines = try #require(crlfLines(message.bytes))
        #expect(lines.allSatisfy { $0.count <= 78 })
    }

    @Test func emptyBody() {
        let bytes = makeMessage(text: "").bytes
        #expect(string(bytes).hasSuffix("7bit\r\n\r\n"))
    }

    @Test func nonASCIISubjectBecomesFoldedEncodedWords() throws {
        let subject = "Grüße aus München — ein ziemlich langer Betreff, der mehrere Wörter braucht 😀"
        let lines = headerLines(makeMessage(subject: subject).bytes)
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        var words = [String(lines[start].dropFirst("Subject: ".count))]
        var next = start + 1
        while next < lines.count && lines[next].hasPrefix(" ") {
            words.append(String(lines[next].dropFirst()))
            next += 1
        }
        #expect(words.count > 1)
        for word in words {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?=") && word.utf8.count <= 75)
        }
        #expect(lines[start..<next].allSatisfy { $0.utf8.count <= 76 })
    }

    @Test func longASCIISubjectFoldsAtWhitespace() {
        let subject = (1...40).map { "word\($0)" }.joined(separator: " ")
        let lines = headerLines(makeMessage(subject: subject).bytes)
        let subjectLines = lines.drop { !$0.hasPrefix("Subject:") }.prefix { !$0.hasPrefix("Message-ID") }
        #expect(subjectLines.count > 1)
        #expect(subjectLines.allSatisfy { $0.utf8.count <= 78 })
        #expect(subjectLines.joined() == "Subject: " + subject)
    }

    @Test func encodesNonASCIIDisplayNamesAndQuotesSpecials() {
        let recipients = ["\"Smith, Ann\" <ann@example.test>", "Zoë <zoe@example.test>", "x@example.test"]
        let message = makeMessage(from: "Jörg Müller <jm@example.test>", to: recipients)
        let lines = headerLines(message.bytes)
        #expect(lines.contains("From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <jm@example.test>"))
        #expect(lines.contains { $0.contains("\"Smith, Ann\" <ann@example.test>,") })
        let parsed = MailMessage(message.bytes)
        #expect(parsed.from == "Jörg Müller <jm@example.test>")
        #expect(parsed.decodedField("To") == recipients.joined(separator: ", "))
    }

    @Test func manyRecipientsFold() {
        let recipients = (1...20).map { "user\($0)@example.test" }
        let message = MailMessage(makeMessage(to: recipients).bytes)
        #expect(message.field("To") == recipients.joined(separator: ", "))
        #expect(headerLines(makeMessage(to: recipients).bytes).allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func headerInjectionIsImpossible() {
        let message = makeMessage(
            from: "Ann\r\nBcc: evil@example.test\r\n <ann@example.test>",
            to: ["bob@example.test\nBcc: evil@example.test", "carol@example.test\r"],
            subject: "Hi\r\nBcc: evil@example.test\r\n\r\nInjected body",
            text: "Real body\n"
        )
        let message2 = OutgoingMessage(
            from: "a@example.test", to: [], subject: nil, text: "x",
            date: "Wed\r\nBcc: evil@example.test", messageID: "1@x\nBcc: e@x")
        for bytes in [message.bytes, message2.bytes] {
            let parsed = MailMessage(bytes)
            #expect(parsed.field("Bcc") == nil)
            #expect(parsed.fields.allSatisfy { !$0.name.contains("Bcc") })
            #expect(crlfLines(bytes) != nil)
        }
        let parsed = MailMessage(message.bytes)
        #expect(parsed.text?.body == "Real body\n")
        #expect(parsed.subject == "Hi  Bcc: evil@example.test    Injected body")
        #expect(MailMessage(message2.bytes).field("Message-ID") == "<1@xBcc:e@x>")
    }

    @Test func subjectThatLooksEncodedIsEncoded() {
        let subject = "about =?UTF-8?B?SGk=?= syntax"
        #expect(MailMessage(makeMessage(subject: subject).bytes).subject == subject)
    }

    @Test func nilSubjectAndEmptyToAreOmitted() {
        let lines = headerLines(makeMessage(to: [], subject: nil).bytes)
        #expect(!lines.contains { $0.hasPrefix("Subject") || $0.hasPrefix("To") })
    }

    @Test func absurdlyLongTokensStillKeepLinesLegal() throws {
        let huge = String(repeating: "a", count: 5000)
        let message = makeMessage(
            from: "\(huge)@example.test", to: ["<\(huge)@example.test>"], subject: huge,
            text: huge)
        let lines = try #require(crlfLines(message.bytes))
        #expect(lines.allSatisfy { $0.count <= 998 })
        #expect(MailMessage(message.bytes).subject == huge)
    }
}
