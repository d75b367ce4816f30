// Message text as it goes on the wire: every line ending becomes CRLF, leading dots are doubled, and the data
// always ends with CRLF before the terminator.

import DoorwayBasics
import Testing

@testable import DoorwayMail

@Suite struct SMTPClientDataTests {
    func encoded(_ message: String) -> String {
        String(decoding: SMTPClientDataEncoder.encode(clientWire(message)).wire, as: UTF8.self)
    }

    /// The wire form as the session sends it after 354, to check the encoder is what really goes out.
    func sentAfter354(_ message: String) -> String? {
        var session = makeClientSession(message: message)
        _ = session.greet(ehlo: clientEHLOPipelining)
        return session.server("250 Ok\r\n250 Ok\r\n354 go\r\n").sentText.first
    }

    @Test(arguments: [
        (".", "..\r\n.\r\n"),
        ("..", "...\r\n.\r\n"),
        (".foo", "..foo\r\n.\r\n"),
        ("a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n"),
        ("a\r\n..\r\n.foo\r\nb.c\r\n", "a\r\n...\r\n..foo\r\nb.c\r\n.\r\n"),
        ("no newline at end", "no newline at end\r\n.\r\n"),
        ("ends with dot line\r\n.", "ends with dot line\r\n..\r\n.\r\n"),
        ("", ".\r\n"),
        (" .not at start\r\n", " .not at start\r\n.\r\n"),
    ])
    func dotStuffing(message: String, expected: String) {
        #expect(encoded(message) == expected)
        #expect(sentAfter354(message) == expected)
    }

    @Test(arguments: [
        ("a\rb\rc", "a\r\nb\r\nc\r\n.\r\n"),
        ("a\nb\nc\n", "a\r\nb\r\nc\r\n.\r\n"),
        ("a\r\nb\nc\rd\r\r\ne\n\rf", "a\r\nb\r\nc\r\nd\r\n\r\ne\r\n\r\nf\r\n.\r\n"),
        ("\n.\r.\n", "\r\n..\r\n..\r\n.\r\n"),
        ("trailing CR\r", "trailing CR\r\n.\r\n"),
        ("\r\n\r\n", "\r\n\r\n.\r\n"),
    ])
    func lineEndingsBecomeCRLF(message: String, expected: String) {
        #expect(encoded(message) == expected)
        #expect(sentAfter354(message) == expected)
    }

    /// Whatever the input, no CR without LF and no LF without CR may reach the wire.
    @Test func noBareCROrLFForRandomInput() {
        var generator = ClientFuzzGenerator(seed: 0x5EED_DA7A)
        let alphabet: [UInt8] = [ASCII.cr, ASCII.lf, ASCII.dot, UInt8(ascii: "a"), 0xC3, ASCII.space]
        for _ in 0..<500 {
            let length = Int.random(in: 0..<40, using: &generator)
            let message = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let encoded = SMTPClientDataEncoder.encode(message)
            let wire = encoded.wire
            for index in wire.indices {
                if wire[index] == ASCII.cr { #expect(index + 1 < wire.count && wire[index + 1] == ASCII.lf) }
                if wire[index] == ASCII.lf { #expect(index > 0 && wire[index - 1] == ASCII.cr) }
            }
            #expect(wire.suffix(3) == [ASCII.dot, ASCII.cr, ASCII.lf])
            #expect(wire.count == 3 || Array(wire.suffix(5).prefix(2)) == ASCII.crlf)
            // Un-stuffing the lines must give back the message with CRLF line endings.
            let lines = Array(wire.dropLast(3)).split(separator: ASCII.lf, omittingEmptySubsequences: false)
            for line in lines.dropLast() where line.first == ASCII.dot {
                #expect(line.dropFirst().first == ASCII.dot)
            }
            #expect(encoded.isEightBit == message.contains(0xC3))
        }
    }

    @Test func eightBitDetection() {
        #expect(!SMTPClientDataEncoder.encode(clientWire("plain\r\n")).isEightBit)
        #expect(SMTPClientDataEncoder.encode([0x80]).isEightBit)
    }
}
