// The server's EHLO keywords (RFC 5321 §4.1.1.1), parsed once so the transaction can pick MAIL parameters.

/// The service extensions a server advertised in its EHLO reply.
public struct SMTPClientExtensions: Sendable, Equatable {
    /// Every advertised keyword, upper-cased, with its space-separated parameters as sent.
    public var keywords: [String: [String]]

    public init(keywords: [String: [String]] = [:]) {
        self.keywords = keywords
    }

    /// Parses a 250 EHLO reply; the first line is the server's name, each further line one keyword. Lines that
    /// are not visible ASCII are skipped rather than failing, since a server's odd extension must not stop mail.
    init(ehloReply reply: SMTPReply) {
        var keywords: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = Array(line.utf8).split(separator: ASCII.space)
            guard let first = words.first, let keyword = ASCII.uppercasedToken(first) else { continue }
            keywords[keyword] = words.dropFirst().map { String(decoding: $0, as: UTF8.self) }
        }
        self.init(keywords: keywords)
    }

    /// Whether `keyword` (any case) was advertised.
    public func offers(_ keyword: String) -> Bool {
        keywords[String(decoding: keyword.utf8.map(ASCII.uppercased), as: UTF8.self)] != nil
    }

    /// RFC 1870 SIZE: nil when not offered, 0 when offered without a usable limit (RFC 1870 §4 reads 0 as "no
    /// fixed maximum"; an unparsable or absurdly large value is treated the same rather than as tiny).
    public var maximumSize: Int? {
        guard let parameters = keywords["SIZE"] else { return nil }
        guard let text = parameters.first, !text.isEmpty, text.utf8.count <= 18,
            text.utf8.allSatisfy(ASCII.isDigit), let value = Int(text)
        else { return 0 }
        return value
    }

    /// RFC 6152 8BITMIME.
    public var eightBitMIME: Bool { offers("8BITMIME") }
    /// RFC 6531 SMTPUTF8.
    public var smtputf8: Bool { offers("SMTPUTF8") }
    /// RFC 2920 PIPELINING.
    public var pipelining: Bool { offers("PIPELINING") }
}
