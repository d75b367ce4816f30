// How the line-protocol driver treats one of a session's actions.

/// What ``LineProtocolDriver`` does with an action: the two every protocol has, and the protocol's own.
public enum LineProtocolStep: Sendable, Equatable {
    /// Write these bytes to the client (flushed once the batch of actions is done).
    case write([UInt8])
    /// Hand the action to the delegate's ``LineProtocolDelegate/carryOut(_:driver:context:)``.
    case carryOut
    /// Close the connection after the bytes written so far; later actions of the batch are dropped.
    case close
}
