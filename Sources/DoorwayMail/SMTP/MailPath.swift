// Parses and validates RFC 5321 reverse- and forward-paths (§4.1.2), because addresses arrive as untrusted octets
// and end up in the envelope and the Received header.

struct MailPath: Sendable, Equatable {
    enum Failure: Error, Equatable {
        /// Not a well-formed path or mailbox.
        case syntax
        /// Local part over 64, domain over 255 or path over 256 octets (RFC 5321 §4.5.3.1).
        case tooLong
    }

    static let maximumLocalPartLength = 64
    static let maximumDomainLength = 255
    static let maximumPathLength = 256

    /// The mailbox without brackets or source route; empty for the null path <>.
    var mailbox: [UInt8]
    /// The domain part; empty for the null path and for a bare local part such as <postmaster>.
    var domain: [UInt8]
    /// The local part exactly as written (quotes included).
    var localPart: [UInt8]

    var isNull: Bool { mailbox.isEmpty }
    var isASCII: Bool { mailbox.allSatisfy { $0 < 0x80 } }

    /// Splits a leading "<...>" from the command arguments. Returns nil when the brackets are missing or the
    /// path is not followed by end of line or a space (parameters).
    static func split(_ bytes: ArraySlice<UInt8>) -> (path: ArraySlice<UInt8>, rest: ArraySlice<UInt8>)? {
        guard bytes.first == ASCII.lessThan else { return nil }
        var inQuotes = false
        var escaped = false
        var index = bytes.index(after: bytes.startIndex)
        while index < bytes.endIndex {
            let byte = bytes[index]
            if escaped {
                escaped = false
            } else if inQuotes && byte == ASCII.backslash {
                escaped = true
            } else if byte == ASCII.quote {
                inQuotes.toggle()
            } else if byte == ASCII.greaterThan && !inQuotes {
                let rest = bytes[(index + 1)...]
                guard rest.isEmpty || rest.first == ASCII.space else { return nil }
                return (bytes[(bytes.startIndex + 1)..<index], rest)
            }
            index += 1
        }
        return nil
    }

    /// Validates the text between the angle brackets.
    static func parse(_ inner: ArraySlice<UInt8>) -> Result<MailPath, Failure> {
        if inner.count + 2 > maximumPathLength { return .failure(.tooLong) }
        if inner.isEmpty { return .success(MailPath(mailbox: [], domain: [], localPart: [])) }
        var mailbox = inner
        if inner.first == ASCII.at {
            // A source route "@a,@b:" is obsolete (RFC 5321 §4.1.1.3, Appendix C); tolerate it and drop it.
            guard let colon = inner.firstIndex(of: ASCII.colon), isValidRoute(inner[..<colon]) else {
                return .failure(.syntax)
            }
            mailbox = inner[(colon + 1)...]
        }
        guard !mailbox.isEmpty else { return .failure(.syntax) }
        guard let localEnd = endOfLocalPart(mailbox) else { return .failure(.syntax) }
        let localPart = mailbox[..<localEnd]
        guard !localPart.isEmpty else { return .failure(.syntax) }
        var domain: ArraySlice<UInt8> = []
        if localEnd < mailbox.endIndex {
            guard mailbox[localEnd] == ASCII.at else { return .failure(.syntax) }
            domain = mailbox[(localEnd + 1)...]
            guard isValidDomain(domain) else { return .failure(.syntax) }
        }
        if localPart.count > maximumLocalPartLength || domain.count > maximumDomainLength {
            return .failure(.tooLong)
        }
        return .success(MailPath(mailbox: Array(mailbox), domain: Array(domain), localPart: Array(localPart)))
    }

    /// The index just past the local part (at the "@" or the end), or nil when the local part is malformed.
    private static func endOfLocalPart(_ mailbox: ArraySlice<UInt8>) -> Int? {
        if mailbox.first == ASCII.quote {
            var escaped = false
            var index = mailbox.startIndex + 1
            while index < mailbox.endIndex {
                let byte = mailbox[index]
                if escaped {
                    // quoted-pairSMTP: backslash followed by any printable ASCII (RFC 5321 §4.1.2).
                    guard byte >= 0x20 && byte <= 0x7E else { return nil }
                    escaped = false
                } else if byte == ASCII.backslash {
                    escaped = true
                } else if byte == ASCII.quote {
                    return index + 1
                } else if byte < 0x20 || byte == 0x7F {
                    return nil
                }
                index += 1
            }
            return nil
        }
        var index = mailbox.startIndex
        while index < mailbox.endIndex && mailbox[index] != ASCII.at {
            guard isAtomOctet(mailbox[index]) || mailbox[index] == ASCII.dot else { return nil }
            index += 1
        }
        return index
    }

    /// atext (RFC 5322 §3.2.3) plus UTF-8 octets, whose use is policed separately (SMTPUTF8).
    private static func isAtomOctet(_ byte: UInt8) -> Bool {
        if byte >= 0x80 || ASCII.isLetter(byte) || ASCII.isDigit(byte) { return true }
        return Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(byte)
    }

    /// A domain name (letters, digits, hyphen, underscore and UTF-8 labels) or an address literal "[...]".
    static func isValidDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        guard let first = domain.first else { return false }
        if first == ASCII.leftBracket {
            guard domain.count > 2, domain.last == ASCII.rightBracket else { return false }
            let literal = domain.dropFirst().dropLast()
            return literal.allSatisfy {
                ASCII.isVisible($0) && $0 != ASCII.leftBracket && $0 != ASCII.rightBracket && $0 != ASCII.backslash
            }
        }
        let labels = domain.split(separator: ASCII.dot, omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63
                && label.allSatisfy {
                    $0 >= 0x80 || ASCII.isLetter($0) || ASCII.isDigit($0) || $0 == UInt8(ascii: "-")
                        || $0 == UInt8(ascii: "_")
                }
        }
    }

    private static func isValidRoute(_ route: ArraySlice<UInt8>) -> Bool {
        route.split(separator: ASCII.comma, omittingEmptySubsequences: false).allSatisfy { hop in
            hop.first == ASCII.at && isValidDomain(hop.dropFirst())
        }
    }
}
