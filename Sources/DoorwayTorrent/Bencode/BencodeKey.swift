// A bencode dictionary key: raw bytes, ordered by raw bytes, because BEP 3 keys are byte strings, not text.

import DoorwayBasics

/// A key of a bencoded dictionary.
///
/// Keys are arbitrary byte strings; they compare by their raw bytes, which is the order BEP 3 requires on the wire.
/// String literals convert through UTF-8, so `value["info"]` and `BencodeKey("piece length")` work as expected.
///
/// ```swift
/// let key: BencodeKey = "announce"
/// let raw = BencodeKey(bytes: [0xFF, 0x00])
/// ```
public struct BencodeKey: Sendable, Hashable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The key as text, or nil when it is not valid UTF-8.
    public var string: String? {
        String(validating: bytes, as: UTF8.self)
    }

    public static func < (lhs: BencodeKey, rhs: BencodeKey) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    public var description: String {
        string.map { "\"\($0)\"" } ?? "<\(Hex.encode(bytes))>"
    }
}
