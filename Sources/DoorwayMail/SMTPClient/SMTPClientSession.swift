// The I/O-free client side of one SMTP mail transaction (RFC 5321): server replies in, commands out, so the
// network layer only moves octets and every protocol decision stays testable byte for byte.

/// Sends one message to one server: greeting, EHLO (or HELO), MAIL, RCPT…, DATA, message, QUIT.
///
/// The network layer connects, passes every octet the server sends to `receive(_:)`, performs the returned
/// actions in order, and calls `connectionClosed()` if the server hangs up. Nothing is sent before the server's
/// greeting arrives. After `.finished` the session ignores all further input.
public struct SMTPClientSession: Sendable {
    enum State: Sendable, Equatable {
        case greeting
        case hello(extended: Bool)
        case mail
        /// Awaiting the reply to the RCPT for `recipients[index]`.
        case recipient(Int)
        case data
        /// The message text was sent; awaiting the final reply.
        case message
        /// A pipelined DATA got 354 although the transaction had already failed, so an empty message was sent
        /// (RFC 2920 §3.1) and its reply is awaited before QUIT.
        case abandonedData
        case finished
    }

    /// Input is consumed in slices of this size so buffers stay bounded however large a receive() is.
    static let receiveSliceSize = 16 * 1024
    static let quit: [UInt8] = Array("QUIT\r\n".utf8)

    let clientName: String
    let reversePath: String
    let recipients: [String]
    let data: SMTPClientDataEncoder.Encoded

    var parser: SMTPClientReplyParser
    var state = State.greeting
    var pipelined = false
    /// With pipelining, a failure seen while later replies are still owed; reported once they are consumed.
    var pendingFailure: SMTPClientError?
    var extensions = SMTPClientExtensions()
    var usedExtensions: [String] = []
    var accepted: [String] = []
    var rejected: [SMTPClientRejection] = []

    /// True once `.finished` has been produced.
    public var isFinished: Bool { state == .finished }

    /// - Parameters:
    ///   - clientName: The EHLO/HELO argument: this host's domain name or an address literal such as "[192.0.2.1]".
    ///   - reversePath: The envelope sender without angle brackets; "" for the null reverse-path of bounces.
    ///   - recipients: The envelope recipients without angle brackets.
    ///   - message: The message (headers and body) with any line endings; it is normalised to CRLF and
    ///     dot-stuffed here.
    ///   - maximumReplyLineLength: The longest reply line accepted, without CRLF. RFC 5321 §4.5.3.1.5 allows
    ///     510; the default leaves room for servers that exceed it. Longer lines fail the transaction.
    public init(
        clientName: String,
        from reversePath: String,
        to recipients: [String],
        message: [UInt8],
        maximumReplyLineLength: Int = 4096
    ) {
        self.clientName = clientName
        self.reversePath = reversePath
        self.recipients = recipients
        self.data = SMTPClientDataEncoder.encode(message)
        self.parser = SMTPClientReplyParser(maximumLineLength: maximumReplyLineLength)
    }

    /// Processes any chunk of the server's octet stream; every complete reply is handled in order.
    public mutating func receive(_ bytes: [UInt8]) -> [SMTPClientAction] {
        var actions: [SMTPClientAction] = []
        var offset = 0
        while offset < bytes.count && !isFinished {
            let end = offset + min(Self.receiveSliceSize, bytes.count - offset)
            parser.append(bytes[offset..<end])
            offset = end
            while !isFinished, let event = parser.next() {
                switch event {
                case .reply(let reply):
                    handle(reply, into: &actions)
                case .malformed(let detail):
                    // The server's state is unknown (it may even be reading message text), so a QUIT could be
                    // taken as data; closing is the only safe end.
                    fail(SMTPClientError(stage: stage, reason: .protocolViolation(detail)), quit: false, into: &actions)
                }
            }
        }
        return actions
    }

    /// The peer closed the connection: a failure if not finished, nothing otherwise.
    public mutating func connectionClosed() -> [SMTPClientAction] {
        guard !isFinished else { return [] }
        var actions: [SMTPClientAction] = []
        fail(SMTPClientError(stage: stage, reason: .connectionClosed), quit: false, into: &actions)
        return actions
    }

    /// Where a failure at this moment would be reported.
    var stage: SMTPClientError.Stage {
        switch state {
        case .greeting: return .greeting
        case .hello(let extended): return extended ? .ehlo : .helo
        case .mail: return .mail
        case .recipient: return .rcpt
        case .data: return .data
        case .message, .abandonedData, .finished: return .message
        }
    }

    private mutating func handle(_ reply: SMTPReply, into actions: inout [SMTPClientAction]) {
        switch state {
        case .greeting:
            handleGreeting(reply, into: &actions)
        case .hello(let extended):
            handleHello(reply, extended: extended, into: &actions)
        case .mail:
            handleMail(reply, into: &actions)
        case .recipient(let index):
            handleRecipient(reply, index: index, into: &actions)
        case .data:
            handleData(reply, into: &actions)
        case .message:
            if reply.code / 100 == 2 {
                quit(into: &actions)
                finish(.success(reply), into: &actions)
            } else {
                fail(SMTPClientError(stage: .message, reason: .reply(reply)), quit: reply.code != 421, into: &actions)
            }
        case .abandonedData:
            finishPending(after: reply, into: &actions)
        case .finished:
            break
        }
    }

