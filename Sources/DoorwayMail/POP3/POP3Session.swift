// The I/O-free POP3 server session (RFC 1939, RFC 2449): it turns inbound octets and storage outcomes into replies
// and storage requests, so the networking layer only moves bytes and the protocol logic stays fully testable.

/// One POP3 connection's protocol state: bytes in, ``POP3Action``s out.
///
/// Deletions happen only through `.update`, which only QUIT in the TRANSACTION state produces; a timeout, a
/// shutdown or a lost connection leaves the maildrop untouched (RFC 1939 §6).
public struct POP3Session: PipelinedSession, Sendable {
    /// RFC 1939 §3's states. UPDATE lasts from QUIT until the I/O layer reports the deletions.
    enum State: Sendable, Equatable {
        case authorization
        case transaction
        case update
    }

    /// The storage request outstanding, so only its own answer is accepted and stray answers are ignored.
    enum Pending: Sendable, Equatable {
        case authentication
        case load(index: Int, bodyLines: Int?)
        case update
    }

    /// RFC 2449 §4: a command line is at most 255 octets including the CRLF.
    static let maximumCommandLength = 253
    /// Pipelined input held while a storage request is outstanding. The I/O layer stops reading meanwhile, so
    /// only a client far beyond any sane pipelining depth gets here; the excess is dropped and the session closes
    /// once the outstanding request has been answered.
    static let maximumBufferedInput = 64 * 1024
    /// Input is consumed in slices of this size so internal buffers stay bounded however large a receive() is.
    static let receiveSliceSize = 16 * 1024

    let configuration: POP3Configuration
    var reader = LineReader()
    var state = State.authorization
    var pending: Pending?
    var started = false
    /// The name from a successful USER; only the very next command may be its PASS (RFC 1939 §7).
    var user: String?
    /// The maildrop listing from login; numbering and sizes stay fixed for the session (RFC 1939 §5).
    var messages: [POP3Message] = []
    var deleted: [Bool] = []
    var failedLogins = 0
    var errorCount = 0
    var inputOverflowed = false

    /// True once the session has asked for `.close`; every later call returns no actions.
    public private(set) var isClosed = false

    /// True while an authenticate/load/update is outstanding; input meanwhile is buffered, not processed.
    public var isWaiting: Bool { pending != nil }

    public init(configuration: POP3Configuration) {
        self.configuration = configuration
    }

    /// The greeting, "+OK <hostname> POP3 ready"; later calls return nothing.
    public mutating func start() -> [POP3Action] {
        guard !started, !isClosed else { return [] }
        started = true
        return [Self.reply("+OK \(configuration.hostname) POP3 ready")]
    }

    /// Processes any chunk of the client's byte stream; every complete command is answered in order.
    public mutating func receive(_ bytes: [UInt8]) -> [POP3Action] {
        feed(bytes)
    }

    /// The answer to `.authenticate`: replies, then resumes processing buffered input.
    public mutating func authenticationFinished(_ result: POP3Authentication) -> [POP3Action] {
        guard pending == .authentication, !isClosed else { return [] }
        pending = nil
        var actions: [POP3Action] = []
        switch result {
        case .granted(let listing):
            state = .transaction
            messages = listing
            deleted = Array(repeating: false, count: listing.count)
            actions.append(Self.reply("+OK maildrop has \(listing.count) messages (\(totalSize) octets)"))
        case .denied:
            if failedLogins < Int.max { failedLogins += 1 }
            actions.append(Self.reply("-ERR [AUTH] invalid user name or password"))
            if failedLogins >= configuration.maximumFailedLogins {
                // The -ERR above is the answer to PASS; POP3 has no unsolicited replies, so just close.
                close(into: &actions)
            }
        case .inUse:
            // Not a failed login: the password was right, so it must not bring the client closer to a close.
            actions.append(Self.reply("-ERR [IN-USE] maildrop already locked"))
        case .unavailable(let reason):
            actions.append(Self.reply("-ERR [SYS/TEMP] \(reason)"))
        }
        resume(into: &actions)
        return actions
    }

