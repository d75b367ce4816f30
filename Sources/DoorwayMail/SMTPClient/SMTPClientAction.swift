// What the I/O-free SMTP client asks its network layer to do, so the protocol logic never touches a socket.

/// One step for the network layer driving an `SMTPClientSession`, performed in order.
public enum SMTPClientAction: Sendable, Equatable {
    /// Write these octets to the server.
    case send([UInt8])
    /// The transaction is over (QUIT has already been sent when the server could still take it): close the
    /// connection. Exactly one `.finished` is ever produced per session.
    case finished(SMTPClientOutcome)
}
