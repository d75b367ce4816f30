// Tests for reading stored messages: headers, MIME structure, transfer encodings, charsets and attachments.

import Testing

@testable import DoorwayMail

/// A Thunderbird-shaped message: multipart/alternative with a QP text part and a base64 HTML part.
let alternativeSample = """
    Return-Path: <ann@example.test>
    Received: from client.example.test (client.example.test [192.0.2.7])
    \tby mx.example.test with ESMTP; Wed, 25 Nov 2026 18:00:01 +0000
    From: =?UTF-8?Q?Ann_M=C3=BCller?= <ann@example.test>
    To: bob@example.test
    Subject: =?UTF-8?B?R3LDvMOfZQ==?= from
     the office
    Date: Wed, 25 Nov 2026 18:00:00 +0000
    Message-ID: <1@client.example.test>
    MIME-Version: 1.0
    Content-Type: multipart/alternative;
     boundary="------------a1B2c3D4e5"

    This is a multi-part message in MIME format.
    --------------a1B2c3D4e5
    Content-Type: text/plain; charset=UTF-8; format=flowed
    Content-Transfer-Encoding: quoted-printable

    Hello world =E2=80=94 caf=C3=A9. This line is long enough that it needs a s=
    oft break.

    --------------a1B2c3D4e5
    Content-Type: text/html; charset=UTF-8
    Content-Transfer-Encoding: base64

    PGh0bWw+PGJvZHk+PHA+SGVsbG8gPGI+d29ybGQ8L2I+IOKAlCBjYWbDqTwvcD48L2JvZHk+PC9o
    dG1sPg==

    --------------a1B2c3D4e5--

    """

@Suite struct MailHeaderTests {
    @Test func readsFieldsInOrderUnfolded() {
        let message = MailMessage(octets(alternativeSample))
        #expect(
            message.fields.map(\.name) == [
                "Return-Path", "Received", "From", "To", "Subject", "Date",
                "Message-ID", "MIME-Version", "Content-Type",
            ])
        #expect(
            message.field("received")
                == "from client.example.test (client.example.test [192.0.2.7])\tby mx.example.test with ESMTP; "
                + "Wed, 25 Nov 2026 18:00:01 +0000")
        #expect(message.field("SUBJECT") == "=?UTF-8?B?R3LDvMOfZQ==?= from the office")
        #expect(message.field("X-Missing") == nil)
    }

    @Test func decodesSubjectFromAndDate() {
        let message = MailMessage(octets(alternativeSample))
        #expect(message.subject == "Grüße from the office")
        #expect(message.from == "Ann Müller <ann@example.test>")
        #expect(message.date == "Wed, 25 Nov 2026 18:00:00 +0000")
        #expect(message.decodedField("to") == "bob@example.test")
    }

    @Test func crlfAndLFGiveTheSameResult() {
        let lf = MailMessage(octets(alternativeSample))
        let crlf = MailMessage(octets(alternativeSample, crlf: true))
        #expect(lf.fields == crlf.fields)
        #expect(lf.subject == crlf.subject)
        #expect(lf.text?.body == crlf.text?.body)
    }

    @Test func skipsMboxLineAndGarbageAndHandlesMissingBody() {
        let message = MailMessage(octets("From ann@example.test Wed Nov 25 18:00:00 2026\nnot a header\nSubject: x\n"))
        #expect(message.fields == [MailField(name: "Subject", value: "x")])
        #expect(message.body.isEmpty)
    }

    @Test func eightBitHeadersAreUTF8OrWindows1252() {
        let utf8 = MailMessage(octets("Subject: Grüße\n\nx"))
        #expect(utf8.subject == "Grüße")
        let latin1 = MailMessage(octets("Subject: Caf") + [0xE9] + octets("\n\nx"))
        #expect(latin1.subject == "Café")
    }

    @Test func controlCharactersInDecodedSubjectBecomeSpaces() {
        let message = MailMessage(octets("Subject: =?UTF-8?Q?a=0D=0Ab=1B?=\n\n"))
        #expect(message.subject == "a  b")
        #expect(message.decodedField("Subject") == "a\r\nb\u{1B}")
    }
}

