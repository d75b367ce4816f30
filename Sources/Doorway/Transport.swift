// The transport protocol an application chooses for its messages.

/// The transport protocol beneath a socket.
///
/// TCP and Unix stream sockets carry a reliable byte stream; UDP carries datagrams, each one a message.
public enum Transport: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A reliable, ordered byte stream between two IP endpoints.
    case tcp
    /// Datagrams between IP endpoints: one message is one datagram.
    case udp
    /// A reliable byte stream between two processes on one host, addressed by a path.
    case unix

    public var description: String { rawValue }

    /// Whether the transport carries a byte stream (as opposed to datagrams).
    public var isStream: Bool { self != .udp }
}
