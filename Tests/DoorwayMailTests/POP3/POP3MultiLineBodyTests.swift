// POP3Session.multiLineBody: CRLF line endings, dot-stuffing, TOP's line limit and the terminating dot line.

import DoorwayMail
import Testing

@Suite("POP3Session.multiLineBody")
struct POP3MultiLineBodyTests {
    func body(_ message: String, _ bodyLines: Int? = nil) -> String {
        String(decoding: POP3Session.multiLineBody(bytes(message), bodyLines: bodyLines), as: UTF8.self)
    }

    @Test("lines starting with a dot get another one")
    func dotStuffing() {
        #expect(body("A: b\r\n\r\n.\r\n..\r\n.x\r\nx.\r\n") == "A: b\r\n\r\n..\r\n...\r\n..x\r\nx.\r\n.\r\n")
        #expect(body(".") == "..\r\n.\r\n")
        #expect(body(".\n") == "..\r\n.\r\n")
    }

    @Test("bare LF becomes CRLF, CRLF stays, a lone CR becomes a space")
    func lineEndings() {
        #expect(body("a\nb\r\nc\n") == "a\r\nb\r\nc\r\n.\r\n")
        #expect(body("a\rb\r\r\n\n") == "a b \r\n\r\n.\r\n")
        #expect(body("\n\n") == "\r\n\r\n.\r\n")
    }

    @Test("a message without a final line ending is given one before the dot")
    func noTrailingNewline() {
        #expect(body("A: b\n\nlast") == "A: b\r\n\r\nlast\r\n.\r\n")
        #expect(body("A: b\n\nlast\r") == "A: b\r\n\r\nlast\r\n.\r\n")
    }

    @Test("an empty message is just the dot line")
    func empty() {
        #expect(body("") == ".\r\n")
        #expect(body("", 0) == ".\r\n")
    }

    @Test("TOP keeps the header, the blank line and at most n body lines")
    func top() {
        let message = "A: 1\nB: 2\n\none\n.two\nthree\n"
        #expect(body(message, 0) == "A: 1\r\nB: 2\r\n\r\n.\r\n")
        #expect(body(message, 2) == "A: 1\r\nB: 2\r\n\r\none\r\n..two\r\n.\r\n")
        #expect(body(message, 100) == "A: 1\r\nB: 2\r\n\r\none\r\n..two\r\nthree\r\n.\r\n")
        #expect(body(message, Int.max) == body(message))
        #expect(body(message, -3) == body(message, 0))
        // Blank lines in the body are body lines.
        #expect(body("A: 1\n\n\n\nx\n", 2) == "A: 1\r\n\r\n\r\n\r\n.\r\n")
    }

    @Test("a header-only message is sent whole by TOP")
    func headerOnly() {
        #expect(body("A: 1\nB: 2\n", 0) == "A: 1\r\nB: 2\r\n.\r\n")
        #expect(body("A: 1\nB: 2", 5) == "A: 1\r\nB: 2\r\n.\r\n")
        #expect(body("A: 1\n\n", 0) == "A: 1\r\n\r\n.\r\n")
    }

    @Test("8-bit and NUL octets pass through")
    func eightBit() {
        let message: [UInt8] = [0x00, 0xC3, 0xBC, 0xFF, 0x0A]
        #expect(
            POP3Session.multiLineBody(message, bodyLines: nil)
                == [0x00, 0xC3, 0xBC, 0xFF, 0x0D, 0x0A, 0x2E, 0x0D, 0x0A]
        )
    }

    @Test("without dot-stuffing and the dot line, RETR sends exactly the size the maildrop reports")
    func sizeMatches() {
        for message in ["a\nb\r\nc", "x\ry\n", ".\n..\n", "A: 1\r\n\r\nbody\rmore\r\n"] {
            let sent = POP3Session.multiLineBody(bytes(message), bodyLines: nil)
            let lines = sent.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast(2)
            let unstuffed = lines.reduce(0) { $0 + $1.count + 1 - ($1.starts(with: [0x2E, 0x2E]) ? 1 : 0) }
            let complete = message.utf8.last == 0x0A ? message : message + "\n"
            #expect(unstuffed == POP3CRLFSize.crlfSize(bytes(complete)), "\(message)")
        }
    }

    @Test("a large message is converted in linear time")
    func large() {
        let message = [UInt8](repeating: 0x0A, count: 2_000_000)
        let sent = POP3Session.multiLineBody(message, bodyLines: nil)
        #expect(sent.count == 4_000_003)
    }
}