@Suite struct MailBodyTests {
    @Test func multipartAlternativePrefersQuotedPrintablePlainText() throws {
        let text = try #require(MailMessage(octets(alternativeSample)).text)
        #expect(text.mediaType == "text/plain")
        #expect(text.body == "Hello world — café. This line is long enough that it needs a soft break.\n")
    }

    @Test func fallsBackToBase64HTML() throws {
        let htmlOnly = alternativeSample.replacing("text/plain", with: "text/enriched")
        let text = try #require(MailMessage(octets(htmlOnly)).text)
        #expect(text.mediaType == "text/html")
        #expect(text.body == "<html><body><p>Hello <b>world</b> — café</p></body></html>")
    }

    @Test func plainMessageWithoutContentType() {
        let message = MailMessage(octets("Return-Path: <a@b>\nSubject: hi\n\nline one\r\nline two\n"))
        #expect(message.text?.mediaType == "text/plain")
        #expect(message.text?.body == "line one\nline two\n")
        #expect(message.attachmentNames.isEmpty)
    }

    @Test func latin1Message() {
        let bytes =
            octets("Content-Type: text/plain; charset=\"ISO-8859-1\"\nContent-Transfer-Encoding: 8bit\n\n")
            + [0x43, 0x61, 0x66, 0xE9, 0x20, 0x63, 0x72, 0xE8, 0x6D, 0x65, 0x20, 0x93, 0x6F, 0x6B, 0x94, 0x0A]
        #expect(MailMessage(bytes).text?.body == "Café crème \u{201C}ok\u{201D}\n")
    }

    @Test func invalidUTF8BecomesReplacementCharacters() {
        let bytes = octets("Content-Type: text/plain; charset=utf-8\n\nok ") + [0xFF, 0xC3] + octets("\n")
        #expect(MailMessage(bytes).text?.body == "ok \u{FFFD}\u{FFFD}\n")
    }

    @Test func unknownCharsetIsReadAsUTF8() {
        let bytes = octets("Content-Type: text/plain; charset=x-klingon\n\nQapla’\n")
        #expect(MailMessage(bytes).text?.body == "Qapla’\n")
    }

    @Test func nestedMultipartWithAttachments() throws {
        let sample = """
            From: ann@example.test
            Subject: Report
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer b"

            preamble to ignore
            --outer b
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/html; charset=utf-8

            <p>html</p>
            --inner
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            R3LDvMOfZQ==
            --inner--
            --outer b
            Content-Type: application/pdf; name="ignored.pdf"
            Content-Disposition: attachment; filename="report.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQgZmFrZQ==
            --outer b
            Content-Type: text/plain; name="=?UTF-8?B?R3LDvMOfZQ==?=.txt"
            Content-Disposition: attachment

            attached text, not the body
            --outer b
            Content-Type: text/csv
            Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.csv

            a,b
            --outer b--
            epilogue to ignore
            """
        let message = MailMessage(octets(sample))
        let text = try #require(message.text)
        #expect(text.mediaType == "text/plain")
        #expect(text.body == "Grüße")
        #expect(message.attachmentNames == ["report.pdf", "Grüße.txt", "€ rates.csv"])
    }

    @Test func attachmentBodyDecodes() throws {
        let sample =
            "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Transfer-Encoding: base64\n"
            + "Content-Disposition: attachment; filename=f.pdf\n\nJVBERi0x\nLjQgZmFrZQ==\n--b--\n"
        let message = MailMessage(octets(sample))
        let root = MIMEEntity(fields: message.fields, body: message.body[...])
        let part = try #require(root.parts.first)
        #expect(string(part.decodedBody) == "%PDF-1.4 fake")
        #expect(message.text == nil)
        #expect(message.attachmentNames == ["f.pdf"])
    }

