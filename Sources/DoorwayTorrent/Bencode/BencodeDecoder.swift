// Strict BEP 3 decoding: every value has exactly one accepted encoding, and hostile input fails fast with an
// offset instead of crashing, recursing without bound, or allocating what it declares.

/// Decodes bencode strictly.
///
/// Rejected: leading zeros (`i03e`, `03:abc`), `i-0e`, `ie`, `i-e`, integers outside Int64, byte strings longer
/// than the remaining input, nesting deeper than ``maximumDepth``, input longer than ``maximumLength``,
/// non-string dictionary keys, keys not in strictly ascending raw-byte order (so duplicates too), and anything
/// after the top-level value. Strictness matters for torrents: it guarantees `decode(x).encoded == x`, so no two
/// different byte sequences can be read as the same metadata.
///
/// The parser keeps its own stack, so even a deep `llll…` input costs no call-stack depth.
///
/// ```swift
/// let decoder = BencodeDecoder()
/// let value = try decoder.decode(torrentBytes)
/// if let info = try decoder.rawRange(ofKey: "info", inTopLevelDictionaryOf: torrentBytes) {
///     let infoBytes = torrentBytes[info]    // exactly as in the file: hash these for the info-hash
/// }
/// ```
public struct BencodeDecoder: Sendable {
    /// The most containers (lists and dictionaries) that may be nested. Decoding itself is iterative, but
    /// encoding, comparing and destroying a ``BencodeValue`` recurse once per level, so keep this modest.
    public var maximumDepth: Int
    /// The longest input accepted, in bytes; every byte string is therefore bounded by it too.
    public var maximumLength: Int

    public init(maximumDepth: Int = 64, maximumLength: Int = 16 * 1024 * 1024) {
        self.maximumDepth = maximumDepth
        self.maximumLength = maximumLength
    }

    /// Decodes `bytes`, which must hold exactly one value.
    public func decode(_ bytes: [UInt8]) throws(BencodeError) -> BencodeValue {
        try parse(bytes, recordingRanges: false).value
    }

    /// Decodes `bytes` and, when the top-level value is a dictionary, also reports where each of its values lies
    /// in `bytes`. The ranges cover the value's original encoding, e.g. the whole `d…e` of `info`.
    ///
    /// ```swift
    /// let (value, ranges) = try BencodeDecoder().decodeWithRanges(torrentBytes)
    /// let infoBytes = ranges["info"].map { torrentBytes[$0] }
    /// ```
    public func decodeWithRanges(
        _ bytes: [UInt8]
    ) throws(BencodeError) -> (value: BencodeValue, ranges: [BencodeKey: Range<Int>]) {
        try parse(bytes, recordingRanges: true)
    }

    /// Validates all of `bytes` and returns where the value of `key` in the top-level dictionary lies, or nil when
    /// the top level is not a dictionary or has no such key.
    public func rawRange(ofKey key: String, inTopLevelDictionaryOf bytes: [UInt8]) throws(BencodeError) -> Range<Int>? {
        try parse(bytes, recordingRanges: true).ranges[BencodeKey(key)]
    }

    /// One open container. A struct with both payloads (rather than an enum) so appending mutates in place
    /// through the stack subscript instead of copying the collected items.
    private struct Frame {
        var isDictionary: Bool
        var start: Int
        var items: [BencodeValue] = []
        var entries: [BencodeKey: BencodeValue] = [:]
        var lastKey: BencodeKey?
        var pendingKey: BencodeKey?
    }