    /// The loaded message in its stored form (LF or CRLF line endings), or nil if it could not be read.
    public mutating func messageLoaded(_ message: [UInt8]?) -> [POP3Action] {
        guard case .load(let index, let bodyLines)? = pending, !isClosed else { return [] }
        pending = nil
        var actions: [POP3Action] = []
        if let message {
            let status = bodyLines == nil ? "+OK \(max(0, messages[index].size)) octets" : "+OK"
            actions.append(.reply(Array(status.utf8) + ASCII.crlf + Self.multiLineBody(message, bodyLines: bodyLines)))
        } else {
            actions.append(Self.reply("-ERR [SYS/TEMP] cannot read message"))
        }
        resume(into: &actions)
        return actions
    }

    /// The answer to `.update`: nil when every marked message was removed, else what went wrong. Closes.
    public mutating func updateFinished(_ error: String?) -> [POP3Action] {
        guard pending == .update, !isClosed else { return [] }
        pending = nil
        var actions: [POP3Action] = []
        if let error {
            actions.append(Self.reply("-ERR [SYS/TEMP] some deleted messages not removed: \(error)"))
        } else {
            let hostname = configuration.hostname
            actions.append(Self.reply("+OK \(hostname) POP3 server signing off (\(remainingCount) messages left)"))
        }
        close(into: &actions)
        return actions
    }

    /// RFC 1939's autologout timer fired: "-ERR autologout" and close, deleting nothing. Also valid while waiting.
    public mutating func timedOut() -> [POP3Action] {
        guard !isClosed else { return [] }
        var actions: [POP3Action] = [Self.reply("-ERR autologout")]
        close(into: &actions)
        return actions
    }

    /// The server is stopping: "-ERR [SYS/TEMP] server shutting down" and close, deleting nothing.
    /// Also valid while waiting, because the storage threads may be what is going away.
    public mutating func shuttingDown() -> [POP3Action] {
        guard !isClosed else { return [] }
        var actions: [POP3Action] = [Self.reply("-ERR [SYS/TEMP] server shutting down")]
        close(into: &actions)
        return actions
    }

    /// The size of the messages not marked deleted, saturating so hostile sizes cannot trap.
    var totalSize: Int {
        var total = 0
        for (message, isDeleted) in zip(messages, deleted) where !isDeleted {
            let (sum, overflow) = total.addingReportingOverflow(max(0, message.size))
            total = overflow ? Int.max : sum
        }
        return total
    }

    var remainingCount: Int { deleted.lazy.filter { !$0 }.count }

    /// After a storage answer: close if pipelined input was dropped, else go on with what was buffered.
    private mutating func resume(into actions: inout [POP3Action]) {
        guard !isClosed else { return }
        if inputOverflowed {
            // Octets were dropped, so the rest of the stream can no longer be interpreted safely.
            actions.append(Self.reply("-ERR [SYS/TEMP] too much pipelined input"))
            close(into: &actions)
            return
        }
        processBufferedInput(into: &actions)
    }

    mutating func processBufferedInput(into actions: inout [POP3Action]) {
        while !isClosed && pending == nil {
            guard let event = reader.nextEvent(maximumLength: Self.maximumCommandLength) else { break }
            switch event {
            case .line(let line, _):
                execute(line, into: &actions)
            case .tooLong:
                // A PASS may be among the discarded octets, so the USER it would follow no longer counts.
                user = nil
                reject("line too long", into: &actions)
            case .endOfLongLine:
                break
            }
        }
        boundInput()
    }

    /// Sends "-ERR <text>" and counts it; reaching the limit closes after that reply.
    mutating func reject(_ text: String, into actions: inout [POP3Action]) {
        actions.append(Self.reply("-ERR \(text)"))
        if countError(limit: configuration.maximumErrors) { close(into: &actions) }
    }

    mutating func close(into actions: inout [POP3Action]) {
        actions.append(.close)
        isClosed = true
        pending = nil
        user = nil
        reader.removeAll()
    }

    /// A single-line reply. Control octets become spaces, so a hostname, storage error or unique id can never end
    /// the line early and inject protocol content.
    static func reply(_ text: String) -> POP3Action {
        .reply(Array(ASCII.sanitized(text).utf8) + ASCII.crlf)
    }
}
