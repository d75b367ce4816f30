// The session's command handlers (RFC 1939 §4–§6, RFC 2449 CAPA), kept apart from the stream handling.

extension POP3Session {
    /// Known elsewhere but not offered here: STLS (no TLS on this port) and AUTH (no SASL, RFC 5034 allows -ERR).
    /// They are not counted as errors, because clients probe for them legitimately.
    static let unsupportedVerbs: Set<String> = ["STLS", "AUTH"]
    static let authorizationVerbs: Set<String> = ["USER", "PASS"]
    static let transactionVerbs: Set<String> = ["STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "NOOP", "RSET"]

    mutating func execute(_ line: [UInt8], into actions: inout [POP3Action]) {
        // Trailing blanks are forgiven because clients send "STAT " or "QUIT\t"; PASS reads the raw line instead,
        // since a password may end in blanks.
        var end = line.count
        while end > 0 && (line[end - 1] == ASCII.space || line[end - 1] == ASCII.tab) { end -= 1 }
        let trimmed = line[0..<end]
        let verbEnd = trimmed.firstIndex(of: ASCII.space) ?? trimmed.endIndex
        let arguments = trimmed[verbEnd...].split(separator: ASCII.space)
        // PASS must come right after USER (RFC 1939 §7), so any other command, even a bad one, ends the pair.
        let pendingUser = user
        user = nil
        switch ASCII.uppercasedToken(trimmed[..<verbEnd]) {
        case "CAPA":
            guard arguments.isEmpty else { return reject("usage: CAPA", into: &actions) }
            actions.append(.reply(Self.capabilities(includingUser: state == .authorization)))
        case "QUIT":
            // Arguments are ignored: refusing to let a client leave helps nobody.
            quit(into: &actions)
        case let verb? where Self.unsupportedVerbs.contains(verb):
            actions.append(Self.reply("-ERR not supported"))
        case "USER" where state == .authorization:
            userCommand(trimmed[verbEnd...], into: &actions)
        case "PASS" where state == .authorization:
            pass(line, user: pendingUser, into: &actions)
        case let verb? where state == .transaction && Self.transactionVerbs.contains(verb):
            transaction(verb, arguments, into: &actions)
        case let verb? where Self.authorizationVerbs.contains(verb) || Self.transactionVerbs.contains(verb):
            reject("command not valid in this state", into: &actions)
        default:
            // APOP lands here too: passwords are stored as salted slow hashes, which APOP's digest cannot use.
            reject("unknown command", into: &actions)
        }
    }

    /// RFC 2449's CAPA list; USER only before login, where it is usable.
    static func capabilities(includingUser: Bool) -> [UInt8] {
        var lines = ["+OK capability list follows", "TOP"]
        if includingUser { lines.append("USER") }
        lines += ["UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "EXPIRE NEVER", "IMPLEMENTATION Doorway", "."]
        return lines.flatMap { Array($0.utf8) + ASCII.crlf }
    }

    private mutating func quit(into actions: inout [POP3Action]) {
        guard state == .transaction else {
            actions.append(Self.reply("+OK \(configuration.hostname) POP3 server signing off"))
            return close(into: &actions)
        }
        state = .update
        pending = .update
        actions.append(.update(deleting: deleted.indices.filter { deleted[$0] }))
    }

    private mutating func userCommand(_ rest: ArraySlice<UInt8>, into actions: inout [POP3Action]) {
        let name = ASCII.droppingLeadingSpaces(rest)
        guard !name.isEmpty else { return reject("usage: USER name", into: &actions) }
        // The name reaches the users file and logs, so no control octets and nothing that is not UTF-8.
        guard !name.contains(where: { $0 < ASCII.space || $0 == 0x7F }),
            let text = String(validating: name, as: UTF8.self)
        else {
            return reject("invalid user name", into: &actions)
        }
        user = text
        actions.append(Self.reply("+OK send PASS"))
    }

    private mutating func pass(_ line: [UInt8], user: String?, into actions: inout [POP3Action]) {
        // "PASS" is four octets; the password is everything after the single space that follows, kept verbatim.
        guard line.count > 4, line[4] == ASCII.space else { return reject("usage: PASS password", into: &actions) }
        guard let user else { return reject("send USER first", into: &actions) }
        pending = .authentication
        actions.append(.authenticate(user: user, password: Array(line[5...])))
    }

    private mutating func transaction(
        _ verb: String,
        _ arguments: [ArraySlice<UInt8>],
        into actions: inout [POP3Action]
    ) {
        switch verb {
        case "STAT":
            guard arguments.isEmpty else { return reject("usage: STAT", into: &actions) }
            actions.append(Self.reply("+OK \(remainingCount) \(totalSize)"))
        case "LIST":
            listing(arguments, usage: "LIST [msg]", into: &actions) { "\(max(0, $0.size))" }
        case "UIDL":
            listing(arguments, usage: "UIDL [msg]", into: &actions) { Self.printableID($0.uniqueID) }
        case "RETR":
            guard arguments.count == 1 else { return reject("usage: RETR msg", into: &actions) }
            guard let index = messageIndex(arguments[0]) else { return reject("no such message", into: &actions) }
            pending = .load(index: index, bodyLines: nil)
            actions.append(.load(index: index, bodyLines: nil))
        case "TOP":
            guard arguments.count == 2 else { return reject("usage: TOP msg n", into: &actions) }
            guard let index = messageIndex(arguments[0]) else { return reject("no such message", into: &actions) }
            guard let lines = Self.number(arguments[1]) else {
                return reject("invalid number of lines", into: &actions)
            }
            pending = .load(index: index, bodyLines: lines)
            actions.append(.load(index: index, bodyLines: lines))
        case "DELE":
            guard arguments.count == 1 else { return reject("usage: DELE msg", into: &actions) }
            guard let index = messageIndex(arguments[0]) else { return reject("no such message", into: &actions) }
            deleted[index] = true
            actions.append(Self.reply("+OK message \(index + 1) deleted"))
        case "NOOP":
            guard arguments.isEmpty else { return reject("usage: NOOP", into: &actions) }
            actions.append(Self.reply("+OK"))
        case "RSET":
            guard arguments.isEmpty else { return reject("usage: RSET", into: &actions) }
            deleted = Array(repeating: false, count: messages.count)
            actions.append(Self.reply("+OK maildrop has \(messages.count) messages (\(totalSize) octets)"))
        default:
            reject("unknown command", into: &actions)
        }
    }

    /// LIST and UIDL: one message, or a multi-line list of every message not marked deleted.
    private mutating func listing(
        _ arguments: [ArraySlice<UInt8>],
        usage: String,
        into actions: inout [POP3Action],
        value: (POP3Message) -> String
    ) {
        switch arguments.count {
        case 0:
            let header =
                usage.hasPrefix("LIST")
                ? "+OK \(remainingCount) messages (\(totalSize) octets)" : "+OK unique-id listing follows"
            var bytes = Array(header.utf8) + ASCII.crlf
            for index in messages.indices where !deleted[index] {
                bytes += Array("\(index + 1) \(value(messages[index]))".utf8) + ASCII.crlf
            }
            bytes += [ASCII.dot] + ASCII.crlf
            actions.append(.reply(bytes))
        case 1:
            guard let index = messageIndex(arguments[0]) else { return reject("no such message", into: &actions) }
            actions.append(Self.reply("+OK \(index + 1) \(value(messages[index]))"))
        default:
            reject("usage: \(usage)", into: &actions)
        }
    }

    /// The 0-based index for a message number, or nil if it is not plain digits, out of range or deleted
    /// (RFC 1939 §5: deleted messages are not to be listed or retrieved).
    func messageIndex(_ argument: ArraySlice<UInt8>) -> Int? {
        guard let number = Self.number(argument), number >= 1, number <= messages.count,
            !deleted[number - 1]
        else { return nil }
        return number - 1
    }

    /// A non-negative decimal made of digits only, or nil; values beyond Int are nil rather than a trap.
    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy(ASCII.isDigit) else { return nil }
        var value = 0
        for byte in bytes {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int(byte - 0x30))
            if overflowA || overflowB { return nil }
            value = sum
        }
        return value
    }

    /// A unique id as it may appear in a UIDL line: anything outside 0x21–0x7E would break the line's format.
    static func printableID(_ id: String) -> String {
        let bytes = id.utf8.prefix(70).map { ASCII.isVisible($0) ? $0 : UInt8(ascii: "?") }
        return bytes.isEmpty ? "?" : String(decoding: bytes, as: UTF8.self)
    }
}
