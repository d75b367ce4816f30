// A URL query split into binary-safe parameters: a tracker's info_hash and peer_id are 20 raw bytes,
// percent-encoded, so they must not pass through String.

import DoorwayBasics

/// The parameters of `a=1&b=%FF…` in order, names and values percent-decoded to bytes; `+` is a space.
///
/// ```swift
/// let query = QueryString("info_hash=%12%34…&port=6881")
/// let port = query?.text("port")
/// ```
public struct QueryString: Sendable {
    public private(set) var parameters: [(name: String, value: [UInt8])] = []

    public init() {}

    /// Parses `query` (without `?`); a malformed escape such as `%G1` or a truncated `%4` fails.
    public init?(_ query: Substring) {
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { return nil }
            guard let value = parts.count == 2 ? Self.decode(parts[1]) : [] else { return nil }
            parameters.append((String(decoding: name, as: UTF8.self), value))
        }
    }

    /// The first value of `name`.
    public func first(_ name: String) -> [UInt8]? {
        parameters.first { $0.name == name }?.value
    }

    /// The first value of `name` as text (invalid UTF-8 becomes U+FFFD).
    public func text(_ name: String) -> String? {
        first(name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every value of `name` (scrape takes several info_hash).
    public func all(_ name: String) -> [[UInt8]] {
        parameters.filter { $0.name == name }.map(\.value)
    }

    /// Percent-decodes `bytes`; `+` is a space in a query (`plusIsSpace`), itself in a path segment. Nil for a
    /// malformed escape.
    public static func decode(_ bytes: Substring.UTF8View.SubSequence, plusIsSpace: Bool = true) -> [UInt8]? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let high = bytes.index(after: index)
                guard high < bytes.endIndex, bytes.index(after: high) < bytes.endIndex,
                    let upper = Hex.value(of: bytes[high]), let lower = Hex.value(of: bytes[bytes.index(after: high)])
                else { return nil }
                decoded.append(upper << 4 | lower)
                index = bytes.index(high, offsetBy: 2)
                continue
            }
            decoded.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = bytes.index(after: index)
        }
        return decoded
    }

    /// RFC 3986 unreserved characters stay; every other byte is `%XX`, as trackers expect for info_hash.
    public static func encode(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                text.append(byte)
            default:
                text.append(UInt8(ascii: "%"))
                Hex.append(byte, to: &text, uppercase: true)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
