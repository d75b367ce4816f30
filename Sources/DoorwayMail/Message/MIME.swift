// MIME codecs (base64 here, quoted-printable and encoded-words alongside) as pure functions over octets.

/// Pure MIME codecs used to compose and read messages. Every decoder is total: malformed input yields a
/// best-effort result, never a trap, because stored mail is untrusted.
public enum MIME: Sendable {
    private static let base64Alphabet: [UInt8] =
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0xFF marks octets outside the alphabet so the decoder can skip them in one lookup.
    private static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in base64Alphabet.enumerated() {
            table[Int(symbol)] = UInt8(value)
        }
        return table
    }()

    /// Base64 (RFC 4648) with padding and without line breaks; callers that need 76-column lines wrap it.
    public static func encodeBase64(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let first = UInt32(bytes[index])
            let second = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let third = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let group = first << 16 | second << 8 | third
            output.append(base64Alphabet[Int(group >> 18 & 0x3F)])
            output.append(base64Alphabet[Int(group >> 12 & 0x3F)])
            output.append(remaining > 1 ? base64Alphabet[Int(group >> 6 & 0x3F)] : ASCII.equals)
            output.append(remaining > 2 ? base64Alphabet[Int(group & 0x3F)] : ASCII.equals)
            index += 3
        }
        return output
    }

    /// Decodes base64 leniently: whitespace, line breaks and other foreign octets are skipped, missing padding
    /// is fine, and `=` ends a quantum so concatenated padded chunks (seen from some mailers) still decode.
    public static func decodeBase64(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            if byte == ASCII.equals {
                accumulator = 0
                bitCount = 0
                continue
            }
            let value = base64Values[Int(byte)]
            guard value != 0xFF else { continue }
            accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFFFF
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
            }
        }
        return output
    }

    /// A header value with RFC 2047 encoded-words decoded; see `EncodedWord.decode` for the leniency rules.
    public static func decodeEncodedWords(_ value: String) -> String {
        EncodedWord.decode(value)
    }

    /// Replaces Unicode control characters (CR, LF, tab, C1 controls…) with spaces, so a header value can neither
    /// end its line early (header injection) nor smuggle terminal controls into a one-line listing.
    static func replacingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return text
        }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        return String(scalars)
    }
}
