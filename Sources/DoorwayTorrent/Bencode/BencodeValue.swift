// The bencode data model (BEP 3): integers, byte strings, lists and dictionaries, with typed accessors.

/// A decoded bencode value.
///
/// Dictionaries are keyed by ``BencodeKey`` (raw bytes, not text) because BEP 3 keys are byte strings and a
/// torrent may carry keys that are not UTF-8. Encoding always writes keys sorted by their raw bytes.
///
/// ```swift
/// let value = try BencodeDecoder().decode(Array("d3:cow3:mooe".utf8))
/// value["cow"]?.string            // "moo"
/// BencodeValue.list([.integer(1), "spam"]).encoded   // Array("li1e4:spame".utf8)
/// ```
public enum BencodeValue: Sendable, Hashable {
    case integer(Int64)
    case bytes([UInt8])
    case list([BencodeValue])
    case dictionary([BencodeKey: BencodeValue])

    /// A byte string holding the UTF-8 of `text`.
    public static func string(_ text: String) -> BencodeValue {
        .bytes(Array(text.utf8))
    }

    /// The value stored under `key` when this is a dictionary.
    public subscript(key: String) -> BencodeValue? {
        dictionary?[BencodeKey(key)]
    }

    /// The value stored under raw `key` when this is a dictionary.
    public subscript(key: BencodeKey) -> BencodeValue? {
        dictionary?[key]
    }

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var bytes: [UInt8]? {
        if case .bytes(let value) = self { return value }
        return nil
    }

    /// The byte string as text; nil when this is not a byte string or the bytes are not valid UTF-8.
    public var string: String? {
        bytes.flatMap { String(validating: $0, as: UTF8.self) }
    }

    public var list: [BencodeValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    public var dictionary: [BencodeKey: BencodeValue]? {
        if case .dictionary(let value) = self { return value }
        return nil
    }
}

extension BencodeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) {
        self = .bytes(Array(value.utf8))
    }

    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}
