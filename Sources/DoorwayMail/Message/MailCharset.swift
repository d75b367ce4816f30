// Turns octets in the charsets mail really uses into Swift Strings, because the module avoids Foundation's converters.

/// The charsets the mail reader understands. Anything else is unknown: encoded-words in it stay as written and
/// bodies in it are read as UTF-8 (with replacement characters) rather than refused.
enum MailCharset: Sendable {
    /// UTF-8, also used for US-ASCII: mislabelled 8-bit UTF-8 is common and ASCII is a subset anyway.
    case utf8
    /// Windows-1252, also used for ISO-8859-1 as WHATWG does: real "Latin-1" mail often uses the 0x80–0x9F
    /// punctuation, and the C1 controls ISO-8859-1 puts there are never meant as text.
    case windows1252

    /// The charset for a MIME label (case-insensitive, quotes and an RFC 2231 `*language` suffix ignored).
    init?(label: String) {
        var name = ASCII.lowercased(ASCII.trimmingBlanks(label))
        if let star = name.firstIndex(of: "*") {
            name = String(name[..<star])
        }
        if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 {
            name = String(name.dropFirst().dropLast())
        }
        switch name {
        case "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "cp367":
            self = .utf8
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1", "l1", "cp819",
            "ibm819", "windows-1252", "cp1252", "x-cp1252":
            self = .windows1252
        default:
            return nil
        }
    }

    /// Decodes octets; invalid UTF-8 becomes U+FFFD rather than failing, since a mail reader must show something.
    func decode(_ bytes: some Collection<UInt8>) -> String {
        switch self {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .windows1252:
            var scalars = String.UnicodeScalarView()
            for byte in bytes {
                scalars.append(Self.windows1252Scalar(byte))
            }
            return String(scalars)
        }
    }

    /// Decodes with the labelled charset, or UTF-8 when the label is missing or unknown.
    static func decode(_ bytes: some Collection<UInt8>, label: String?) -> String {
        let charset = label.flatMap { MailCharset(label: $0) } ?? .utf8
        return charset.decode(bytes)
    }

    /// Raw header octets: UTF-8 when valid (RFC 6532 allows it), otherwise Windows-1252 so legacy 8-bit
    /// headers stay legible instead of turning into replacement characters.
    static func headerText(_ bytes: ArraySlice<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        return MailCharset.windows1252.decode(bytes)
    }

    private static func windows1252Scalar(_ byte: UInt8) -> Unicode.Scalar {
        if byte >= 0x80 && byte < 0xA0, let scalar = Unicode.Scalar(windows1252High[Int(byte - 0x80)]) {
            return scalar
        }
        return Unicode.Scalar(byte)
    }

    /// 0x80–0x9F in Windows-1252; the five unassigned positions keep their C1 code points.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
