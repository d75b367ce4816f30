// One recipient the server refused, kept with the reply so callers can tell a retryable 4xx from a final 5xx.

/// A recipient refused at RCPT time, with the server's reply.
public struct SMTPClientRejection: Sendable, Equatable {
    /// The forward-path as given to the session, without angle brackets.
    public var recipient: String
    /// The server's reply to `RCPT TO:<recipient>`.
    public var reply: SMTPReply

    public init(recipient: String, reply: SMTPReply) { (self.recipient, self.reply) = (recipient, reply) }
}
