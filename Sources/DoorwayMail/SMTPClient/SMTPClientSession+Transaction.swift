// Starting the mail transaction: the checks that must pass before MAIL and the MAIL/RCPT command lines, kept
// apart because they decide which extensions to rely on.

extension SMTPClientSession {
    var mailCommand: String {
        "MAIL FROM:<\(reversePath)>" + mailParameters.map { " " + $0 }.joined()
    }

    func rcptCommand(_ index: Int) -> String {
        "RCPT TO:<\(recipients[index])>"
    }

    private var needsSMTPUTF8: Bool {
        ([reversePath] + recipients).contains { !$0.utf8.allSatisfy { $0 < 0x80 } }
    }

    /// RFC 1870 SIZE, RFC 6152 BODY=8BITMIME and RFC 6531 SMTPUTF8, each only when offered and needed.
    private var mailParameters: [String] {
        var parameters: [String] = []
        if extensions.maximumSize != nil { parameters.append("SIZE=\(data.size)") }
        if data.isEightBit && extensions.eightBitMIME { parameters.append("BODY=8BITMIME") }
        if needsSMTPUTF8 && extensions.smtputf8 { parameters.append("SMTPUTF8") }
        return parameters
    }

    /// Control octets would end the command line early (command injection); angle brackets would end the path.
    private static func isUsable(_ address: String) -> Bool {
        address.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 != ASCII.lessThan && $0 != ASCII.greaterThan }
    }

    /// Checks everything that can be known before MAIL, then sends MAIL (with pipelining also every RCPT and DATA).
    mutating func beginTransaction(into actions: inout [SMTPClientAction]) {
        if let error = transactionPrecondition() {
            fail(error, quit: true, into: &actions)
            return
        }
        if extensions.maximumSize != nil { usedExtensions.append("SIZE") }
        if data.isEightBit && extensions.eightBitMIME { usedExtensions.append("8BITMIME") }
        if needsSMTPUTF8 { usedExtensions.append("SMTPUTF8") }
        pipelined = extensions.pipelining
        state = .mail
        var commands = Array("\(mailCommand)\r\n".utf8)
        if pipelined {
            usedExtensions.append("PIPELINING")
            // RFC 2920 §3.1: MAIL, RCPT and DATA may share one write; DATA must be the last of the group.
            for index in recipients.indices {
                commands += Array("\(rcptCommand(index))\r\n".utf8)
            }
            commands += Array("DATA\r\n".utf8)
        }
        actions.append(.send(commands))
    }

    private func transactionPrecondition() -> SMTPClientError? {
        guard !recipients.isEmpty else {
            return SMTPClientError(stage: .rcpt, reason: .noRecipientAccepted([]))
        }
        if !Self.isUsable(reversePath) {
            return SMTPClientError(stage: .mail, reason: .invalidAddress(reversePath))
        }
        // An empty forward-path is never valid (RFC 5321 §4.1.2), unlike the null reverse-path.
        if let bad = recipients.first(where: { $0.isEmpty || !Self.isUsable($0) }) {
            return SMTPClientError(stage: .rcpt, reason: .invalidAddress(bad))
        }
        if !extensions.smtputf8,
            let address = ([reversePath] + recipients).first(where: {
                !$0.utf8.allSatisfy { $0 < 0x80 }
            })
        {
            return SMTPClientError(stage: .mail, reason: .smtputf8Required(address: address))
        }
        if let limit = extensions.maximumSize, limit > 0, data.size > limit {
            return SMTPClientError(stage: .mail, reason: .messageTooLarge(size: data.size, limit: limit))
        }
        return nil
    }
}