    private func parse(
        _ input: [UInt8],
        recordingRanges: Bool
    ) throws(BencodeError) -> (value: BencodeValue, ranges: [BencodeKey: Range<Int>]) {
        guard input.count <= maximumLength else {
            throw BencodeError(.inputTooLong(count: input.count, maximum: maximumLength), at: 0)
        }
        var stack: [Frame] = []
        var ranges: [BencodeKey: Range<Int>] = [:]
        var position = 0
        while true {
            guard position < input.count else { throw BencodeError(.unexpectedEnd, at: position) }
            let byte = input[position]
            let top = stack.count - 1
            var start = position
            let value: BencodeValue
            if top >= 0 && stack[top].isDictionary && stack[top].pendingKey == nil {
                if byte == Self.end {
                    let frame = stack.removeLast()
                    start = frame.start
                    value = .dictionary(frame.entries)
                    position += 1
                } else if Self.isDigit(byte) {
                    let keyStart = position
                    let key = BencodeKey(bytes: try readByteString(input, at: &position))
                    if let previous = stack[top].lastKey {
                        if key == previous { throw BencodeError(.duplicateKey(key), at: keyStart) }
                        if key < previous {
                            throw BencodeError(.unsortedKey(key: key, previous: previous), at: keyStart)
                        }
                    }
                    stack[top].lastKey = key
                    stack[top].pendingKey = key
                    continue
                } else if byte == Self.integerStart || byte == Self.listStart || byte == Self.dictionaryStart {
                    throw BencodeError(.keyNotByteString, at: position)
                } else {
                    throw BencodeError(.unexpectedByte(byte), at: position)
                }
            } else {
                switch byte {
                case Self.integerStart:
                    value = .integer(try readInteger(input, at: &position))
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    value = .bytes(try readByteString(input, at: &position))
                case Self.listStart, Self.dictionaryStart:
                    guard stack.count < maximumDepth else {
                        throw BencodeError(.depthExceeded(maximum: maximumDepth), at: position)
                    }
                    stack.append(Frame(isDictionary: byte == Self.dictionaryStart, start: position))
                    position += 1
                    continue
                case Self.end where top >= 0:
                    if let key = stack[top].pendingKey {
                        throw BencodeError(.missingValue(key: key), at: position)
                    }
                    let frame = stack.removeLast()
                    start = frame.start
                    value = .list(frame.items)
                    position += 1
                default:
                    throw BencodeError(.unexpectedByte(byte), at: position)
                }
            }

            let parent = stack.count - 1
            if parent < 0 {
                guard position == input.count else {
                    throw BencodeError(.trailingData(count: input.count - position), at: position)
                }
                return (value, ranges)
            }
            if let key = stack[parent].pendingKey {
                stack[parent].entries[key] = value
                stack[parent].pendingKey = nil
                if recordingRanges && parent == 0 {
                    ranges[key] = start..<position
                }
            } else {
                stack[parent].items.append(value)
            }
        }
    }

    /// Reads `i<digits>e` starting at the `i`.
    private func readInteger(_ input: [UInt8], at position: inout Int) throws(BencodeError) -> Int64 {
        var cursor = position + 1
        var negative = false
        if cursor < input.count && input[cursor] == UInt8(ascii: "-") {
            negative = true
            cursor += 1
        }
        let digitsStart = cursor
        var value: Int64 = 0
        while cursor < input.count && Self.isDigit(input[cursor]) {
            if cursor > digitsStart && input[digitsStart] == UInt8(ascii: "0") {
                throw BencodeError(.leadingZero, at: digitsStart)
            }
            // Accumulating toward the sign lets Int64.min through without a separate overflow case.
            let digit = Int64(input[cursor] - UInt8(ascii: "0"))
            let (shifted, shiftOverflow) = value.multipliedReportingOverflow(by: 10)
            let (next, addOverflow) =
                negative
                ? shifted.subtractingReportingOverflow(digit)
                : shifted.addingReportingOverflow(digit)
            if shiftOverflow || addOverflow { throw BencodeError(.integerOverflow, at: digitsStart) }
            value = next
            cursor += 1
        }
        guard cursor < input.count else { throw BencodeError(.unexpectedEnd, at: cursor) }
        guard input[cursor] == Self.end else { throw BencodeError(.unexpectedByte(input[cursor]), at: cursor) }
        if cursor == digitsStart { throw BencodeError(.missingDigits, at: cursor) }
        if negative && value == 0 { throw BencodeError(.negativeZero, at: position + 1) }
        position = cursor + 1
        return value
    }

    /// Reads `<length>:<bytes>` starting at the first digit.
    private func readByteString(_ input: [UInt8], at position: inout Int) throws(BencodeError) -> [UInt8] {
        var cursor = position
        var length = 0
        var overflowed = false
        while cursor < input.count && Self.isDigit(input[cursor]) {
            if cursor > position && input[position] == UInt8(ascii: "0") {
                throw BencodeError(.leadingZero, at: position)
            }
            let (shifted, shiftOverflow) = length.multipliedReportingOverflow(by: 10)
            let (next, addOverflow) = shifted.addingReportingOverflow(Int(input[cursor] - UInt8(ascii: "0")))
            overflowed = overflowed || shiftOverflow || addOverflow
            length = next
            cursor += 1
        }
        guard cursor < input.count else { throw BencodeError(.unexpectedEnd, at: cursor) }
        guard input[cursor] == UInt8(ascii: ":") else {
            throw BencodeError(.unexpectedByte(input[cursor]), at: cursor)
        }
        let remaining = input.count - cursor - 1
        if overflowed || length > remaining {
            let digits = input[position..<cursor]
            let declared =
                digits.count > 24
                ? String(decoding: digits.prefix(24), as: UTF8.self) + "…"
                : String(decoding: digits, as: UTF8.self)
            throw BencodeError(.lengthExceedsInput(declared: declared, remaining: remaining), at: position)
        }
        let bodyStart = cursor + 1
        position = bodyStart + length
        return Array(input[bodyStart..<position])
    }

    private static let integerStart = UInt8(ascii: "i")
    private static let listStart = UInt8(ascii: "l")
    private static let dictionaryStart = UInt8(ascii: "d")
    private static let end = UInt8(ascii: "e")

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
