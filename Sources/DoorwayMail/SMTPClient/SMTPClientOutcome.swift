// The record of one finished client transaction, kept for both success and failure because partial recipient
// results matter either way (a 552 after some refused RCPTs still tells the caller who was refused).

/// How an `SMTPClientSession` ended.
public struct SMTPClientOutcome: Sendable, Equatable {
    /// The server's final reply to the message data (e.g. "250 2.0.0 Ok: queued as X"), or why the transaction
    /// failed. Only a success means the server took responsibility for the message for `accepted`.
    public var result: Result<SMTPReply, SMTPClientError>
    /// Recipients whose RCPT got a 2xx reply, in the order given.
    public var accepted: [String]
    /// Recipients whose RCPT was refused, in the order given.
    public var rejected: [SMTPClientRejection]
    /// What the server advertised in its EHLO reply; empty after a HELO fallback or before EHLO succeeded.
    public var extensions: SMTPClientExtensions
    /// The extension keywords this transaction relied on, in the order they were applied
    /// (a subset of "SIZE", "8BITMIME", "SMTPUTF8", "PIPELINING").
    public var usedExtensions: [String]

    public init(
        result: Result<SMTPReply, SMTPClientError>,
        accepted: [String] = [],
        rejected: [SMTPClientRejection] = [],
        extensions: SMTPClientExtensions = SMTPClientExtensions(),
        usedExtensions: [String] = []
    ) {
        (self.result, self.accepted, self.rejected, self.extensions, self.usedExtensions) =
            (result, accepted, rejected, extensions, usedExtensions)
    }

    /// True when the server accepted the message for every recipient in `accepted`.
    public var isDelivered: Bool {
        if case .success = result { return true }
        return false
    }

    /// The failure, if the transaction did not succeed.
    public var error: SMTPClientError? {
        if case .failure(let error) = result { return error }
        return nil
    }
}
