// The fixed set of replies the session sends, gathered in one place so codes and texts stay consistent.
// Enhanced status codes (RFC 2034/3463) appear on every reply except the 220 greeting, the HELO/EHLO replies
// (RFC 2034 §3 exempts them; EHLO keyword lines must stay parseable) and 354 (there is no class-3 enhanced code).

extension SMTPReply {
    static func greeting(_ hostname: String) -> SMTPReply {
        SMTPReply(220, "\(hostname) ESMTP door")
    }

    static func ehlo(hostname: String, maximumMessageSize: Int) -> SMTPReply {
        SMTPReply(
            code: 250,
            lines: [
                hostname, "SIZE \(max(0, maximumMessageSize))", "8BITMIME", "SMTPUTF8", "PIPELINING",
                "ENHANCEDSTATUSCODES", "HELP",
            ]
        )
    }

    static func helo(hostname: String) -> SMTPReply { SMTPReply(250, hostname) }
    static let ok = SMTPReply(250, "2.0.0 Ok")
    static let senderOk = SMTPReply(250, "2.1.0 Ok")
    static let recipientOk = SMTPReply(250, "2.1.5 Ok")
    static let startData = SMTPReply(354, "End data with <CR><LF>.<CR><LF>")
    static let bye = SMTPReply(221, "2.0.0 Bye")
    static let cannotVerify = SMTPReply(252, "2.5.2 Cannot VRFY user, but will accept message")
    static let help = SMTPReply(214, "2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP")

    static func queued(_ id: String) -> SMTPReply { SMTPReply(250, "2.0.0 Ok: queued as \(id)") }

    static func temporaryFailure(_ reason: String) -> SMTPReply {
        SMTPReply(451, "4.3.0 Error: \(reason.isEmpty ? "local storage error" : reason)")
    }

    static func insufficientStorage(_ reason: String) -> SMTPReply {
        SMTPReply(452, "4.3.1 Insufficient system storage\(reason.isEmpty ? "" : ": " + reason)")
    }

    static func shuttingDown(_ hostname: String) -> SMTPReply {
        SMTPReply(421, "4.3.2 \(hostname) Service shutting down")
    }

    static func permanentFailure(_ reason: String) -> SMTPReply {
        SMTPReply(554, "5.3.0 Error: \(reason.isEmpty ? "message not stored" : reason)")
    }

    static let unknownCommand = SMTPReply(500, "5.5.2 Error: command not recognized")
    static let notImplemented = SMTPReply(502, "5.5.1 Error: command not implemented")
    static let lineTooLong = SMTPReply(500, "5.5.6 Error: line too long")
    static let bareLineFeed = SMTPReply(554, "5.5.2 Error: bare <LF> received")

    static func syntax(_ usage: String) -> SMTPReply { SMTPReply(501, "5.5.4 Syntax: \(usage)") }
    static func badParameter(_ text: String) -> SMTPReply { SMTPReply(501, "5.5.4 Error: \(text)") }
    static func unsupportedParameter(_ name: String) -> SMTPReply {
        SMTPReply(555, "5.5.4 Unsupported option: \(name)")
    }

    static let sendHelloFirst = SMTPReply(503, "5.5.1 Error: send HELO/EHLO first")
    static let nestedMail = SMTPReply(503, "5.5.1 Error: nested MAIL command")
    static let needMail = SMTPReply(503, "5.5.1 Error: need MAIL command")
    static let needRecipient = SMTPReply(503, "5.5.1 Error: need RCPT command")

    static func badSender(_ text: String) -> SMTPReply { SMTPReply(501, "5.1.7 Bad sender address syntax: \(text)") }
    static func badRecipient(_ text: String) -> SMTPReply {
        SMTPReply(501, "5.1.3 Bad recipient address syntax: \(text)")
    }

    static let needSMTPUTF8 = SMTPReply(553, "5.6.7 Non-ASCII address requires SMTPUTF8")
    static let invalidUTF8 = SMTPReply(553, "5.6.7 Address is not valid UTF-8")
    static func relayDenied(_ address: String) -> SMTPReply {
        SMTPReply(550, "5.7.1 <\(address)>: Relaying denied")
    }

    static let tooManyRecipients = SMTPReply(452, "4.5.3 Error: too many recipients")
    static let messageTooBig = SMTPReply(552, "5.3.4 Error: message file too big")
    static let messageLineTooLong = SMTPReply(550, "5.6.0 Error: message line longer than 1000 octets")

    static func tooManyErrors(_ hostname: String) -> SMTPReply {
        SMTPReply(421, "4.7.0 \(hostname) Error: too many errors")
    }

    static func tooMuchPipelinedInput(_ hostname: String) -> SMTPReply {
        SMTPReply(421, "4.7.0 \(hostname) Error: too much pipelined input")
    }

    static func timeout(_ hostname: String) -> SMTPReply {
        SMTPReply(421, "4.4.2 \(hostname) Error: timeout exceeded")
    }
}
