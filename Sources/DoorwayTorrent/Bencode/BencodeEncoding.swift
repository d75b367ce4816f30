// Canonical bencode serialisation: the only encoding BEP 3 allows, with dictionary keys sorted by raw bytes.

extension BencodeValue {
    /// The canonical bencoding of this value.
    ///
    /// ```swift
    /// BencodeValue.dictionary(["b": 1, "a": "x"]).encoded == Array("d1:a1:x1:bi1ee".utf8)
    /// ```
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    /// Appends the canonical bencoding of this value to `out`.
    ///
    /// Recursion depth equals the nesting depth of the value; values built by ``BencodeDecoder`` are bounded by its
    /// `maximumDepth`.
    public func encode(into out: inout [UInt8]) {
        switch self {
        case .integer(let value):
            out.append(UInt8(ascii: "i"))
            out.append(contentsOf: String(value).utf8)
            out.append(UInt8(ascii: "e"))
        case .bytes(let bytes):
            Self.appendByteString(bytes, to: &out)
        case .list(let items):
            out.append(UInt8(ascii: "l"))
            for item in items { item.encode(into: &out) }
            out.append(UInt8(ascii: "e"))
        case .dictionary(let entries):
            out.append(UInt8(ascii: "d"))
            for key in entries.keys.sorted() {
                Self.appendByteString(key.bytes, to: &out)
                entries[key]!.encode(into: &out)
            }
            out.append(UInt8(ascii: "e"))
        }
    }

    private static func appendByteString(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: String(bytes.count).utf8)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: bytes)
    }
}
