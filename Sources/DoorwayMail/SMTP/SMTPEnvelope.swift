// The SMTP envelope of one accepted message, handed to the store alongside the message content.

public struct SMTPEnvelope: Sendable, Equatable {
    /// The argument of the client's HELO or EHLO.
    public var heloName: String
    /// The MAIL FROM mailbox without angle brackets; "" for the null reverse-path <>.
    public var reversePath: String
    /// Accepted RCPT TO mailboxes without angle brackets (source routes removed), in order.
    public var recipients: [String]
    /// The client's IP address as text.
    public var peer: String
    /// true after EHLO (ESMTP), false after HELO (SMTP).
    public var usedExtensions: Bool
    /// MAIL carried the SMTPUTF8 parameter (RFC 6531).
    public var smtputf8: Bool
    /// MAIL carried BODY=8BITMIME (RFC 6152).
    public var eightBitMIME: Bool

    public init(
        heloName: String,
        reversePath: String,
        recipients: [String],
        peer: String,
        usedExtensions: Bool,
        smtputf8: Bool,
        eightBitMIME: Bool
    ) {
        self.heloName = heloName
        self.reversePath = reversePath
        self.recipients = recipients
        self.peer = peer
        self.usedExtensions = usedExtensions
        self.smtputf8 = smtputf8
        self.eightBitMIME = eightBitMIME
    }
}
