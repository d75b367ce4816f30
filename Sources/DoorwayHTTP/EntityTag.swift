// Entity tags (RFC 9110 §8.8.3) and the If-Match / If-None-Match conditions built from them.

/// An entity tag; `opaque` is stored without its quotes.
public struct EntityTag: Hashable, Sendable {
    public var opaque: String
    public var isWeak: Bool

    public init(opaque: String, isWeak: Bool = false) {
        self.opaque = opaque
        self.isWeak = isWeak
    }

    /// The tag as sent in an `ETag` field: `"x"` or `W/"x"`.
    public var headerValue: String {
        (isWeak ? "W/\"" : "\"") + opaque + "\""
    }

    /// Strong comparison (RFC 9110 §8.8.3.2), required by If-Match and by range requests.
    public func matchesStrongly(_ other: EntityTag) -> Bool {
        !isWeak && !other.isWeak && opaque == other.opaque
    }

    /// Weak comparison (RFC 9110 §8.8.3.2), used by If-None-Match.
    public func matchesWeakly(_ other: EntityTag) -> Bool {
        opaque == other.opaque
    }

    /// A strong validator derived from file metadata, in the spirit of nginx's `mtime-size` tags.
    ///
    /// The inode distinguishes a file replaced by another of equal size and timestamp (e.g. `rsync -t`);
    /// nanoseconds catch rewrites within the same second. Negative values are shown by their bit pattern so
    /// the `-` separators stay unambiguous.
    public static func strong(inode: UInt64, size: Int, modificationNanoseconds: Int64) -> EntityTag {
        let sizeBits = UInt64(bitPattern: Int64(size))
        let timeBits = UInt64(bitPattern: modificationNanoseconds)
        let opaque = String(inode, radix: 16) + "-" + String(sizeBits, radix: 16) + "-" + String(timeBits, radix: 16)
        return EntityTag(opaque: opaque, isWeak: false)
    }

    /// etagc = %x21 / %x23-7E / obs-text, i.e. visible ASCII except DQUOTE, plus any byte >= 0x80.
    static func isEntityTagCharacter(_ byte: UInt8) -> Bool {
        byte == 0x21 || (0x23...0x7E).contains(byte) || byte >= 0x80
    }
}

/// The value of an If-Match or If-None-Match field.
public enum EntityTagCondition: Sendable, Equatable {
    case any
    case tags([EntityTag])

    /// Parses `"*"` or a comma-separated list of entity tags; nil when malformed, so the caller can treat the
    /// field as absent.
    ///
    /// Empty list elements are skipped as RFC 9110 §5.6.1.2 requires, but a value containing no tag at all is
    /// reported as malformed: a zero-tag If-Match would otherwise fail every request with 412.
    public static func parse(_ fieldValue: String) -> EntityTagCondition? {
        let bytes = Array(fieldValue.utf8)
        var index = 0
        skipWhitespace(bytes, &index)
        if index < bytes.count, bytes[index] == UInt8(ascii: "*") {
            index += 1
            skipWhitespace(bytes, &index)
            return index == bytes.count ? .any : nil
        }

        guard let tags = FieldList.elements(of: bytes, from: &index, element: parseTag) else { return nil }
        return tags.isEmpty ? nil : .tags(tags)
    }

    private static func parseTag(_ bytes: [UInt8], _ index: inout Int) -> EntityTag? {
        var weak = false
        // The weak prefix is case-sensitive (%s"W/").
        if bytes.count - index >= 2, bytes[index] == UInt8(ascii: "W"), bytes[index + 1] == UInt8(ascii: "/") {
            weak = true
            index += 2
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        while index < bytes.count, EntityTag.isEntityTagCharacter(bytes[index]) {
            index += 1
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let opaque = String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        return EntityTag(opaque: opaque, isWeak: weak)
    }

    private static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
        FieldList.skipWhitespace(bytes, &index)
    }
}
