// An http:// URL, split into what a client needs: the server's endpoint and the request target.

import Doorway

/// An `http://host[:port]/path?query` URL.
///
/// ```swift
/// let address = try WebAddress(parsing: "http://[::1]:8080/docs/?page=2")
/// try address.endpoint   // [::1]:8080
/// address.target         // "/docs/?page=2"
/// ```
public struct WebAddress: Hashable, Sendable, CustomStringConvertible {
    /// The host as written (brackets removed from an IPv6 literal).
    public var host: String
    public var port: UInt16
    /// The request target: path and query, never empty.
    public var target: String

    public init(parsing text: String) throws(WebAddressError) {
        guard let schemeEnd = text.firstRange(of: "://") else {
            throw WebAddressError(text, "it has no scheme; write http://HOST/PATH")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" else {
            if scheme == "https" {
                throw WebAddressError(text, "https needs TLS, which door does not speak yet; use http://")
            }
            throw WebAddressError(text, "the scheme \"\(scheme)\" is not supported; use http://")
        }
        var rest = text[schemeEnd.upperBound...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let pathAndQuery = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw WebAddressError(text, "an IPv6 address needs a closing ]")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw WebAddressError(text, "unexpected text after ]") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw WebAddressError(text, "it has no host") }
        guard !host.contains(where: { $0 == " " || $0 == "\t" }) else {
            throw WebAddressError(text, "the host contains a space")
        }
        self.host = String(host)
        if let portText, !portText.isEmpty {
            guard let port = UInt16(portText), port > 0 else {
                throw WebAddressError(text, "the port \"\(portText)\" must be a number from 1 to 65535")
            }
            self.port = port
        } else {
            self.port = 80
        }
        let target = pathAndQuery.hasPrefix("?") ? "/" + pathAndQuery : String(pathAndQuery)
        guard !target.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw WebAddressError(text, "the path contains spaces or control characters; percent-encode them")
        }
        self.target = target.isEmpty ? "/" : target
    }

    /// The server to connect to.
    public var endpoint: Endpoint {
        get throws { try Endpoint(parsing: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)") }
    }

    /// The Host header value: the port only when it is not 80.
    public var authority: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    public var description: String { "http://\(authority)\(target)" }

    /// The last path segment, percent-decoded, as a file name (`-O`); nil when the path ends in `/`.
    public var fileName: String? {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard let last = path.split(separator: "/").last, !path.hasSuffix("/") else { return nil }
        let name = (try? RequestTarget.parse("/" + last))?.segments.last ?? String(last)
        return name.isEmpty || name.hasPrefix(".") ? nil : name
    }

    /// Resolves a `Location` header against this address (RFC 3986 §5.2, for the forms servers send).
    public func resolving(_ reference: String) throws(WebAddressError) -> WebAddress {
        if reference.contains("://") { return try WebAddress(parsing: reference) }
        if reference.hasPrefix("//") { return try WebAddress(parsing: "http:" + reference) }
        var resolved = self
        if reference.hasPrefix("/") {
            resolved.target = reference
        } else if reference.hasPrefix("?") {
            resolved.target =
                String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) + reference
        } else {
            let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let folder = path.lastIndex(of: "/").map { path[...$0] } ?? "/"
            resolved.target = folder + reference
        }
        return resolved
    }
}

/// A URL that `door get` cannot use, with the reason and the fix.
public struct WebAddressError: Error, CustomStringConvertible, Sendable {
    public var text: String
    public var reason: String

    init(_ text: String, _ reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "cannot use URL \"\(text)\": \(reason)" }
}