    private mutating func handleGreeting(_ reply: SMTPReply, into actions: inout [SMTPClientAction]) {
        guard reply.code == 220 else {
            // RFC 5321 §3.1: after a 554 greeting the client should still QUIT; 421 means the server is leaving.
            fail(SMTPClientError(stage: .greeting, reason: .reply(reply)), quit: reply.code != 421, into: &actions)
            return
        }
        guard !clientName.isEmpty, clientName.utf8.allSatisfy(ASCII.isVisible) else {
            fail(SMTPClientError(stage: .ehlo, reason: .invalidClientName(clientName)), quit: true, into: &actions)
            return
        }
        state = .hello(extended: true)
        actions.append(.send(Array("EHLO \(clientName)\r\n".utf8)))
    }

    private mutating func handleHello(_ reply: SMTPReply, extended: Bool, into actions: inout [SMTPClientAction]) {
        if reply.code / 100 == 2 {
            if extended { extensions = SMTPClientExtensions(ehloReply: reply) }
            beginTransaction(into: &actions)
        } else if extended && reply.code / 100 == 5 {
            // RFC 5321 §3.2: a server that does not know EHLO answers 500/502; HELO is the way to still talk.
            state = .hello(extended: false)
            actions.append(.send(Array("HELO \(clientName)\r\n".utf8)))
        } else {
            let stage: SMTPClientError.Stage = extended ? .ehlo : .helo
            let error = SMTPClientError(stage: stage, reason: .reply(reply), command: "\(stage.rawValue) \(clientName)")
            fail(error, quit: reply.code != 421, into: &actions)
        }
    }

    private mutating func handleMail(_ reply: SMTPReply, into actions: inout [SMTPClientAction]) {
        let positive = reply.code / 100 == 2
        if !positive {
            let error = SMTPClientError(stage: .mail, reason: .reply(reply), command: mailCommand)
            if !pipelined || reply.code == 421 {
                fail(error, quit: reply.code != 421, into: &actions)
                return
            }
            // RCPT and DATA replies are still owed; they must be read before QUIT (RFC 2920 §3.1).
            pendingFailure = error
        }
        state = .recipient(0)
        if !pipelined { actions.append(.send(Array("\(rcptCommand(0))\r\n".utf8))) }
    }

    private mutating func handleRecipient(_ reply: SMTPReply, index: Int, into actions: inout [SMTPClientAction]) {
        if reply.code == 421 {
            let error = SMTPClientError(stage: .rcpt, reason: .reply(reply), command: rcptCommand(index))
            fail(pendingFailure ?? error, quit: false, into: &actions)
            return
        }
        // After a refused MAIL the RCPT replies are only "need MAIL" noise, not verdicts on the recipients.
        if pendingFailure == nil {
            if reply.code / 100 == 2 {
                accepted.append(recipients[index])
            } else {
                rejected.append(SMTPClientRejection(recipient: recipients[index], reply: reply))
            }
        }
        let next = index + 1
        if next < recipients.count {
            state = .recipient(next)
            if !pipelined { actions.append(.send(Array("\(rcptCommand(next))\r\n".utf8))) }
            return
        }
        if accepted.isEmpty && pendingFailure == nil {
            let error = SMTPClientError(stage: .rcpt, reason: .noRecipientAccepted(rejected))
            if !pipelined {
                // Without pipelining DATA was never sent, so the server owes nothing more.
                fail(error, quit: true, into: &actions)
                return
            }
            pendingFailure = error
        }
        state = .data
        if !pipelined { actions.append(.send(Array("DATA\r\n".utf8))) }
    }

    private mutating func handleData(_ reply: SMTPReply, into actions: inout [SMTPClientAction]) {
        if pendingFailure != nil {
            if reply.code == 354 {
                // RFC 2920 §3.1: a DATA accepted despite the failure must get a message; an empty one says least.
                state = .abandonedData
                actions.append(.send([ASCII.dot, ASCII.cr, ASCII.lf]))
            } else {
                finishPending(after: reply, into: &actions)
            }
            return
        }
        guard reply.code == 354 else {
            let error = SMTPClientError(stage: .data, reason: .reply(reply), command: "DATA")
            fail(error, quit: reply.code != 421, into: &actions)
            return
        }
        state = .message
        actions.append(.send(data.wire))
    }

    /// Ends a transaction whose failure was found while pipelined replies were still owed.
    private mutating func finishPending(after reply: SMTPReply, into actions: inout [SMTPClientAction]) {
        guard let error = pendingFailure else { return }
        fail(error, quit: reply.code != 421, into: &actions)
    }

    mutating func quit(into actions: inout [SMTPClientAction]) {
        actions.append(.send(Self.quit))
    }

    mutating func fail(_ error: SMTPClientError, quit sendQuit: Bool, into actions: inout [SMTPClientAction]) {
        // The first failure is the cause; anything after it (e.g. a 421 while draining) is a consequence.
        let cause = pendingFailure ?? error
        if sendQuit { quit(into: &actions) }
        finish(.failure(cause), into: &actions)
    }

    /// Produces the single `.finished`; QUIT's 221 is not awaited because nothing depends on it.
    mutating func finish(_ result: Result<SMTPReply, SMTPClientError>, into actions: inout [SMTPClientAction]) {
        guard !isFinished else { return }
        state = .finished
        pendingFailure = nil
        parser = SMTPClientReplyParser(maximumLineLength: parser.maximumLineLength)
        let outcome = SMTPClientOutcome(
            result: result,
            accepted: accepted,
            rejected: rejected,
            extensions: extensions,
            usedExtensions: usedExtensions
        )
        actions.append(.finished(outcome))
    }
}
