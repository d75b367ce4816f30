// The session's view of one maildrop message, fixed at login as RFC 1939 requires for the whole session.

/// One message of the maildrop as the session sees it at login: its size in octets as it will be sent
/// (with CRLF line endings, before dot-stuffing) and its unique id (1–70 chars 0x21–0x7E, RFC 1939 §7).
public struct POP3Message: Sendable, Equatable {
    /// Octets with CRLF line endings, before dot-stuffing; LIST, STAT and RETR's "+OK" report it.
    public var size: Int
    /// UIDL's id: 1 to 70 octets in 0x21–0x7E, the same in every session.
    public var uniqueID: String

    public init(size: Int, uniqueID: String) { (self.size, self.uniqueID) = (size, uniqueID) }
}
