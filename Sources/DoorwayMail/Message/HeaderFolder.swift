// Folds composed header fields so every line stays within RFC 5322 limits and unfolds to the intended value.

/// Folds header fields (RFC 5322 §2.2.3) by inserting CRLF only before whitespace that is already part of the
/// value, so unfolding gives the value back exactly.
enum HeaderFolder {
    /// RFC 5322 §2.1.1 asks for lines of at most 78 characters where the pieces allow it.
    static let preferredLineLength = 78

    /// Pieces longer than this are cut, so no line can pass the hard 998-octet limit whatever the field name.
    /// Only absurd input (an address longer than RFC 5321 permits) is ever this long.
    static let maximumPieceLength = 900

    /// One field, CRLF-terminated. `pieces` concatenated form the value; every piece after the first starts with
    /// whitespace, which is where a fold may go, and no piece contains CR or LF.
    static func field(_ name: String, pieces: [String]) -> [UInt8] {
        var output = Array(name.utf8)
        output.append(ASCII.colon)
        var lineLength = output.count
        for (position, piece) in pieces.enumerated() {
            let octets = Array(truncated(piece, toOctets: maximumPieceLength).utf8)
            if position == 0 {
                output.append(ASCII.space)
                lineLength += 1
            } else if lineLength + octets.count > preferredLineLength {
                output += ASCII.crlf
                lineLength = 0
            }
            output += octets
            lineLength += octets.count
        }
        output += ASCII.crlf
        return output
    }

    /// Pieces for words that are separated by single spaces.
    static func pieces(words: [String]) -> [String] {
        words.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
    }

    /// Pieces for text without CR or LF, split before each run of spaces so the spacing survives unfolding.
    static func pieces(text: String) -> [String] {
        var pieces: [String] = []
        var current: [UInt8] = []
        var previousWasSpace = false
        for byte in text.utf8 {
            let isSpace = ASCII.isBlank(byte)
            if isSpace && !previousWasSpace && !current.isEmpty {
                pieces.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
            current.append(byte)
            previousWasSpace = isSpace
        }
        if !current.isEmpty {
            pieces.append(String(decoding: current, as: UTF8.self))
        }
        return pieces
    }

    /// The longest prefix of whole Unicode scalars that fits in `limit` UTF-8 octets.
    static func truncated(_ text: String, toOctets limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var scalars = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let size = UTF8.width(scalar)
            guard used + size <= limit else { break }
            scalars.append(scalar)
            used += size
        }
        return String(scalars)
    }
}
