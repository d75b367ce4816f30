// Builds the trace header the receiving SMTP server must prepend (RFC 5321 §4.4).

enum ReceivedHeader {
    /// "Received: from helo ([peer])\r\n\tby host with ESMTP id ID\r\n\tfor <rcpt>; date\r\n"; the "for" clause only
    /// with exactly one recipient, so a multi-recipient message does not disclose its other (Bcc) recipients.
    static func build(
        heloName: String,
        peer: String,
        hostname: String,
        usedExtensions: Bool,
        id: String,
        recipients: [String],
        date: String
    ) -> [UInt8] {
        let protocolName = usedExtensions ? "ESMTP" : "SMTP"
        var header = "Received: from \(ASCII.sanitized(heloName)) (\(addressLiteral(peer)))\r\n"
        header += "\tby \(ASCII.sanitized(hostname)) with \(protocolName) id \(ASCII.sanitized(id))"
        if recipients.count == 1, let recipient = recipients.first {
            header += "\r\n\tfor <\(ASCII.sanitized(recipient))>"
        }
        header += "; \(ASCII.sanitized(date))\r\n"
        return Array(header.utf8)
    }

    /// TCP-info in RFC 5321 §4.4 is an address literal: "[192.0.2.1]" or "[IPv6:2001:db8::1]".
    static func addressLiteral(_ peer: String) -> String {
        let clean = ASCII.sanitized(peer)
        if clean.hasPrefix("[") { return clean }
        return clean.contains(":") ? "[IPv6:\(clean)]" : "[\(clean)]"
    }
}
