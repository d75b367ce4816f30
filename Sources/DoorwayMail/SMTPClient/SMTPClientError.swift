// Why a client transaction failed, in SMTP's terms, so callers can decide between retrying later and bouncing.

/// The failure of an `SMTPClientSession`.
public struct SMTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The point of the conversation at which the transaction failed.
    public enum Stage: String, Sendable, Equatable {
        case greeting
        case ehlo = "EHLO"
        case helo = "HELO"
        case mail = "MAIL"
        case rcpt = "RCPT"
        case data = "DATA"
        /// After the message text was sent, awaiting the final reply.
        case message
    }

    public enum Reason: Sendable, Equatable {
        /// The server answered with a reply that ends the transaction (4xx, 5xx or an unexpected code).
        case reply(SMTPReply)
        /// Every RCPT was refused (or none was given), so no message was sent.
        case noRecipientAccepted([SMTPClientRejection])
        /// The data is larger than the server's SIZE limit (RFC 1870); detected before MAIL was sent.
        case messageTooLarge(size: Int, limit: Int)
        /// An address is not ASCII and the server does not offer SMTPUTF8 (RFC 6531 §3.2).
        case smtputf8Required(address: String)
        /// An address would break the command line (control octets or angle brackets).
        case invalidAddress(String)
        /// The client name is not usable as the EHLO/HELO argument.
        case invalidClientName(String)
        /// The server's octets are not valid SMTP replies; the server's state is unknown.
        case protocolViolation(String)
        /// The server closed the connection before the transaction finished.
        case connectionClosed
    }

    public var stage: Stage
    public var reason: Reason
    /// The command line the failing reply answered, without CRLF (e.g. "RCPT TO:<x@y>"); nil when no command
    /// was involved (greeting, end of data, or a failure found before sending).
    public var command: String?

    public init(stage: Stage, reason: Reason, command: String? = nil) {
        self.stage = stage
        self.reason = reason
        self.command = command
    }

    /// The server's reply when the failure is a refusal, for callers that only look at codes.
    public var reply: SMTPReply? {
        if case .reply(let reply) = reason { return reply }
        return nil
    }

    /// True for failures worth retrying later: a 4xx reply, or losing the connection mid-transaction
    /// (RFC 5321 §4.2.1, §6.1: the message is not delivered yet and the sender still owns it).
    public var isTransient: Bool {
        switch reason {
        case .reply(let reply):
            return reply.code / 100 == 4
        case .noRecipientAccepted(let rejections):
            return !rejections.isEmpty && rejections.allSatisfy { $0.reply.code / 100 == 4 }
        case .connectionClosed, .protocolViolation:
            return true
        case .messageTooLarge, .smtputf8Required, .invalidAddress, .invalidClientName:
            return false
        }
    }

    public var description: String {
        switch reason {
        case .reply(let reply):
            let what: String
            switch stage {
            case .greeting: what = "the connection"
            case .message: what = "the message"
            default: what = command.map(ASCII.sanitized) ?? stage.rawValue
            }
            return "server refused \(what): \(Self.text(of: reply))"
        case .noRecipientAccepted(let rejections):
            guard !rejections.isEmpty else { return "no recipient given" }
            let refusals = rejections.map { "RCPT TO:<\(ASCII.sanitized($0.recipient))>: \(Self.text(of: $0.reply))" }
            return "no recipient accepted: server refused \(refusals.joined(separator: "; "))"
        case .messageTooLarge(let size, let limit):
            return "message of \(size) octets exceeds the server's SIZE limit of \(limit) octets"
        case .smtputf8Required(let address):
            return "address <\(ASCII.sanitized(address))> is not ASCII and the server does not offer SMTPUTF8"
        case .invalidAddress(let address):
            return "invalid address <\(ASCII.sanitized(address))>: control octets and angle brackets are not allowed"
        case .invalidClientName(let name):
            return "invalid client name \"\(ASCII.sanitized(name))\": it must be visible ASCII without spaces"
        case .protocolViolation(let detail):
            return "protocol violation during \(stage.rawValue): \(detail)"
        case .connectionClosed:
            return "connection closed by the server during \(stage.rawValue)"
        }
    }

    /// "550 5.7.1 relay denied"; a multi-line reply's lines are joined by spaces to keep one line.
    static func text(of reply: SMTPReply) -> String {
        ASCII.sanitized(([String(reply.code)] + reply.lines.filter { !$0.isEmpty }).joined(separator: " "))
    }
}