    @Test func missingCloseDelimiterAndPartsWithoutHeaders() throws {
        let sample =
            "Content-Type: Multipart/Mixed; Boundary=\"x\\\"y\"\n\n"
            + "--x\"y\n\nfirst\n--x\"y \nContent-Type: text/plain\n\nlast"
        let message = MailMessage(octets(sample))
        let root = MIMEEntity(fields: message.fields, body: message.body[...])
        #expect(root.parts.count == 2)
        #expect(message.text?.body == "first")
        #expect(root.parts.last.map { string(Array($0.body)) } == "last")
    }

    @Test func rfc2231ContinuationsAndComments() {
        let value = MIMEHeaderValue(
            "attachment (comment); filename*0*=ISO-8859-1''caf%E9; filename*1=\" menu.txt\"; size=12 (bytes)"
        )
        #expect(value.value == "attachment")
        #expect(value.parameter("filename") == "café menu.txt")
        #expect(value.parameter("size") == "12")
        let type = MIMEHeaderValue("TEXT/Plain ; Charset = \"utf-8\" ;; broken; name=a/b")
        #expect(type.value == "text/plain")
        #expect(type.parameter("charset") == "utf-8")
        #expect(type.parameter("name") == "a/b")
    }

    @Test func nonTextSinglePartHasNoText() {
        let message = MailMessage(octets("Content-Type: application/pdf; name=x.pdf\n\n%PDF"))
        #expect(message.text == nil)
        #expect(message.attachmentNames == ["x.pdf"])
    }

    @Test func nestingIsBoundedAndCheap() {
        var body = "Content-Type: text/plain\n\ndeep\n"
        for level in 0..<2000 {
            body = "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n" + body + "--b\(level)--\n"
        }
        let message = MailMessage(octets(body))
        #expect(message.text == nil)
        var shallow = "Content-Type: text/plain\n\nshallow\n"
        for level in 0..<10 {
            shallow =
                "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n" + shallow
                + "--b\(level)--\n"
        }
        #expect(MailMessage(octets(shallow)).text?.body == "shallow")
    }
}

@Suite struct MailReaderEdgeCaseTests {
    @Test func fieldNamesCompareCaseInsensitivelyAndToleratePaddingBeforeTheColon() {
        let message = MailMessage(octets("subject : padded\nX-Empty:\n\nbody"))
        #expect(message.field("Subject") == "padded")
        #expect(message.field("x-empty") == "")
        #expect(MailField(name: "Content-Type", value: "").hasName("content-TYPE"))
        #expect(!MailField(name: "Content-Type", value: "").hasName("Content-Typ"))
    }

    @Test func quotedPrintableWindows1252Part() {
        let sample = """
            Content-Type: multipart/mixed; boundary=sep

            --sep
            Content-Type: text/plain; charset=windows-1252
            Content-Transfer-Encoding: Quoted-Printable

            =93Smart quotes=94 and =80 and a very long line that was softly broken by=
             the sender.
            --sep--
            """
        let text = MailMessage(octets(sample, crlf: true)).text
        #expect(
            text?.body == "\u{201C}Smart quotes\u{201D} and € and a very long line that was softly broken by "
                + "the sender.")
    }

    @Test func contentTypeNameWithRFC2231AndNoDisposition() {
        let sample =
            "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n"
            + "--b\nContent-Type: image/png; name*=iso-8859-1'de'B%FCro.png\n\n...\n--b--\n"
        let message = MailMessage(octets(sample))
        #expect(message.text?.body == "hi")
        #expect(message.attachmentNames == ["Büro.png"])
    }

    @Test func multipartWithoutBoundaryOrPartsHasNoText() {
        #expect(MailMessage(octets("Content-Type: multipart/mixed\n\n--x\n\nhidden\n")).text == nil)
        #expect(MailMessage(octets("Content-Type: multipart/mixed; boundary=y\n\nno parts\n")).text == nil)
    }

    @Test func singlePartHTMLAndOtherText() {
        let html = MailMessage(octets("Content-Type: TEXT/HTML; charset=us-ascii\n\n<p>x</p>"))
        #expect(html.text?.mediaType == "text/html")
        #expect(html.text?.body == "<p>x</p>")
        let unusable = MailMessage(octets("Content-Type: garbage\n\nplain after all"))
        #expect(unusable.text?.mediaType == "text/plain")
    }
}
