// The I/O-free SMTP server session: it turns inbound octets and delivery outcomes into replies, deliveries and a
// close, so the networking layer only moves bytes and the protocol logic stays fully testable.

public struct SMTPSession: PipelinedSession, Sendable {
    /// Which RFC 5321 §4.5.3.2 server timeout applies: 5 minutes while awaiting a command, 3 minutes per data
    /// block during DATA. While `isWaitingForDelivery` the phase is `.command`; the I/O layer should not time the
    /// client out then, because the wait is ours.
    public enum Phase: Sendable, Equatable {
        case command
        case data
        case closed
    }

    /// RFC 5321 §4.5.3.1.4: 512 octets including CRLF.
    static let maximumCommandLength = 510
    /// Pipelined input held while a delivery is outstanding. A compliant pipelining client sends at most a few
    /// commands after end of data (RFC 2920 §3.1), so more than this is abuse: the excess is dropped and the session
    /// closes with 421 4.7.0 once the delivery reply is sent. The I/O layer should stop reading while
    /// `isWaitingForDelivery` so this never happens.
    static let maximumBufferedInput = 64 * 1024
    /// Input is consumed in slices of this size so internal buffers stay bounded however large a receive() is.
    static let receiveSliceSize = 16 * 1024

    let configuration: SMTPConfiguration
    let acceptedDomains: Set<String>
    let peer: String
    let now: @Sendable () -> String
    let messageID: @Sendable () -> String

    var reader = LineReader()
    var started = false
    var isClosed = false
    /// The HELO/EHLO argument and whether it was EHLO; nil until the client has introduced itself.
    var greeting: (name: String, extended: Bool)?
    var transaction: Transaction?
    /// Non-nil exactly while reading message text after a 354.
    var collector: DataCollector?
    var errorCount = 0
    var inputOverflowed = false
    var pendingQueueID = ""

    /// True from a `.deliver` until `deliveryFinished(_:)`; input meanwhile is buffered, not processed.
    public private(set) var isWaitingForDelivery = false

    /// The same as `isWaitingForDelivery`, under the name the line-protocol driver knows.
    public var isWaiting: Bool { isWaitingForDelivery }

    public var phase: Phase {
        if isClosed { return .closed }
        return collector == nil ? .command : .data
    }

    public init(
        configuration: SMTPConfiguration,
        peer: String,
        now: @escaping @Sendable () -> String,
        messageID: @escaping @Sendable () -> String
    ) {
        self.configuration = configuration
        self.acceptedDomains = Set(configuration.domains.map(ASCII.lowercased))
        self.peer = peer
        self.now = now
        self.messageID = messageID
    }

    /// The 220 greeting; later calls return nothing.
    public mutating func start() -> [SMTPAction] {
        guard !started, !isClosed else { return [] }
        started = true
        return [.reply(.greeting(configuration.hostname))]
    }

    /// Processes any chunk of the client's byte stream; every complete command is handled in order.
    public mutating func receive(_ bytes: [UInt8]) -> [SMTPAction] {
        feed(bytes)
    }

    /// Reports the store's outcome for the last `.deliver`, replies, then resumes processing buffered input.
    public mutating func deliveryFinished(_ result: DeliveryResult) -> [SMTPAction] {
        guard isWaitingForDelivery, !isClosed else { return [] }
        isWaitingForDelivery = false
        var actions: [SMTPAction] = []
        switch result {
        case .stored:
            actions.append(.reply(.queued(pendingQueueID)))
            // Like Postfix's smtpd_hard_error_limit, errors count "without delivering mail".
            errorCount = 0
        case .failed(let temporary, let reason):
            actions.append(.reply(temporary ? .temporaryFailure(reason) : .permanentFailure(reason)))
        case .storageFull(let reason):
            actions.append(.reply(.insufficientStorage(reason)))
        }
        if inputOverflowed {
            // Octets were dropped, so the rest of the stream can no longer be interpreted safely.
            actions.append(.reply(.tooMuchPipelinedInput(configuration.hostname)))
            close(into: &actions)
            return actions
        }
        processBufferedInput(into: &actions)
        return actions
    }

    /// The I/O layer's idle timer fired: 421 4.4.2 and close (RFC 5321 §4.5.3.2).
    /// A graceful shutdown between transactions: 421 4.3.2 and close (RFC 5321 §3.8).
    public mutating func shuttingDown() -> [SMTPAction] {
        guard !isClosed else { return [] }
        var actions: [SMTPAction] = [.reply(.shuttingDown(configuration.hostname))]
        close(into: &actions)
        return actions
    }

    public mutating func timedOut() -> [SMTPAction] {
        guard !isClosed else { return [] }
        var actions: [SMTPAction] = [.reply(.timeout(configuration.hostname))]
        close(into: &actions)
        return actions
    }

    mutating func processBufferedInput(into actions: inout [SMTPAction]) {
        while !isClosed && !isWaitingForDelivery {
            if collector != nil {
                guard let event = reader.nextEvent(maximumLength: DataCollector.maximumTextLength + 1) else { break }
                // Optional chaining mutates in place, so the growing body is never copied.
                if collector?.consume(event) == true {
                    finishData(into: &actions)
                }
            } else {
                guard let event = reader.nextEvent(maximumLength: Self.maximumCommandLength) else { break }
                switch event {
                case .line(let line, let ending):
                    if configuration.strictLineEndings && ending == .bareLF {
                        reject(.bareLineFeed, into: &actions)
                    } else {
                        execute(line, ending: ending, into: &actions)
                    }
                case .tooLong:
                    reject(.lineTooLong, into: &actions)
                case .endOfLongLine:
                    break
                }
            }
        }
        boundInput()
    }

    private mutating func finishData(into actions: inout [SMTPAction]) {
        guard let finished = collector else { return }
        collector = nil
        let finishedTransaction = transaction
        transaction = nil
        if let failure = finished.failure {
            reject(failure, into: &actions)
            return
        }
        guard let finishedTransaction, let greeting else { return }
        let id = messageID()
        let header = ReceivedHeader.build(
            heloName: greeting.name,
            peer: peer,
            hostname: configuration.hostname,
            usedExtensions: greeting.extended,
            id: id,
            recipients: finishedTransaction.recipients,
            date: now()
        )
        let envelope = SMTPEnvelope(
            heloName: greeting.name,
            reversePath: finishedTransaction.reversePath,
            recipients: finishedTransaction.recipients,
            peer: peer,
            usedExtensions: greeting.extended,
            smtputf8: finishedTransaction.smtputf8,
            eightBitMIME: finishedTransaction.eightBitMIME
        )
        pendingQueueID = ASCII.sanitized(id)
        isWaitingForDelivery = true
        actions.append(.deliver(envelope, message: header + finished.body))
    }

    /// Sends an error reply and counts it; reaching the limit adds 421 4.7.0 and closes.
    mutating func reject(_ reply: SMTPReply, into actions: inout [SMTPAction]) {
        actions.append(.reply(reply))
        if countError(limit: configuration.maximumErrors) {
            actions.append(.reply(.tooManyErrors(configuration.hostname)))
            close(into: &actions)
        }
    }

    mutating func close(into actions: inout [SMTPAction]) {
        actions.append(.close)
        isClosed = true
        isWaitingForDelivery = false
        collector = nil
        transaction = nil
        reader.removeAll()
    }
}
