// The session's command handlers (RFC 5321 §4.1.1), kept apart from the stream handling so each stays readable.

extension SMTPSession {
    /// Commands recognised but not offered; 502 tells the client not to retry them (RFC 5321 §4.2.4).
    static let unimplementedVerbs: Set<String> = [
        "EXPN", "TURN", "ETRN", "ATRN", "BDAT", "STARTTLS", "AUTH", "SEND", "SOML", "SAML",
    ]

    mutating func execute(_ line: [UInt8], ending: LineEnding, into actions: inout [SMTPAction]) {
        // Trailing blanks are forgiven because many clients send "DATA " or "QUIT\t".
        var end = line.count
        while end > 0 && (line[end - 1] == ASCII.space || line[end - 1] == ASCII.tab) { end -= 1 }
        let trimmed = line[0..<end]
        let verbEnd = trimmed.firstIndex(of: ASCII.space) ?? trimmed.endIndex
        let arguments = ASCII.droppingLeadingSpaces(trimmed[verbEnd...])
        switch ASCII.uppercasedToken(trimmed[..<verbEnd]) {
        case "EHLO": hello(arguments, extended: true, into: &actions)
        case "HELO": hello(arguments, extended: false, into: &actions)
        case "MAIL": mail(arguments, into: &actions)
        case "RCPT": recipient(arguments, into: &actions)
        case "DATA": data(arguments, ending: ending, into: &actions)
        case "RSET":
            guard arguments.isEmpty else { return reject(.syntax("RSET"), into: &actions) }
            transaction = nil
            actions.append(.reply(.ok))
        case "NOOP":
            // RFC 5321 §4.1.1.9: a NOOP parameter is allowed and ignored.
            actions.append(.reply(.ok))
        case "QUIT":
            // Arguments are ignored: refusing to let a client leave helps nobody.
            actions.append(.reply(.bye))
            close(into: &actions)
        case "VRFY":
            guard !arguments.isEmpty else { return reject(.syntax("VRFY address"), into: &actions) }
            actions.append(.reply(.cannotVerify))
        case "HELP":
            actions.append(.reply(.help))
        case let verb? where Self.unimplementedVerbs.contains(verb):
            reject(.notImplemented, into: &actions)
        default:
            reject(.unknownCommand, into: &actions)
        }
    }

    private mutating func hello(_ arguments: ArraySlice<UInt8>, extended: Bool, into actions: inout [SMTPAction]) {
        // Exactly one visible-ASCII token: it is copied into the Received header, so nothing else may get in.
        guard !arguments.isEmpty, arguments.count <= MailPath.maximumDomainLength,
            arguments.allSatisfy(ASCII.isVisible)
        else {
            return reject(.syntax(extended ? "EHLO hostname" : "HELO hostname"), into: &actions)
        }
        greeting = (String(decoding: arguments, as: UTF8.self), extended)
        transaction = nil
        if extended {
            actions.append(
                .reply(
                    .ehlo(hostname: configuration.hostname, maximumMessageSize: configuration.maximumMessageSize)
                )
            )
        } else {
            actions.append(.reply(.helo(hostname: configuration.hostname)))
        }
    }

    private mutating func mail(_ arguments: ArraySlice<UInt8>, into actions: inout [SMTPAction]) {
        guard greeting != nil else { return reject(.sendHelloFirst, into: &actions) }
        guard transaction == nil else { return reject(.nestedMail, into: &actions) }
        guard ASCII.hasPrefix(arguments, ignoringCase: "FROM:"),
            let split = MailPath.split(ASCII.droppingLeadingSpaces(arguments.dropFirst(5)))
        else {
            return reject(.syntax("MAIL FROM:<address>"), into: &actions)
        }
        let parameters: MailParameters
        switch MailParameters.parse(split.rest) {
        case .success(let parsed): parameters = parsed
        case .failure(.syntax(let text)): return reject(.badParameter(text), into: &actions)
        case .failure(.unsupported(let name)): return reject(.unsupportedParameter(name), into: &actions)
        }
        let path: MailPath
        switch MailPath.parse(split.path) {
        case .success(let parsed): path = parsed
        case .failure(.tooLong): return reject(.badSender("path too long"), into: &actions)
        case .failure(.syntax): return reject(.badSender("<\(ASCII.echoable(split.path))>"), into: &actions)
        }
        if !path.isNull && path.domain.isEmpty {
            return reject(.badSender("domain required"), into: &actions)
        }
        guard let reversePath = decodeAddress(path, smtputf8: parameters.smtputf8, into: &actions) else { return }
        if let size = parameters.size, size > configuration.maximumMessageSize {
            return reject(.messageTooBig, into: &actions)
        }
        transaction = Transaction(
            reversePath: reversePath,
            smtputf8: parameters.smtputf8,
            eightBitMIME: parameters.eightBitMIME
        )
        actions.append(.reply(.senderOk))
    }

