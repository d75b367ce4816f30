// One header field of a stored message, and the parser that splits a header block from its body.

/// A header field as stored: the name as written and the unfolded, undecoded value.
public struct MailField: Sendable, Equatable {
    /// The field name exactly as written ("Subject", "content-type").
    public var name: String
    /// The value with folding line breaks removed (the whitespace after them kept, RFC 5322 §2.2.3) and
    /// surrounding blanks trimmed. Encoded-words are not decoded; 8-bit octets are read as UTF-8, or as
    /// Windows-1252 when they are not valid UTF-8.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) { (self.name, self.value) = (name, value) }

    /// Whether the field has this name, compared case-insensitively as RFC 5322 requires.
    public func hasName(_ other: String) -> Bool {
        name.utf8.count == other.utf8.count && ASCII.hasPrefix(ArraySlice(name.utf8), ignoringCase: other)
    }

    /// Splits an entity into its header fields and body. The header block ends at the first empty line; lines
    /// that are neither fields nor continuations (an mbox "From " line, garbage) are skipped rather than ending
    /// it. Without an empty line everything is header and the body is empty.
    static func parseBlock(_ bytes: ArraySlice<UInt8>) -> (fields: [MailField], body: ArraySlice<UInt8>) {
        var raw: [(name: ArraySlice<UInt8>, value: [UInt8])] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let (range, next) = ASCII.line(in: bytes, from: start)
            let line = bytes[range]
            if line.isEmpty {
                return (fields(raw), bytes[next...])
            }
            if let first = line.first, ASCII.isBlank(first) {
                if !raw.isEmpty {
                    raw[raw.count - 1].value += line
                }
            } else if let colon = line.firstIndex(of: ASCII.colon) {
                var name = line[..<colon]
                while let last = name.last, ASCII.isBlank(last) {
                    name = name.dropLast()
                }
                if !name.isEmpty && name.allSatisfy(ASCII.isVisible) {
                    raw.append((name, Array(line[(colon + 1)...])))
                }
            }
            start = next
        }
        return (fields(raw), bytes[bytes.endIndex...])
    }

    private static func fields(_ raw: [(name: ArraySlice<UInt8>, value: [UInt8])]) -> [MailField] {
        raw.map { field in
            MailField(
                name: String(decoding: field.name, as: UTF8.self),
                value: MailCharset.headerText(ASCII.trimmingBlanks(field.value[...]))
            )
        }
    }
}
