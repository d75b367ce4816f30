// Tests for the base64 and quoted-printable codecs.

import DoorwayBasics
import Testing

@testable import DoorwayMail

@Suite struct Base64CodecTests {
    @Test func encodesRFC4648Vectors() {
        let vectors = [
            "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
            "foobar": "Zm9vYmFy",
        ]
        for (plain, encoded) in vectors {
            #expect(string(MIME.encodeBase64(octets(plain))) == encoded)
            #expect(string(MIME.decodeBase64(octets(encoded))) == plain)
        }
    }

    @Test func decodesLeniently() {
        #expect(string(MIME.decodeBase64(octets("Zm9v\r\nYmFy\n"))) == "foobar")
        #expect(string(MIME.decodeBase64(octets("Zm9vYg"))) == "foob")
        #expect(string(MIME.decodeBase64(octets("Zm9v!!YmE*"))) == "fooba")
        #expect(string(MIME.decodeBase64(octets("Zg==Zm8="))) == "ffo")
        #expect(MIME.decodeBase64(octets("====")).isEmpty)
    }

    @Test func roundTripsAllOctets() {
        var generator = SeededGenerator(seed: 7)
        for length in 0..<70 {
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(MIME.decodeBase64(MIME.encodeBase64(data)) == data)
        }
    }
}

@Suite struct QuotedPrintableTests {
    @Test func escapesEqualsControlsAndEightBit() {
        #expect(string(MIME.encodeQuotedPrintable(octets("a=b\u{1}é"))) == "a=3Db=01=C3=A9")
    }

    @Test func escapesTrailingWhitespaceOnly() {
        let encoded = string(MIME.encodeQuotedPrintable(octets("a b \r\nc\t\r\nd ")))
        #expect(encoded == "a b=20\r\nc=09\r\nd=20")
    }

    @Test func keepsHardBreaksAndEscapesBareOnes() {
        #expect(string(MIME.encodeQuotedPrintable(octets("a\r\nb\nc\rd"))) == "a\r\nb=0Ac=0Dd")
    }

    @Test func softBreaksKeepLinesWithin76() throws {
        let input = octets(String(repeating: "x", count: 200) + "\r\n" + String(repeating: "é", count: 100) + "\r\n")
        let encoded = MIME.encodeQuotedPrintable(input)
        let lines = try #require(crlfLines(encoded))
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.contains { $0.count == 76 })
        #expect(MIME.decodeQuotedPrintable(encoded) == input)
    }

    @Test func exactly76CharacterLineNeedsNoSoftBreak() {
        let line = String(repeating: "y", count: 76)
        #expect(string(MIME.encodeQuotedPrintable(octets(line + "\r\n"))) == line + "\r\n")
        #expect(string(MIME.encodeQuotedPrintable(octets(line + "y"))).contains("=\r\n"))
    }

    @Test func decodesLeniently() {
        #expect(string(MIME.decodeQuotedPrintable(octets("caf=c3=a9 =\nlong=\r\nline\n"))) == "café longline\n")
        #expect(string(MIME.decodeQuotedPrintable(octets("a=\t \nb"))) == "ab")
        #expect(string(MIME.decodeQuotedPrintable(octets("trailing   \r\nx"))) == "trailing\r\nx")
        #expect(string(MIME.decodeQuotedPrintable(octets("bad=ZZ and =4"))) == "bad=ZZ and =4")
    }

    @Test func roundTripsRandomOctets() {
        var generator = SeededGenerator(seed: 11)
        let alphabet: [UInt8] = [0x0D, 0x0A, 0x20, 0x09, 0x3D, 0x41, 0x2E, 0xC3, 0xA9, 0x00, 0x7F]
        for _ in 0..<300 {
            let length = Int.random(in: 0...300, using: &generator)
            let data = (0..<length).map { _ in
                Bool.random(using: &generator)
                    ? alphabet.randomElement(using: &generator)!
                    : UInt8.random(in: 0...255, using: &generator)
            }
            let encoded = MIME.encodeQuotedPrintable(data)
            #expect(MIME.decodeQuotedPrintable(encoded) == data)
            #expect(encoded.allSatisfy { $0 < 0x80 })
            if let lines = crlfLines(encoded) {
                #expect(lines.allSatisfy { $0.count <= 76 && $0.last != 0x20 && $0.last != 0x09 })
            } else {
                Issue.record("bare CR or LF in quoted-printable output")
            }
        }
    }

    @Test func outgoingMessageExposesTheEncoder() {
        #expect(OutgoingMessage.quotedPrintable(octets("x=y")) == MIME.encodeQuotedPrintable(octets("x=y")))
    }
}
