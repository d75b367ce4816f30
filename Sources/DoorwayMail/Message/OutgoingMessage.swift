// Composes an RFC 5322 / MIME message for `door mail send`, safe to hand to any SMTP server.

/// An RFC 5322 message to send; the CLI's `door mail send --from --to --subject [FILE]` builds one.
///
/// Every header value is cleaned of control characters (so user input can never start a new header line), non-ASCII
/// header text becomes RFC 2047 encoded-words, and a body that is not short-lined plain ASCII is sent as
/// quoted-printable. The result is 7-bit except for non-ASCII addresses, so no server needs 8BITMIME for it.
public struct OutgoingMessage: Sendable {
    /// The author: "Ann <ann@example.test>" or "ann@example.test"; the display name may be non-ASCII or quoted.
    public var from: String
    /// Recipients in the same forms as `from`; the To field is left out when empty.
    public var to: [String]
    /// The subject, or nil for no Subject field. Surrounding whitespace is trimmed.
    public var subject: String?
    /// The body: any Unicode, any mix of CRLF, LF and CR line endings.
    public var text: String
    /// An RFC 5322 date-time such as "Wed, 25 Nov 2026 18:00:00 +0000"; only printable ASCII of it is used.
    public var date: String
    /// A message identifier such as "<unique@host>"; angle brackets are added when missing.
    public var messageID: String

    /// Creates a message; nothing is validated here, `bytes` makes whatever is given safe to send.
    public init(from: String, to: [String], subject: String?, text: String, date: String, messageID: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.date = date
        self.messageID = messageID
    }

    /// The message with CRLF line endings only, no line over 998 octets (body lines stay within 76 when
    /// quoted-printable), ending in CRLF. SMTP dot-stuffing is left to the client that sends it.
    public var bytes: [UInt8] {
        let body = Self.normalizedBody(text)
        let sevenBit = Self.isSevenBitSafe(body)
        var output: [UInt8] = []
        output += HeaderFolder.field("Date", pieces: HeaderFolder.pieces(text: Self.printableASCII(date)))
        output += HeaderFolder.field("From", pieces: HeaderFolder.pieces(words: Self.addressWords(from)))
        if !to.isEmpty {
            var words: [String] = []
            for (position, recipient) in to.enumerated() {
                var recipientWords = Self.addressWords(recipient)
                if position + 1 < to.count, let last = recipientWords.popLast() {
                    recipientWords.append(last + ",")
                }
                words += recipientWords
            }
            output += HeaderFolder.field("To", pieces: HeaderFolder.pieces(words: words))
        }
        if let subject {
            output += HeaderFolder.field("Subject", pieces: Self.unstructuredPieces(subject))
        }
        output += HeaderFolder.field("Message-ID", pieces: [Self.messageIdentifier(messageID)])
        output += HeaderFolder.field("MIME-Version", pieces: ["1.0"])
        output += HeaderFolder.field("Content-Type", pieces: ["text/plain;", " charset=utf-8"])
        output += HeaderFolder.field("Content-Transfer-Encoding", pieces: [sevenBit ? "7bit" : "quoted-printable"])
        output += ASCII.crlf
        output += sevenBit ? body : MIME.encodeQuotedPrintable(body)
        return output
    }

    /// The Content-Transfer-Encoding `bytes` uses: "7bit" for ASCII text with lines of at most 998 octets and no
    /// control characters other than tab, "quoted-printable" otherwise. Quoted-printable rather than 8bit is
    /// always used for other text because it is accepted by every server, with or without 8BITMIME.
    public var transferEncoding: String {
        Self.isSevenBitSafe(Self.normalizedBody(text)) ? "7bit" : "quoted-printable"
    }

    /// Whether `bytes` holds any octet above 127. The body never does (see `transferEncoding`), so a client
    /// never needs BODY=8BITMIME; only a non-ASCII address can make this true, and that needs SMTPUTF8 anyway.
    public var isEightBit: Bool {
        bytes.contains { $0 >= 0x80 }
    }

