// Decides whether a client accepts a content coding (RFC 9110 §12.5.3), e.g. to serve a precompressed file.

/// Evaluates an `Accept-Encoding` field value.
public enum AcceptEncoding: Sendable {
    /// True when `coding` (such as `gzip` or `br`) has a non-zero weight in `fieldValue`.
    ///
    /// An explicit entry for the coding decides; otherwise `*` does; otherwise it is not acceptable, except
    /// `identity`, which is acceptable unless excluded. Matching is case-insensitive and `x-gzip` counts as
    /// `gzip`. A malformed element is skipped, since guessing its intent could send a coding the client cannot
    /// decode. If an entry appears twice with conflicting weights, `q=0` wins for the same reason.
    /// An empty field value means the client wants no content coding at all.
    public static func allows(_ coding: String, in fieldValue: String) -> Bool {
        let wanted = canonical(coding.lowercased())
        var explicit: Bool?
        var wildcard: Bool?
        for element in fieldValue.utf8.split(separator: UInt8(ascii: ",")) {
            guard let (name, acceptable) = parseElement(element) else { continue }
            if name == "*" {
                wildcard = (wildcard ?? true) && acceptable
            } else if canonical(name) == wanted {
                explicit = (explicit ?? true) && acceptable
            }
        }
        if let explicit {
            return explicit
        }
        if let wildcard {
            return wildcard
        }
        return wanted == "identity"
    }

    /// RFC 9110 §8.4.1.3: recipients should treat `x-gzip` as `gzip`.
    private static func canonical(_ name: String) -> String {
        name == "x-gzip" ? "gzip" : name
    }

    /// Parses `coding [ OWS ";" OWS "q=" qvalue ]` into the lower-cased coding and whether its weight is above 0.
    private static func parseElement(_ element: Substring.UTF8View) -> (String, Bool)? {
        let bytes = Array(element)
        var index = 0
        skipWhitespace(bytes, &index)
        let nameStart = index
        while index < bytes.count, isTokenCharacter(bytes[index]) {
            index += 1
        }
        guard index > nameStart else { return nil }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
        skipWhitespace(bytes, &index)
        if index == bytes.count {
            return (name, true)
        }
        guard bytes[index] == UInt8(ascii: ";") else { return nil }
        index += 1
        skipWhitespace(bytes, &index)
        guard bytes.count - index >= 2, bytes[index] | 0x20 == UInt8(ascii: "q"), bytes[index + 1] == UInt8(ascii: "=")
        else { return nil }
        index += 2
        let valueStart = index
        while index < bytes.count, !isWhitespace(bytes[index]) {
            index += 1
        }
        guard let positive = qvalueIsPositive(bytes[valueStart..<index]) else { return nil }
        skipWhitespace(bytes, &index)
        return index == bytes.count ? (name, positive) : nil
    }

    /// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); returns whether it is above zero.
    private static func qvalueIsPositive(_ bytes: ArraySlice<UInt8>) -> Bool? {
        guard let first = bytes.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else { return nil }
        let rest = bytes.dropFirst()
        var fraction: ArraySlice<UInt8> = []
        if !rest.isEmpty {
            guard rest.first == UInt8(ascii: "."), rest.count <= 4 else { return nil }
            fraction = rest.dropFirst()
        }
        guard fraction.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        if first == UInt8(ascii: "1") {
            return fraction.allSatisfy { $0 == UInt8(ascii: "0") } ? true : nil
        }
        return fraction.contains { $0 != UInt8(ascii: "0") }
    }

    /// tchar from RFC 9110 §5.6.2: any visible ASCII character but the delimiters.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) && !"\"(),/:;<=>?@[\\]{}".utf8.contains(byte)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, isWhitespace(bytes[index]) {
            index += 1
        }
    }
}
