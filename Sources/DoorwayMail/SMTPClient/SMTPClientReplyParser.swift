// Assembles the server's octet stream into SMTP replies (RFC 5321 §4.2) with bounded memory, because the server
// is untrusted and the network may split a reply at any octet.

struct SMTPClientReplyParser: Sendable {
    enum Event: Sendable, Equatable {
        case reply(SMTPReply)
        /// Not an SMTP reply; the stream cannot be interpreted any further.
        case malformed(String)
    }

    /// Lines held for one multi-line reply; EHLO replies, the longest in practice, have a few dozen.
    static let maximumLines = 128

    let maximumLineLength: Int
    private var reader = LineReader()
    private var code: Int?
    private var lines: [String] = []
    private var isBroken = false

    /// Octets held but not yet part of a reply, exposed so tests can check that memory stays bounded.
    var bufferedCount: Int { reader.bufferedCount }

    init(maximumLineLength: Int) {
        // Room for at least "250", so a silly configuration degrades to rejecting text rather than everything.
        self.maximumLineLength = max(3, maximumLineLength)
    }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        guard !isBroken else { return }
        reader.append(bytes)
    }

    /// The next complete reply, a violation (after which nothing more is produced), or nil for "need more".
    mutating func next() -> Event? {
        while !isBroken {
            guard let event = reader.nextEvent(maximumLength: maximumLineLength) else {
                reader.compact()
                return nil
            }
            switch event {
            case .line(let line, _):
                // A bare LF is tolerated: being lenient in what the server sends costs nothing here, unlike on
                // the server side where it enables smuggling.
                if let result = consume(line) { return result }
            case .tooLong:
                return broken("reply line longer than \(maximumLineLength) octets")
            case .endOfLongLine:
                // Unreachable: the parser stops at .tooLong; kept total rather than trapping.
                return broken("reply line too long")
            }
        }
        return nil
    }

    private mutating func consume(_ line: [UInt8]) -> Event? {
        guard line.count >= 3, line.prefix(3).allSatisfy(ASCII.isDigit),
            (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(line[0])
        else {
            return broken("malformed reply line \"\(ASCII.echoable(line[...]))\"")
        }
        let lineCode = Int(line[0] - 0x30) * 100 + Int(line[1] - 0x30) * 10 + Int(line[2] - 0x30)
        // RFC 5321 §4.2 allows a bare code as the last line, so only a wrong separator is an error.
        let isLast: Bool
        if line.count == 3 || line[3] == ASCII.space {
            isLast = true
        } else if line[3] == UInt8(ascii: "-") {
            isLast = false
        } else {
            return broken("malformed reply line \"\(ASCII.echoable(line[...]))\"")
        }
        if let code, code != lineCode {
            return broken("reply code changed from \(code) to \(lineCode) within one reply")
        }
        code = lineCode
        lines.append(String(decoding: line.dropFirst(4), as: UTF8.self))
        if isLast {
            let reply = SMTPReply(code: lineCode, lines: lines)
            code = nil
            lines = []
            return .reply(reply)
        }
        if lines.count >= Self.maximumLines {
            return broken("reply has more than \(Self.maximumLines) lines")
        }
        return nil
    }

    private mutating func broken(_ detail: String) -> Event {
        isBroken = true
        reader.removeAll()
        code = nil
        lines = []
        return .malformed(detail)
    }
}