    /// Quoted-printable encoding (RFC 2045 §6.7) as used for the body; see `MIME.encodeQuotedPrintable`.
    public static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        MIME.encodeQuotedPrintable(bytes)
    }

    /// Lines of unbroken text longer than this are sent as encoded-words, which can fold anywhere.
    private static let longestFoldablePiece = 200

    /// RFC 2047 §5.3 limits display names this way; longer ones fold more cleanly as encoded-words.
    private static let longestPlainDisplayName = 60

    /// The body as UTF-8 with every line ending made CRLF, ending in CRLF unless empty.
    static func normalizedBody(_ text: String) -> [UInt8] {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 32 + 2)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == ASCII.cr {
                output += ASCII.crlf
                if index + 1 < input.count && input[index + 1] == ASCII.lf {
                    index += 1
                }
            } else if byte == ASCII.lf {
                output += ASCII.crlf
            } else {
                output.append(byte)
            }
            index += 1
        }
        if !output.isEmpty && output.last != ASCII.lf {
            output += ASCII.crlf
        }
        return output
    }

    /// Whether a CRLF-normalized body may go as 7bit (RFC 2045 §2.7): ASCII, no NUL or other controls but tab,
    /// lines of at most 998 octets.
    static func isSevenBitSafe(_ body: [UInt8]) -> Bool {
        var lineLength = 0
        for byte in body {
            if byte == ASCII.cr || byte == ASCII.lf {
                lineLength = 0
                continue
            }
            if byte >= 0x7F || (byte < ASCII.space && byte != ASCII.tab) {
                return false
            }
            lineLength += 1
            if lineLength > 998 {
                return false
            }
        }
        return true
    }

    /// Subject pieces: ASCII text is folded at its own whitespace; non-ASCII text, text that already looks like
    /// an encoded-word, or text with very long unbroken runs is sent entirely as encoded-words.
    private static func unstructuredPieces(_ value: String) -> [String] {
        let text = ASCII.trimmingBlanks(MIME.replacingControls(value))
        let pieces = HeaderFolder.pieces(text: text)
        let needsEncoding =
            text.utf8.contains { $0 >= 0x80 } || text.contains("=?")
            || pieces.contains { $0.utf8.count > longestFoldablePiece }
        return needsEncoding ? HeaderFolder.pieces(words: EncodedWord.encode(text)) : pieces
    }

    /// Words of one mailbox: an optional display name (plain words, a quoted string or encoded-words) and the
    /// address, which is kept as written because RFC 2047 forbids encoding it.
    private static func addressWords(_ mailbox: String) -> [String] {
        let text = ASCII.trimmingBlanks(MIME.replacingControls(mailbox))
        let octets = Array(text.utf8)
        guard let open = octets.lastIndex(of: ASCII.lessThan) else {
            return text.isEmpty ? [] : [text]
        }
        let close = octets[open...].firstIndex(of: ASCII.greaterThan) ?? octets.endIndex
        let address = ASCII.trimmingBlanks(octets[(open + 1)..<close])
        let angleAddress = "<" + String(decoding: address, as: UTF8.self) + ">"
        let display = unquoted(ASCII.trimmingBlanks(octets[..<open]))
        return phraseWords(display) + [angleAddress]
    }

    private static func phraseWords(_ display: String) -> [String] {
        let words = display.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard !words.isEmpty else { return [] }
        let specials = Array("()<>[]:;@\\,.\"".utf8)
        let hasSpecials = display.utf8.contains { specials.contains($0) }
        let needsEncoding =
            display.utf8.contains { $0 >= 0x80 } || display.contains("=?")
            || words.contains { $0.utf8.count > longestPlainDisplayName }
            || (hasSpecials && display.utf8.count > longestPlainDisplayName)
        if needsEncoding {
            return EncodedWord.encode(display)
        }
        if hasSpecials {
            var quoted = "\""
            for character in display {
                if character == "\"" || character == "\\" {
                    quoted.append("\\")
                }
                quoted.append(character)
            }
            return [quoted + "\""]
        }
        return words
    }

    /// A display name without its surrounding quotes and backslash escapes, ready to be re-encoded.
    private static func unquoted(_ octets: ArraySlice<UInt8>) -> String {
        guard octets.count >= 2, octets.first == ASCII.quote, octets.last == ASCII.quote else {
            return String(decoding: octets, as: UTF8.self)
        }
        var result: [UInt8] = []
        var index = octets.startIndex + 1
        while index < octets.endIndex - 1 {
            if octets[index] == ASCII.backslash && index + 1 < octets.endIndex - 1 {
                index += 1
            }
            result.append(octets[index])
            index += 1
        }
        return ASCII.trimmingBlanks(String(decoding: result, as: UTF8.self))
    }

    /// Printable ASCII and spaces only, trimmed: the date is the caller's and must not break the header.
    private static func printableASCII(_ text: String) -> String {
        let kept = text.utf8.map { ASCII.isVisible($0) ? $0 : ASCII.space }
        return ASCII.trimmingBlanks(String(decoding: kept, as: UTF8.self))
    }

    /// The identifier as visible ASCII without spaces, in angle brackets (RFC 5322 §3.6.4).
    private static func messageIdentifier(_ text: String) -> String {
        let kept = String(decoding: text.utf8.filter(ASCII.isVisible), as: UTF8.self)
        if kept.hasPrefix("<") && kept.hasSuffix(">") && kept.count >= 2 {
            return kept
        }
        return "<" + kept + ">"
    }
}
