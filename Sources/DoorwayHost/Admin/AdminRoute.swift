// Decides what an admin request asks for from its method, target and credentials alone: no I/O, so every
// access-control and path rule is testable with strings.

import DoorwayHTTP

/// What one request to the admin endpoint asks for, or why it is refused.
enum AdminRoute: Equatable, Sendable {
    case dashboard
    /// `/_door` without its slash: the page's relative links need the slash.
    case redirect(location: String)
    case metrics
    case services
    case torrents
    case status(mailbox: String?)
    case mailboxes
    case messages(mailbox: String?)
    case message(id: String)
    case messageHTML(id: String)
    case unauthorized
    case notFound
    case methodNotAllowed
    case badRequest(String)

    /// Routes `target` for `method` (its name as sent, such as `GET`).
    ///
    /// The token is checked first, so nothing (not even which paths exist) is told to a client without it.
    /// Paths are matched segment by segment after percent-decoding and are never normalised: `..` or an encoded
    /// slash in an id is refused with 400, and no segment ever becomes part of a file path unchecked.
    ///
    /// - Parameters:
    ///   - authorization: the request's `Authorization` field, if any.
    ///   - token: the token the endpoint requires, or nil for none.
    init(method: String, target: String, authorization: String?, token: String?) {
        let (path, rawQuery) = Self.split(target)
        let query = rawQuery.flatMap(QueryString.init)
        if let token {
            let offered = Self.bearer(authorization) ?? query?.text("token")
            guard let offered, Self.constantTimeEqual(offered, token) else {
                self = .unauthorized
                return
            }
        }
        if rawQuery != nil && query == nil {
            self = .badRequest("malformed percent-encoding in the query")
            return
        }
        guard let segments = Self.segments(path) else {
            self = .badRequest("malformed percent-encoding in the path")
            return
        }
        let route = Self.route(segments, query: query ?? QueryString(), rawQuery: rawQuery)
        switch route {
        case .notFound, .badRequest:
            self = route
        default:
            self = method == "GET" || method == "HEAD" ? route : .methodNotAllowed
        }
    }

    private static func route(_ segments: [String], query: QueryString, rawQuery: Substring?) -> AdminRoute {
        switch segments {
        case ["metrics"]:
            return .metrics
        case ["_door"]:
            // Only a plain query is carried over, so no byte of the request can reach the Location field raw.
            let kept = rawQuery.flatMap { $0.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } ? "?" + $0 : nil } ?? ""
            return .redirect(location: "/_door/" + kept)
        case ["_door", ""]:
            return .dashboard
        case ["_door", "api", "services"]:
            return .services
        case ["_door", "api", "torrents"]:
            return .torrents
        case ["_door", "api", "status"]:
            return mailbox(in: query).map(AdminRoute.status) ?? .badRequest(badMailbox)
        case ["_door", "api", "mail", "mailboxes"]:
            return .mailboxes
        case ["_door", "api", "mail", "messages"]:
            return mailbox(in: query).map(AdminRoute.messages) ?? .badRequest(badMailbox)
        default:
            guard segments.count >= 5, Array(segments.prefix(4)) == ["_door", "api", "mail", "messages"] else {
                return .notFound
            }
            let id = segments[4]
            guard isPlainName(id) else {
                return .badRequest("a message id is a plain name: letters, digits and . , _ = : + -, without '..'")
            }
            switch segments.count {
            case 5: return .message(id: id)
            case 6 where segments[5] == "html": return .messageHTML(id: id)
            default: return .notFound
            }
        }
    }

    private static let badMailbox = "a mailbox is a plain name, as /_door/api/mail/mailboxes lists them"

    /// The `mailbox` parameter: `.some(nil)` when absent or empty, nil when it is not a plain name.
    private static func mailbox(in query: QueryString) -> String?? {
        guard let name = query.text("mailbox"), !name.isEmpty else { return .some(nil) }
        return isMailboxName(name) ? .some(name) : nil
    }

    /// A Maildir unique name or its short id: nothing that could name a folder, a parent or a hidden file.
    static func isPlainName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 255, bytes.first != UInt8(ascii: "."), !text.contains("..") else {
            return false
        }
        return bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || ".,_=:+-".utf8.contains(byte)
        }
    }

    /// A mailbox folder name as the store writes them (an address, with `%XX` for unsafe bytes).
    static func isMailboxName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 255, bytes.first != UInt8(ascii: "."), !text.contains("..") else {
            return false
        }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\\") }
    }

    /// The path and the raw query (after `?`, nil without one). A fragment is not sent by clients; dropped.
    static func split(_ target: String) -> (path: Substring, query: Substring?) {
        let withoutFragment = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard let mark = withoutFragment.firstIndex(of: "?") else { return (withoutFragment, nil) }
        return (withoutFragment[..<mark], withoutFragment[withoutFragment.index(after: mark)...])
    }

    /// The percent-decoded segments after the leading slash, empty ones kept (`/_door/` is `["_door", ""]`).
    /// Nil for a target that is not a path or has a malformed escape.
    static func segments(_ path: Substring) -> [String]? {
        guard path.first == "/" else { return nil }
        var segments: [String] = []
        for raw in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let decoded = QueryString.decode(raw.utf8, plusIsSpace: false) else { return nil }
            segments.append(String(decoding: decoded, as: UTF8.self))
        }
        return segments
    }

    /// The credentials of `Authorization: Bearer TOKEN` (scheme compared case-insensitively).
    static func bearer(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let credentials = parts[1].drop { $0 == " " }
        return credentials.isEmpty ? nil : String(credentials)
    }

    /// Compares in time that depends only on the lengths, so the token cannot be guessed byte by byte.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
