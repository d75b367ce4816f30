// What the I/O layer must do next on behalf of a POP3 session; the session itself performs no I/O.

/// One step for the I/O layer, in order. After `authenticate`, `load` or `update` the session waits for the
/// matching answer; after `close` it does nothing more.
public enum POP3Action: Sendable, Equatable {
    /// Write these bytes to the client (a complete single- or multi-line response).
    case reply([UInt8])
    /// Check this user's password and lock their maildrop; answer with `authenticationFinished(_:)`.
    /// No other input is processed until then.
    case authenticate(user: String, password: [UInt8])
    /// Load message `index` (0-based into the listing): whole (`bodyLines == nil`, RETR, which also marks
    /// it seen) or headers plus `bodyLines` body lines (TOP). Answer with `messageLoaded(_:)`.
    case load(index: Int, bodyLines: Int?)
    /// QUIT in the TRANSACTION state: delete these messages (0-based), then answer `updateFinished(_:)`.
    case update(deleting: [Int])
    /// The session is over: release the maildrop lock if one is held, then close after writing earlier replies.
    case close
}
