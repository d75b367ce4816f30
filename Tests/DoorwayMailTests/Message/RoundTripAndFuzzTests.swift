// Round trips composed messages through the reader, and fuzzes the reader and codecs with seeded random input.

import DoorwayBasics
import Testing

@testable import DoorwayMail

@Suite struct RoundTripTests {
    @Test(arguments: [
        ("Hello", "ann@example.test", "Plain text.\n"),
        ("Grüße 😀 — naïve café", "Jörg Müller <jm@example.test>", "Ünïcödé body\nwith 日本語\n"),
        ("  spaced   out  ", "\"Ann B. Smith\" <ann@example.test>", ".\n..\n.leading dots\n.\n"),
        ("", "Ann <ann@example.test>", String(repeating: "long line without breaks ", count: 300)),
        ("x", "a@b", String(repeating: "é", count: 2000) + "\r\nmixed\rendings\n\nend  "),
        ("tab\there", "a@b", "trailing spaces   \nand tabs\t\t\n=3D is not decoded twice\n"),
    ])
    func composedMessagesReadBack(subject: String, from: String, text: String) throws {
        let outgoing = OutgoingMessage(
            from: from, to: ["bob@example.test"], subject: subject, text: text,
            date: "Wed, 25 Nov 2026 18:00:00 +0000", messageID: "<r@example.test>")
        let bytes = outgoing.bytes
        let lines = try #require(crlfLines(bytes))
        #expect(lines.allSatisfy { $0.count <= 998 })
        let parsed = MailMessage(bytes)
        #expect(parsed.subject == ASCII.trimmingBlanks(subject.replacing("\t", with: " ")))
        #expect(parsed.from == from)
        #expect(parsed.text?.mediaType == "text/plain")
        #expect(parsed.text?.body == expectedDisplayText(text))
    }
}

@Suite struct MessageFuzzTests {
    /// Octets weighted towards the ones that matter to the parsers, so random input reaches deep code paths.
    private static let interesting: [[UInt8]] = [
        "\n", "\r\n", "\r", ":", ";", "=", "=?", "?=", "?", "--", "--b", "--b--", " ", "\t", "\"", "\\", "(", ")",
        "=?UTF-8?B?", "=?iso-8859-1?q?", "Content-Type: multipart/mixed; boundary=b\n",
        "Content-Transfer-Encoding: base64\n", "Content-Transfer-Encoding: quoted-printable\n",
        "Content-Disposition: attachment; filename*0*=utf-8''%E2; filename*1=x\n", "Subject: ", "\n\n", "*",
    ].map { Array($0.utf8) }

    private static func randomBytes(_ generator: inout SeededGenerator, maximum: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        let target = Int.random(in: 0...maximum, using: &generator)
        while bytes.count < target {
            if Bool.random(using: &generator) {
                bytes += interesting.randomElement(using: &generator)!
            } else {
                bytes.append(UInt8.random(in: 0...255, using: &generator))
            }
        }
        return bytes
    }

    private static func exercise(_ bytes: [UInt8]) {
        let message = MailMessage(bytes)
        _ = message.subject
        _ = message.from
        _ = message.date
        _ = message.text
        _ = message.attachmentNames
        for field in message.fields {
            _ = MIME.decodeEncodedWords(field.value)
            _ = MIMEHeaderValue(field.value)
        }
    }

    @Test func randomBytesNeverCrashOrHang() {
        var generator = SeededGenerator(seed: 0xD00A)
        for _ in 0..<400 {
            let bytes = Self.randomBytes(&generator, maximum: 1500)
            Self.exercise(bytes)
            _ = MIME.decodeBase64(bytes)
            _ = MIME.decodeQuotedPrintable(bytes)
            _ = MIME.decodeEncodedWords(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func mutatedValidMessagesNeverCrashOrHang() {
        var generator = SeededGenerator(seed: 0x5EED)
        let seeds = [
            octets(alternativeSample), octets(alternativeSample, crlf: true),
            makeMessage(subject: "Grüße 😀", text: "é\n.\n").bytes,
        ]
        for _ in 0..<400 {
            var bytes = seeds.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                guard !bytes.isEmpty else { break }
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0:
                    bytes[position] = UInt8.random(in: 0...255, using: &generator)
                case 1:
                    bytes.insert(contentsOf: Self.interesting.randomElement(using: &generator)!, at: position)
                case 2:
                    let end = min(bytes.count, position + Int.random(in: 1...40, using: &generator))
                    bytes.removeSubrange(position..<end)
                default:
                    let end = min(bytes.count, position + Int.random(in: 1...60, using: &generator))
                    bytes.insert(contentsOf: bytes[position..<end], at: position)
                }
            }
            Self.exercise(bytes)
        }
    }

    @Test func randomComposedMessagesStayLegalAndReadBack() throws {
        let pool: [String] = [
            "a", "Z", " ", "  ", "\t", "\r", "\n", "\r\n", ".", "=", "=?", "?=", "é", "ß", "—",
            "日", "😀", "e\u{301}", "\u{85}", "\u{2028}", "\0", "<", ">", "\"", ",", "\\", "_",
            String(repeating: "x", count: 90),
        ]
        var generator = SeededGenerator(seed: 42)
        func randomText(_ maximum: Int) -> String {
            (0..<Int.random(in: 0...maximum, using: &generator)).map { _ in pool.randomElement(using: &generator)! }
                .joined()
        }
        for _ in 0..<200 {
            let subject = randomText(30)
            let text = randomText(80)
            let name = randomText(6)
            let message = OutgoingMessage(
                from: "\(name) <ann@example.test>", to: ["bob@example.test"],
                subject: subject, text: text, date: "Wed, 25 Nov 2026 18:00:00 +0000",
                messageID: "<f@example.test>")
            let bytes = message.bytes
            let lines = try #require(crlfLines(bytes))
            #expect(lines.allSatisfy { $0.count <= 998 })
            #expect(!message.isEightBit)
            let parsed = MailMessage(bytes)
            #expect(parsed.subject == ASCII.trimmingBlanks(MIME.replacingControls(subject)))
            #expect(parsed.text?.body == expectedDisplayText(text))
            #expect(parsed.fields.count == 8)
        }
    }
}
