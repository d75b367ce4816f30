// The outcome of a USER/PASS check, which the I/O layer computes off the event loop (slow hashes, file locks).

/// The I/O layer's answer to ``POP3Action/authenticate(user:password:)``.
public enum POP3Authentication: Sendable, Equatable {
    /// The password is right and the maildrop is locked; these are its messages, numbered from 1 in this order.
    case granted([POP3Message])
    /// Wrong user or password (the I/O layer has already delayed this answer).
    case denied
    /// Another session holds the maildrop → "-ERR [IN-USE] ...".
    case inUse
    /// Storage error → "-ERR [SYS/TEMP] ...".
    case unavailable(String)
}
