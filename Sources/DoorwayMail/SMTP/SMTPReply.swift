// One SMTP reply (RFC 5321 §4.2), possibly multi-line, with its exact wire form for the I/O layer to write.

public struct SMTPReply: Sendable, Equatable {
    /// The three-digit reply code.
    public var code: Int
    /// The text after "CODE " or "CODE-" on each line, including any enhanced status code ("2.1.0 Ok").
    public var lines: [String]

    /// The wire form, e.g. "250-a\r\n250 b\r\n". Computed so it can never disagree with `code` and `lines`;
    /// control octets in the text are replaced by spaces so a reply can never smuggle an extra line.
    public var bytes: [UInt8] {
        let codeText = Array(String(code).utf8)
        guard !lines.isEmpty else { return codeText + ASCII.crlf }
        var wire: [UInt8] = []
        for (index, line) in lines.enumerated() {
            wire += codeText
            wire.append(index == lines.count - 1 ? ASCII.space : UInt8(ascii: "-"))
            wire += Array(ASCII.sanitized(line).utf8)
            wire += ASCII.crlf
        }
        return wire
    }

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    init(_ code: Int, _ line: String) {
        self.init(code: code, lines: [line])
    }
}
