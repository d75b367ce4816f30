// Hexadecimal digits, written once: two digits per byte, lowercase unless a protocol asks for uppercase.

/// Encodes bytes as hexadecimal text and decodes it back.
///
/// ```swift
/// Hex.encode([0x01, 0x23])              // "0123"
/// Hex.encode([0xAB], uppercase: true)   // "AB"
/// Hex.decode("0123")                    // [0x01, 0x23]
/// ```
///
/// Every byte becomes exactly two digits, so different byte strings never give the same text.
package enum Hex {
    /// Lowercase digits, then uppercase ones: percent-encoding and quoted-printable want uppercase.
    private static let digits: [UInt8] = Array("0123456789abcdef0123456789ABCDEF".utf8)

    /// The digit for the low four bits of `nibble`.
    @inline(__always)
    package static func digit(_ nibble: UInt8, uppercase: Bool = false) -> UInt8 {
        digits[Int(nibble & 0x0F) + (uppercase ? 16 : 0)]
    }

    /// Appends the two digits of `byte` to `output`.
    @inline(__always)
    package static func append(_ byte: UInt8, to output: inout [UInt8], uppercase: Bool = false) {
        output.append(digit(byte >> 4, uppercase: uppercase))
        output.append(digit(byte, uppercase: uppercase))
    }

    /// Two digits per byte.
    package static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes { append(byte, to: &text, uppercase: uppercase) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The sixteen digits of `value`, most significant first (its eight bytes, big-endian).
    package static func encode(_ value: UInt64, uppercase: Bool = false) -> String {
        encode(
            stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: value >> UInt64($0)) },
            uppercase: uppercase)
    }

    /// The value of one digit in either case, or nil.
    @inline(__always)
    package static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Accepts either case; nil on odd length or any non-hex character.
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(of: utf8[index]), let low = value(of: utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
