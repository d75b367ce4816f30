// The settings one POP3 session needs, kept apart so a server can share them between its connections.

/// Limits and naming for a ``POP3Session``.
public struct POP3Configuration: Sendable {
    /// The name in the greeting and the signing-off reply.
    public var hostname: String
    /// Failed USER/PASS attempts allowed in one session before "-ERR" and close.
    public var maximumFailedLogins: Int = 3
    /// Protocol errors (unknown commands, bad arguments) allowed before "-ERR" and close.
    public var maximumErrors: Int = 20

    public init(hostname: String) {
        self.hostname = hostname
    }
}