    private mutating func recipient(_ arguments: ArraySlice<UInt8>, into actions: inout [SMTPAction]) {
        guard let current = transaction else { return reject(.needMail, into: &actions) }
        guard ASCII.hasPrefix(arguments, ignoringCase: "TO:"),
            let split = MailPath.split(ASCII.droppingLeadingSpaces(arguments.dropFirst(3)))
        else {
            return reject(.syntax("RCPT TO:<address>"), into: &actions)
        }
        // No RCPT extension (DSN etc.) is advertised, so any parameter is unsupported.
        if let name = split.rest.split(separator: ASCII.space).first {
            let keyword = name.prefix { $0 != ASCII.equals }
            return reject(.unsupportedParameter(ASCII.echoable(keyword)), into: &actions)
        }
        let path: MailPath
        switch MailPath.parse(split.path) {
        case .success(let parsed): path = parsed
        case .failure(.tooLong): return reject(.badRecipient("path too long"), into: &actions)
        case .failure(.syntax): return reject(.badRecipient("<\(ASCII.echoable(split.path))>"), into: &actions)
        }
        if path.isNull { return reject(.badRecipient("<>"), into: &actions) }
        // RFC 5321 §4.5.1: <postmaster> without a domain must always be accepted.
        let isBarePostmaster = path.domain.isEmpty && ASCII.equalsIgnoringCase(path.localPart[...], "postmaster")
        if path.domain.isEmpty && !isBarePostmaster {
            return reject(.badRecipient("domain required"), into: &actions)
        }
        guard let address = decodeAddress(path, smtputf8: current.smtputf8, into: &actions) else { return }
        if !isBarePostmaster && !acceptedDomains.isEmpty {
            let domain = String(decoding: path.domain.map(ASCII.lowercased), as: UTF8.self)
            if !acceptedDomains.contains(domain) {
                return reject(.relayDenied(address), into: &actions)
            }
        }
        if current.recipients.count >= configuration.maximumRecipients {
            // Not counted as a client error: it is flow control the client must handle (RFC 5321 §4.5.3.1.10),
            // and counting it would close sessions of clients legitimately sending to many recipients.
            actions.append(.reply(.tooManyRecipients))
            return
        }
        transaction?.recipients.append(address)
        actions.append(.reply(.recipientOk))
    }

    private mutating func data(_ arguments: ArraySlice<UInt8>, ending: LineEnding, into actions: inout [SMTPAction]) {
        guard let current = transaction else { return reject(.needMail, into: &actions) }
        guard !current.recipients.isEmpty else { return reject(.needRecipient, into: &actions) }
        guard arguments.isEmpty else { return reject(.syntax("DATA"), into: &actions) }
        collector = DataCollector(
            maximumSize: configuration.maximumMessageSize,
            strictLineEndings: configuration.strictLineEndings,
            dataCommandEndedWithCRLF: ending == .crlf
        )
        actions.append(.reply(.startData))
    }

    /// The mailbox as a String, enforcing RFC 6531: non-ASCII only with SMTPUTF8, and then valid UTF-8.
    private mutating func decodeAddress(
        _ path: MailPath,
        smtputf8: Bool,
        into actions: inout [SMTPAction]
    ) -> String? {
        if path.isASCII { return String(decoding: path.mailbox, as: UTF8.self) }
        guard smtputf8 else {
            reject(.needSMTPUTF8, into: &actions)
            return nil
        }
        guard let text = String(validating: path.mailbox, as: UTF8.self) else {
            reject(.invalidUTF8, into: &actions)
            return nil
        }
        return text
    }
}
