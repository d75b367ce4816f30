// Turns a request-target into safe, normalised path segments, and encodes segments back into URL paths.

import DoorwayBasics

/// Why a request-target was rejected; the server answers 400.
public struct RequestTargetError: Error, Equatable, Sendable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

/// A decoded, normalised request path plus its raw query.
///
/// Segments are never empty, never `.` or `..`, and never contain `/` or NUL, so joining them under a document
/// root cannot leave it.
public struct RequestTarget: Equatable, Sendable {
    public var segments: [String]
    /// True when the path named a directory form (`/a/`, `/a/.`, `/a/b/..`) and always for the root.
    public var hasTrailingSlash: Bool
    /// The raw query after `?`, still percent-encoded; nil when there was no `?`.
    public var query: String?

    public init(segments: [String], hasTrailingSlash: Bool, query: String?) {
        self.segments = segments
        self.hasTrailingSlash = hasTrailingSlash
        self.query = query
    }

    /// The normalised, decoded path: `/` followed by the segments, plus the trailing slash if any.
    public var path: String {
        guard !segments.isEmpty else { return "/" }
        return "/" + segments.joined(separator: "/") + (hasTrailingSlash ? "/" : "")
    }

    /// True when any segment is a dotfile or dot-directory such as `.git` or `.env`.
    public var isHidden: Bool {
        segments.contains { $0.hasPrefix(".") }
    }

    /// Parses an origin-form (`/a/b?q`) or absolute-form (`http://host/a/b?q`) request-target.
    ///
    /// Each segment is percent-decoded exactly once, after splitting on `/`, and dot segments are removed after
    /// decoding, so `%2e%2e` climbs like `..` while `%252e%252e` stays the literal name `%2e%2e`.
    /// Climbing above the root is an error rather than being clamped, as nginx answers such requests with 400.
    public static func parse(_ target: String) throws(RequestTargetError) -> RequestTarget {
        var bytes = Array(target.utf8)[...]
        for byte in bytes {
            if byte <= 0x20 || byte == 0x7F {
                throw RequestTargetError(reason: "control character or space")
            }
            if byte == UInt8(ascii: "#") {
                throw RequestTargetError(reason: "fragment")
            }
        }
        if bytes.first != UInt8(ascii: "/") {
            bytes = try stripSchemeAndAuthority(bytes)
        }

        var query: String?
        if let mark = bytes.firstIndex(of: UInt8(ascii: "?")) {
            query = String(decoding: bytes[(mark + 1)...], as: UTF8.self)
            bytes = bytes[..<mark]
        }

        var segments: [String] = []
        var endsAsDirectory = true
        let rawSegments = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
        for raw in rawSegments {
            let segment = try decodeSegment(raw)
            switch segment {
            case "", ".":
                endsAsDirectory = true
            case "..":
                guard segments.popLast() != nil else {
                    throw RequestTargetError(reason: "path escapes the root")
                }
                endsAsDirectory = true
            default:
                segments.append(segment)
                endsAsDirectory = false
            }
        }
        return RequestTarget(segments: segments, hasTrailingSlash: endsAsDirectory, query: query)
    }

    /// Reduces an absolute-form target to the path and query after its authority.
    private static func stripSchemeAndAuthority(
        _ bytes: ArraySlice<UInt8>
    ) throws(RequestTargetError)
        -> ArraySlice<UInt8>
    {
        let lowered = bytes.prefix(8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let schemeLength: Int
        if lowered.starts(with: "http://".utf8) {
            schemeLength = 7
        } else if lowered.starts(with: "https://".utf8) {
            schemeLength = 8
        } else {
            throw RequestTargetError(reason: "target must start with / or http(s)://")
        }
        let afterScheme = bytes.dropFirst(schemeLength)
        let authorityEnd =
            afterScheme.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.isEmpty else {
            throw RequestTargetError(reason: "missing host")
        }
        // RFC 9110 §4.2.4: userinfo in an http(s) URI is deprecated and a known phishing vehicle.
        guard !authority.contains(UInt8(ascii: "@")) else {
            throw RequestTargetError(reason: "userinfo in authority")
        }
        let rest = afterScheme[authorityEnd...]
        // `http://host` and `http://host?q` address the root.
        return rest.first == UInt8(ascii: "/") ? rest : Array("/".utf8)[...] + rest
    }

    /// Percent-decodes one segment, refusing anything that could change how the path is split or stored.
    private static func decodeSegment(_ raw: ArraySlice<UInt8>) throws(RequestTargetError) -> String {
        guard raw.contains(UInt8(ascii: "%")) else {
            return String(decoding: raw, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            guard byte == UInt8(ascii: "%") else {
                decoded.append(byte)
                index += 1
                continue
            }
            guard raw.endIndex - index >= 3,
                let high = Hex.value(of: raw[index + 1]), let low = Hex.value(of: raw[index + 2])
            else { throw RequestTargetError(reason: "malformed percent-encoding") }
            let value = high << 4 | low
            if value == UInt8(ascii: "/") {
                throw RequestTargetError(reason: "encoded slash")
            }
            if value == 0 {
                throw RequestTargetError(reason: "encoded NUL")
            }
            decoded.append(value)
            index += 3
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw RequestTargetError(reason: "invalid UTF-8")
        }
        return text
    }

    /// Encodes segments into an absolute path (`/a/b`, or `/` for none) for a Location field or an href.
    ///
    /// Keeps RFC 3986 unreserved characters and the sub-delims, `:` and `@` that are legal in a path segment;
    /// everything else, notably `%`, `?`, `#`, space, and non-ASCII, is percent-encoded as UTF-8.
    public static func percentEncodePath(_ segments: [String]) -> String {
        "/" + segments.map { percentEncodeSegment($0) }.joined(separator: "/")
    }

    /// Encodes one segment. With `encodeColon`, `:` is encoded too, so a relative reference made from the
    /// segment can never be read as a scheme such as `javascript:`.
    package static func percentEncodeSegment(_ segment: String, encodeColon: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(segment.utf8.count)
        for byte in segment.utf8 {
            if isAllowedInSegment(byte), !(encodeColon && byte == UInt8(ascii: ":")) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                Hex.append(byte, to: &output, uppercase: true)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// What a path segment may hold unencoded (RFC 3986 §3.3): unreserved characters, sub-delims, ":" and "@".
    private static let segmentBytes = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@".utf8)

    private static func isAllowedInSegment(_ byte: UInt8) -> Bool {
        segmentBytes.contains(byte)
    }
}
