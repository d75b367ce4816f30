// What a line protocol's pure server session (SMTP, POP3, IMAP) offers the driver that connects it to a socket.

/// A server session written without I/O: the client's bytes and the answers to its own requests go in, actions
/// come out. ``LineProtocolDriver`` feeds it from a connection and carries out what it asks.
///
/// Besides writing and closing, a session may ask for work that blocks or takes time (storing a message,
/// checking a password). It then waits for the answer, buffering any pipelined input, and says so through
/// ``isWaiting``; the driver stops reading and does not time the client out meanwhile, because the wait is ours.
public protocol LineProtocolSession: SendableMetatype {
    /// One step the session asks of the I/O layer, in order.
    associatedtype Action

    /// True from an action that asks for work until the session has been given its answer.
    var isWaiting: Bool { get }

    /// The greeting, once the connection is up.
    mutating func start() -> [Action]
    /// Any chunk of the client's byte stream, however split.
    mutating func receive(_ bytes: [UInt8]) -> [Action]
    /// The client stayed silent for the driver's idle timeout.
    mutating func timedOut() -> [Action]
    /// The server is stopping.
    mutating func shuttingDown() -> [Action]
}
