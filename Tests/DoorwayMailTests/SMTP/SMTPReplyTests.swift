// Tests of the reply wire format (RFC 5321 §4.2.1) and the Received header builder.
import Testing

@testable import DoorwayMail

@Suite struct SMTPReplyTests {
    @Test func singleLineWireForm() {
        #expect(String(decoding: SMTPReply(code: 250, lines: ["2.0.0 Ok"]).bytes, as: UTF8.self) == "250 2.0.0 Ok\r\n")
    }

    @Test func multiLineWireForm() {
        #expect(
            String(decoding: SMTPReply(code: 250, lines: ["a", "b", "c"]).bytes, as: UTF8.self)
                == "250-a\r\n250-b\r\n250 c\r\n")
    }

    @Test func emptyLinesGiveBareCode() {
        #expect(String(decoding: SMTPReply(code: 354, lines: []).bytes, as: UTF8.self) == "354\r\n")
    }

    @Test func controlCharactersCannotSplitAReply() {
        #expect(
            String(decoding: SMTPReply(code: 250, lines: ["a\r\n250 b"]).bytes, as: UTF8.self)
                == "250 a  250 b\r\n")
    }

    @Test func bytesFollowMutation() {
        var reply = SMTPReply(code: 250, lines: ["x"])
        reply.code = 251
        #expect(String(decoding: reply.bytes, as: UTF8.self) == "251 x\r\n")
    }

    @Test func hostileHostnameCannotInjectHeaders() {
        let header = ReceivedHeader.build(
            heloName: "h", peer: "1.2.3.4\r\nX y", hostname: "m\nX: z",
            usedExtensions: true, id: "i\r", recipients: ["a@b"], date: "d\n")
        let text = String(decoding: header, as: UTF8.self)
        #expect(text == "Received: from h ([1.2.3.4  X y])\r\n\tby m X: z with ESMTP id i \r\n\tfor <a@b>; d \r\n")
    }

    @Test func bracketedPeerIsKept() {
        #expect(ReceivedHeader.addressLiteral("[192.0.2.1]") == "[192.0.2.1]")
        #expect(ReceivedHeader.addressLiteral("::1") == "[IPv6:::1]")
    }

    @Test func configurationDefaults() {
        let configuration = SMTPConfiguration(hostname: "h")
        #expect(configuration.domains.isEmpty)
        #expect(configuration.maximumMessageSize == 25 * 1024 * 1024)
        #expect(configuration.maximumRecipients == 100)
        #expect(configuration.maximumErrors == 10)
        #expect(!configuration.strictLineEndings)
    }
}
