// Parses Content-Type and Content-Disposition values (a token plus parameters, RFC 2045 / RFC 2231) on octets.

import DoorwayBasics

/// A structured MIME header value such as `multipart/mixed; boundary="a b"` or `attachment; filename=x.pdf`.
struct MIMEHeaderValue: Sendable {
    /// The leading token, lower-cased with whitespace and comments removed ("text/plain", "attachment").
    var value: String
    /// Parameter values by lower-cased name, with RFC 2231 continuations and charsets already applied.
    var parameters: [String: String]

    /// Enough for any real header; stops a hostile `name*99999999` from allocating sections without bound.
    private static let maximumSections = 1000

    init(_ raw: String) {
        var scanner = Scanner(bytes: Array(raw.utf8))
        value = ASCII.lowercased(scanner.leadingToken())
        var plain: [String: String] = [:]
        var extended: [String: [Int: (bytes: [UInt8], isEncoded: Bool)]] = [:]
        while let (name, parameterValue) = scanner.nextParameter() {
            let lowered = ASCII.lowercased(name)
            guard let star = lowered.firstIndex(of: "*") else {
                if plain[lowered] == nil {
                    plain[lowered] = parameterValue
                }
                continue
            }
            // RFC 2231: name*=charset'lang'%XX, name*0=..., name*1*=...
            let base = String(lowered[..<star])
            var suffix = lowered[lowered.index(after: star)...]
            let isEncoded = suffix.hasSuffix("*") || suffix.isEmpty
            if suffix.hasSuffix("*") {
                suffix = suffix.dropLast()
            }
            let section = suffix.isEmpty ? 0 : Int(suffix) ?? -1
            guard !base.isEmpty, section >= 0, section < Self.maximumSections else { continue }
            if extended[base, default: [:]][section] == nil {
                extended[base, default: [:]][section] = (Array(parameterValue.utf8), isEncoded)
            }
        }
        for (base, sections) in extended {
            plain[base] = Self.joinSections(sections)
        }
        parameters = plain
    }

    func parameter(_ name: String) -> String? {
        parameters[name]
    }

    /// Joins RFC 2231 sections in order (stopping at a gap), percent-decoding encoded ones and applying the
    /// charset named in the first; an unknown charset falls back to UTF-8.
    private static func joinSections(_ sections: [Int: (bytes: [UInt8], isEncoded: Bool)]) -> String {
        var octets: [UInt8] = []
        var charset: String?
        var number = 0
        while let (bytes, isEncoded) = sections[number] {
            var text = bytes[...]
            if number == 0 && isEncoded {
                let quote = UInt8(ascii: "'")
                if let first = text.firstIndex(of: quote),
                    let second = text[(first + 1)...].firstIndex(of: quote)
                {
                    charset = String(decoding: text[..<first], as: UTF8.self)
                    text = text[(second + 1)...]
                }
            }
            octets += isEncoded ? percentDecoded(text) : Array(text)
            number += 1
        }
        return MailCharset.decode(octets, label: charset)
    }

    private static func percentDecoded(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == UInt8(ascii: "%"), index + 2 < text.endIndex,
                let high = Hex.value(of: text[index + 1]), let low = Hex.value(of: text[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(text[index])
                index += 1
            }
        }
        return output
    }

    /// A forward-only scanner over the value's octets; every step advances, so no input can make it loop.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        /// The token before the first `;`, with whitespace and comments dropped ("text / plain" is tolerated).
        mutating func leadingToken() -> String {
            var token: [UInt8] = []
            while index < bytes.count && bytes[index] != UInt8(ascii: ";") {
                let byte = bytes[index]
                if byte == UInt8(ascii: "(") {
                    skipComment()
                } else {
                    if byte > ASCII.space && byte != 0x7F {
                        token.append(byte)
                    }
                    index += 1
                }
            }
            return String(decoding: token, as: UTF8.self)
        }

        /// The next `name=value` after a `;`; parameters without `=` are skipped.
        mutating func nextParameter() -> (name: String, value: String)? {
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: ";") else {
                    index += 1
                    continue
                }
                index += 1
                skipWhitespaceAndComments()
                let nameStart = index
                while index < bytes.count, isTokenByte(bytes[index]) {
                    index += 1
                }
                let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
                skipWhitespaceAndComments()
                guard !name.isEmpty, index < bytes.count, bytes[index] == ASCII.equals else { continue }
                index += 1
                skipWhitespaceAndComments()
                let value = index < bytes.count && bytes[index] == ASCII.quote ? quotedString() : plainValue()
                return (name, value)
            }
            return nil
        }

        private mutating func quotedString() -> String {
            var value: [UInt8] = []
            index += 1
            while index < bytes.count && bytes[index] != ASCII.quote {
                if bytes[index] == ASCII.backslash && index + 1 < bytes.count {
                    index += 1
                }
                value.append(bytes[index])
                index += 1
            }
            index += 1
            return String(decoding: value, as: UTF8.self)
        }

        /// An unquoted value; lenient enough to keep characters like `/` or `@` that broken mailers leave bare.
        private mutating func plainValue() -> String {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ";"), bytes[index] > ASCII.space,
                bytes[index] != UInt8(ascii: "(")
            {
                index += 1
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        private func isTokenByte(_ byte: UInt8) -> Bool {
            ASCII.isVisible(byte) && !"()<>@,;:\\\"/[]?=".utf8.contains(byte)
        }

        private mutating func skipWhitespaceAndComments() {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "(") {
                    skipComment()
                } else if bytes[index] <= ASCII.space {
                    index += 1
                } else {
                    return
                }
            }
        }

        /// Skips a possibly nested comment; an unclosed one runs to the end of the value.
        private mutating func skipComment() {
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "("): depth += 1
                case UInt8(ascii: ")"): depth -= 1
                case ASCII.backslash: index += 1
                default: break
                }
                index += 1
                if depth == 0 {
                    return
                }
            }
        }
    }
}
