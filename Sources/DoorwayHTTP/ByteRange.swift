// Interprets Range fields (RFC 9110 §14) and lays out multipart/byteranges bodies.

import DoorwayBasics

/// What a `Range` field asks of a representation of known length.
public enum RangeRequest: Equatable, Sendable {
    /// Serve the full representation with 200: unknown unit, invalid syntax, or too many ranges.
    case ignored
    /// Serve 206 with these ranges: clamped to the representation, sorted and coalesced when there are several.
    case satisfiable([ClosedRange<Int>])
    /// Serve 416 with `Content-Range: bytes */length`.
    case unsatisfiable

    /// Interprets `fieldValue` against a representation of `length` bytes.
    ///
    /// Several ranges are sorted and overlapping or adjacent ones merged, so a request repeating `0-` many times
    /// costs no more than one full response. If more than `maximumRanges` distinct ranges remain, the field is
    /// ignored rather than answered with a huge multipart body.
    public static func parse(_ fieldValue: String, length: Int, maximumRanges: Int = 64) -> RangeRequest {
        guard let specs = parseSpecifier(fieldValue) else { return .ignored }
        let length = max(0, length)

        var ranges: [ClosedRange<Int>] = []
        for spec in specs {
            if let range = resolve(spec, length: length) {
                ranges.append(range)
            }
        }
        guard !ranges.isEmpty else { return .unsatisfiable }
        if ranges.count > 1 {
            ranges = coalesce(ranges)
        }
        guard ranges.count <= maximumRanges else { return .ignored }
        return .satisfiable(ranges)
    }

    /// One syntactically valid range-spec before it is related to the representation length.
    enum Spec: Equatable, Sendable {
        case from(Int, through: Int?)
        case suffix(Int)
    }

    /// Parses `bytes=range-spec, ...`; nil for any other unit or any syntax error, including numbers too
    /// large for Int.
    static func parseSpecifier(_ fieldValue: String) -> [Spec]? {
        let bytes = Array(fieldValue.utf8)
        var index = 0
        skipWhitespace(bytes, &index)
        let unit = Array("bytes".utf8)
        guard bytes.count - index > unit.count else { return nil }
        for expected in unit {
            // Range units are case-insensitive; setting bit 0x20 lower-cases ASCII letters, and the unit is all
            // letters, so no other byte can fold onto it.
            guard bytes[index] | 0x20 == expected else { return nil }
            index += 1
        }
        guard bytes[index] == UInt8(ascii: "=") else { return nil }
        index += 1

        guard let specs = FieldList.elements(of: bytes, from: &index, element: parseSpec) else { return nil }
        return specs.isEmpty ? nil : specs
    }

    private static func parseSpec(_ bytes: [UInt8], _ index: inout Int) -> Spec? {
        if bytes[index] == UInt8(ascii: "-") {
            index += 1
            guard let suffixLength = parseNumber(bytes, &index) else { return nil }
            return .suffix(suffixLength)
        }
        guard let first = parseNumber(bytes, &index),
            index < bytes.count, bytes[index] == UInt8(ascii: "-")
        else { return nil }
        index += 1
        guard index < bytes.count, isDigit(bytes[index]) else { return .from(first, through: nil) }
        guard let last = parseNumber(bytes, &index), last >= first else {
            // last-pos < first-pos makes the whole range-set invalid (RFC 9110 §14.1.1), so the field is ignored.
            return nil
        }
        return .from(first, through: last)
    }

    /// 1*DIGIT as an Int, or nil if absent or not representable.
    private static func parseNumber(_ bytes: [UInt8], _ index: inout Int) -> Int? {
        let start = index
        var value = 0
        while index < bytes.count, isDigit(bytes[index]) {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            index += 1
        }
        return index > start ? value : nil
    }

    /// Relates a spec to the representation: clamps the end, or nil when this spec is unsatisfiable.
    static func resolve(_ spec: Spec, length: Int) -> ClosedRange<Int>? {
        guard length > 0 else { return nil }
        switch spec {
        case .from(let first, let last):
            guard first < length else { return nil }
            return first...min(last ?? (length - 1), length - 1)
        case .suffix(let suffixLength):
            guard suffixLength > 0 else { return nil }
            return max(0, length - suffixLength)...(length - 1)
        }
    }

    /// Sorts ranges and merges any that overlap or touch.
    static func coalesce(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<Int>] = []
        for range in sorted {
            // upperBound < Int.max always holds (it is below length), so the + 1 cannot overflow.
            if let last = merged.last, range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
        FieldList.skipWhitespace(bytes, &index)
    }
}

/// Builds the framing of a `multipart/byteranges` body (RFC 9110 §14.6).
///
/// The body is, for each range, `partHeader(...)` followed by that range's bytes, and then `closing(...)`.
/// Every part header starts with CRLF, including the first: before the first boundary that CRLF is an empty
/// preamble, which RFC 2046 permits, and it lets every part be produced the same way (nginx does the same).
/// The response's own header is `Content-Type: multipart/byteranges; boundary=<boundary>`.
public enum MultipartByteRanges: Sendable {
    /// A boundary derived from `seed`; pass a random seed so the boundary is unlikely to occur in the content.
    ///
    /// Only hex digits follow a fixed prefix, so the boundary never needs quoting in the Content-Type field.
    public static func boundary(seed: UInt64) -> String {
        // SplitMix64 spreads similar seeds (e.g. counters) over unrelated-looking boundaries.
        var random = SplitMix64(seed: seed)
        return "door-" + Hex.encode(random.next()) + Hex.encode(random.next())
    }

    /// `\r\n--boundary\r\nContent-Type: type\r\nContent-Range: bytes first-last/length\r\n\r\n`
    public static func partHeader(
        boundary: String, contentType: String, range: ClosedRange<Int>, length: Int
    )
        -> String
    {
        "\r\n--\(boundary)\r\nContent-Type: \(contentType)\r\n"
            + "Content-Range: bytes \(range.lowerBound)-\(range.upperBound)/\(length)\r\n\r\n"
    }

    /// `\r\n--boundary--\r\n`, the close delimiter that ends the body.
    public static func closing(boundary: String) -> String {
        "\r\n--\(boundary)--\r\n"
    }

    /// The exact byte count of the whole multipart body, for the Content-Length field.
    ///
    /// Saturates at Int.max instead of trapping; a caller can never have that many bytes to send anyway.
    public static func contentLength(
        boundary: String, contentType: String, ranges: [ClosedRange<Int>], length: Int
    ) -> Int {
        var total = closing(boundary: boundary).utf8.count
        for range in ranges {
            let header = partHeader(boundary: boundary, contentType: contentType, range: range, length: length)
            total = saturatingAdd(total, header.utf8.count)
            total = saturatingAdd(total, byteCount(range))
        }
        return total
    }

    /// `range.count` traps when the bounds span more than Int.max; this saturates instead.
    private static func byteCount(_ range: ClosedRange<Int>) -> Int {
        let (difference, overflow) = range.upperBound.subtractingReportingOverflow(range.lowerBound)
        return overflow ? Int.max : saturatingAdd(difference, 1)
    }

    private static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }
}
