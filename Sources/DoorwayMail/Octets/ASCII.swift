// ASCII octet constants and helpers, because the session works on raw untrusted octets rather than Strings.

enum ASCII {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let dot: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let lessThan: UInt8 = 0x3C
    static let equals: UInt8 = 0x3D
    static let greaterThan: UInt8 = 0x3E
    static let at: UInt8 = 0x40
    static let leftBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let rightBracket: UInt8 = 0x5D

    static let crlf: [UInt8] = [cr, lf]

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Visible ASCII (VCHAR, RFC 5234); everything a token may contain.
    static func isVisible(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E
    }

    static func uppercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// Lower-cases ASCII letters only; SMTP domains compare case-insensitively in ASCII (RFC 5321 §2.4).
    static func lowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { lowercased($0) }, as: UTF8.self)
    }

    /// The upper-cased token if it is entirely visible ASCII, nil otherwise (such a token is never a known verb).
    static func uppercasedToken(_ bytes: ArraySlice<UInt8>) -> String? {
        guard !bytes.isEmpty, bytes.allSatisfy(isVisible) else { return nil }
        return String(decoding: bytes.map(uppercased), as: UTF8.self)
    }

    /// Case-insensitive ASCII prefix test, used for "FROM:" / "TO:" and parameter keywords.
    static func hasPrefix(_ bytes: ArraySlice<UInt8>, ignoringCase prefix: String) -> Bool {
        let wanted = Array(prefix.utf8)
        guard bytes.count >= wanted.count else { return false }
        return zip(bytes, wanted).allSatisfy { uppercased($0) == uppercased($1) }
    }

    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ literal: String) -> Bool {
        bytes.count == literal.utf8.count && hasPrefix(bytes, ignoringCase: literal)
    }

    static func droppingLeadingSpaces(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        bytes.drop { $0 == space }
    }

    /// Text safe to place inside a reply or header line: control octets become spaces so nothing can end the
    /// line early and inject protocol or header content.
    static func sanitized(_ text: String) -> String {
        let cleaned = text.utf8.map { $0 < 0x20 || $0 == 0x7F ? space : $0 }
        return String(decoding: cleaned, as: UTF8.self)
    }

    /// An untrusted token echoed in a reply: visible ASCII only and short, so replies stay bounded and printable.
    static func echoable(_ bytes: ArraySlice<UInt8>) -> String {
        let visible = bytes.prefix(64).map { isVisible($0) ? $0 : UInt8(ascii: "?") }
        return String(decoding: visible, as: UTF8.self)
    }
}
