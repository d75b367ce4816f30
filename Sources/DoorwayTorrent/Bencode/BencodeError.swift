// Why strict bencode decoding failed and where, so a bad .torrent can be diagnosed from the message alone.

import DoorwayBasics

/// A bencode decoding failure: what was wrong and the byte offset in the input where it was found.
///
/// ```swift
/// do { _ = try BencodeDecoder().decode(Array("i03e".utf8)) }
/// catch { print(error) }   // bencode: leading zero in integer at offset 1
/// ```
public struct BencodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The input ended in the middle of a value (or was empty).
        case unexpectedEnd
        /// A byte that cannot start or continue the value being read.
        case unexpectedByte(UInt8)
        /// `i03e` or `03:abc`: BEP 3 forbids leading zeros so every value has exactly one encoding.
        case leadingZero
        /// `i-0e`.
        case negativeZero
        /// `ie` or `i-e`.
        case missingDigits
        /// The integer does not fit in Int64.
        case integerOverflow
        /// The declared byte-string length runs past the end of the input.
        case lengthExceedsInput(declared: String, remaining: Int)
        /// The input is longer than `BencodeDecoder.maximumLength`.
        case inputTooLong(count: Int, maximum: Int)
        /// More containers are nested than `BencodeDecoder.maximumDepth` allows.
        case depthExceeded(maximum: Int)
        /// A dictionary key that is not a byte string.
        case keyNotByteString
        /// A key that does not sort strictly after the previous key of the same dictionary (by raw bytes).
        case unsortedKey(key: BencodeKey, previous: BencodeKey)
        /// The same key twice in one dictionary.
        case duplicateKey(BencodeKey)
        /// A dictionary closed after a key but before its value.
        case missingValue(key: BencodeKey)
        /// Bytes after the end of the top-level value.
        case trailingData(count: Int)
    }

    public var reason: Reason
    /// Offset into the decoded input of the byte where the problem was detected.
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        "bencode: \(problem) at offset \(offset)"
    }

    private var problem: String {
        switch reason {
        case .unexpectedEnd: "unexpected end of input"
        case .unexpectedByte(let byte): "unexpected byte \(Self.describe(byte))"
        case .leadingZero: "leading zero in integer"
        case .negativeZero: "negative zero integer"
        case .missingDigits: "integer without digits"
        case .integerOverflow: "integer does not fit in 64 bits"
        case .lengthExceedsInput(let declared, let remaining):
            "byte string length \(declared) exceeds the \(remaining) bytes remaining"
        case .inputTooLong(let count, let maximum): "input of \(count) bytes exceeds the maximum of \(maximum) bytes"
        case .depthExceeded(let maximum): "nesting deeper than \(maximum) levels"
        case .keyNotByteString: "dictionary key is not a byte string"
        case .unsortedKey(let key, let previous): "dictionary keys not sorted: \(key) after \(previous)"
        case .duplicateKey(let key): "duplicate dictionary key \(key)"
        case .missingValue(let key): "dictionary key \(key) has no value"
        case .trailingData(let count): "\(count) trailing bytes after the value"
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + Hex.encode([byte])
    }
}
