// RFC 2047 encoded-words: producing them for non-ASCII headers we send and decoding them in headers we read.

/// RFC 2047 encoded-words (`=?charset?B|Q?text?=`).
enum EncodedWord {
    /// Raw octets per word: 36 octets are 48 base64 characters, a 60-character word. RFC 2047 allows 75, but a
    /// shorter word also fits on the first line after "Subject: " within the 76-column limit of §2.
    static let maximumOctetsPerWord = 36

    /// Longest charset label accepted while decoding, so a stray "=?" cannot make the scanner read far.
    private static let maximumCharsetLength = 40

    /// The text as UTF-8 base64 encoded-words, split only between Unicode scalars so no word holds part of a
    /// character. Separate the words with folding whitespace; decoders drop it between adjacent encoded-words.
    static func encode(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        var scalarBytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            scalarBytes.removeAll(keepingCapacity: true)
            UTF8.encode(scalar) { scalarBytes.append($0) }
            if chunk.count + scalarBytes.count > maximumOctetsPerWord {
                words.append(word(chunk))
                chunk.removeAll(keepingCapacity: true)
            }
            chunk += scalarBytes
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append(word(chunk))
        }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + String(decoding: MIME.encodeBase64(bytes), as: UTF8.self) + "?="
    }

    private enum Piece {
        case text(ArraySlice<UInt8>)
        case word(charset: MailCharset, bytes: [UInt8])
    }

    /// Decodes every encoded-word in a header value. Lenient where real mail needs it: words need not be
    /// whitespace-delimited, B and Q are case-insensitive, and adjacent words in the same charset are joined
    /// before decoding so a character split across words survives. Whitespace between adjacent encoded-words
    /// is dropped (RFC 2047 §6.2). Words in an unknown charset, or malformed ones, are left as written.
    static func decode(_ value: String) -> String {
        let bytes = Array(value.utf8)[...]
        guard bytes.count >= 8, value.contains("=?") else { return value }
        var pieces: [Piece] = []
        var textStart = bytes.startIndex
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            if bytes[index] == ASCII.equals && bytes[index + 1] == questionMark,
                let (charset, decoded, end) = parseWord(bytes, at: index)
            {
                if textStart < index {
                    pieces.append(.text(bytes[textStart..<index]))
                }
                pieces.append(.word(charset: charset, bytes: decoded))
                index = end
                textStart = end
            } else {
                index += 1
            }
        }
        if textStart < bytes.endIndex {
            pieces.append(.text(bytes[textStart...]))
        }
        return join(pieces)
    }

    private static func join(_ pieces: [Piece]) -> String {
        var result = ""
        // Appending in place keeps a header with thousands of adjacent words linear.
        var pendingCharset: MailCharset?
        var pendingBytes: [UInt8] = []
        func flush() {
            if let charset = pendingCharset {
                result += charset.decode(pendingBytes)
            }
            pendingCharset = nil
            pendingBytes.removeAll(keepingCapacity: true)
        }
        for (position, piece) in pieces.enumerated() {
            switch piece {
            case .text(let text):
                let betweenWords =
                    position > 0 && position + 1 < pieces.count
                    && isWord(pieces[position - 1]) && isWord(pieces[position + 1])
                if betweenWords && text.allSatisfy({ ASCII.isBlank($0) || $0 == ASCII.cr || $0 == ASCII.lf }) {
                    continue
                }
                flush()
                result += String(decoding: text, as: UTF8.self)
            case .word(let charset, let bytes):
                if pendingCharset != charset {
                    flush()
                    pendingCharset = charset
                }
                pendingBytes += bytes
            }
        }
        flush()
        return result
    }

    private static func isWord(_ piece: Piece) -> Bool {
        if case .word = piece { true } else { false }
    }

    private static let questionMark = UInt8(ascii: "?")

    /// Parses `=?charset?e?text?=` starting at `start`; nil if malformed or the charset is unknown.
    private static func parseWord(
        _ bytes: ArraySlice<UInt8>, at start: Int
    ) -> (charset: MailCharset, decoded: [UInt8], end: Int)? {
        let charsetStart = start + 2
        guard let charsetEnd = bytes[charsetStart...].firstIndex(of: questionMark),
            charsetEnd > charsetStart, charsetEnd - charsetStart <= maximumCharsetLength,
            bytes[charsetStart..<charsetEnd].allSatisfy(ASCII.isVisible),
            charsetEnd + 2 < bytes.endIndex, bytes[charsetEnd + 2] == questionMark
        else { return nil }
        let encoding = ASCII.uppercased(bytes[charsetEnd + 1])
        guard encoding == UInt8(ascii: "B") || encoding == UInt8(ascii: "Q") else { return nil }
        let textStart = charsetEnd + 3
        guard let textEnd = bytes[textStart...].firstIndex(of: questionMark),
            textEnd + 1 < bytes.endIndex, bytes[textEnd + 1] == ASCII.equals
        else { return nil }
        let label = String(decoding: bytes[charsetStart..<charsetEnd], as: UTF8.self)
        guard let charset = MailCharset(label: label) else { return nil }
        let text = bytes[textStart..<textEnd]
        let decoded = encoding == UInt8(ascii: "B") ? MIME.decodeBase64(text) : decodeQ(text)
        return (charset, decoded, textEnd + 2)
    }

    /// The Q encoding: quoted-printable where a literal `_` stands for a space (RFC 2047 §4.2). An escaped
    /// underscore is `=5F`, so mapping the literal ones first cannot touch an escape.
    private static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        MIME.decodeQuotedPrintableLine(text.map { $0 == UInt8(ascii: "_") ? ASCII.space : $0 }[...], into: &output)
        return output
    }
}
