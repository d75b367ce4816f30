// The client side of mail: connects to an SMTP server and hands it one message, on the core's clients.

import Doorway
import NIOConcurrencyHelpers
import NIOCore

/// Sends messages to an SMTP server, the way `door mail send` does.
///
/// ```swift
/// let outcome = try await SMTPClient().send(
///     message, from: "ann@example.test", to: ["bob@example.test"], server: try Endpoint(parsing: "mx.test:25"))
/// if let error = outcome.error { print(error) }   // "server refused RCPT TO:<bob@example.test>: 550 …"
/// ```
///
/// The dialogue is ``SMTPClientSession``, a pure state machine: it uses PIPELINING, SIZE, 8BITMIME and
/// SMTPUTF8 when the server offers them, normalises line endings to CRLF and dot-stuffs. This type only
/// moves its bytes and bounds each wait for the server.
public struct SMTPClient: Sendable {
    public var client: Client
    /// The name this client gives in EHLO.
    public var clientName: String
    /// How long to wait for each reply. RFC 5321 §4.5.3.2 asks clients for 2 to 10 minutes depending on the
    /// command; one bound of 5 minutes covers all but a slow final reply.
    public var replyTimeout: Duration = .seconds(300)

    public init(client: Client = Client(), clientName: String = MaildirStore.hostName) {
        self.client = client
        self.clientName = clientName
    }

    /// Connects to `server` and sends `message` (any line endings) from `reversePath` to `recipients`.
    ///
    /// - Returns: The outcome: delivered (the server's final reply) or refused (the stage and the reply), and
    ///   which recipients were accepted.
    /// - Throws: `SocketError` when the server cannot be reached or stops answering.
    public func send(
        _ message: [UInt8], from reversePath: String, to recipients: [String], server: Endpoint
    )
        async throws -> SMTPClientOutcome
    {
        var session = SMTPClientSession(clientName: clientName, from: reversePath, to: recipients, message: message)
        let connection = try await client.connect(to: server)
        let channel = connection.channel
        let timedOut = NIOLockedValueBox(false)
        let timeout = TimeAmount(replyTimeout)
        func armTimer() -> Scheduled<Void> {
            channel.eventLoop.scheduleTask(in: timeout) {
                timedOut.withLockedValue { $0 = true }
                channel.close(promise: nil)
            }
        }
        let outcome = try await connection.exchange { inbound, outbound -> SMTPClientOutcome? in
            var timer = armTimer()
            defer { timer.cancel() }
            func perform(_ actions: [SMTPClientAction]) async throws -> SMTPClientOutcome? {
                for action in actions {
                    switch action {
                    case .send(let bytes): try await outbound.write(ByteBuffer(bytes: bytes))
                    case .finished(let outcome): return outcome
                    }
                }
                return nil
            }
            do {
                for try await chunk in inbound {
                    timer.cancel()
                    timer = armTimer()
                    if let outcome = try await perform(session.receive(Array(chunk.readableBytesView))) {
                        return outcome
                    }
                }
            } catch {
                // A reset or a failed write: the session decides what losing the connection means now.
                if timedOut.withLockedValue({ $0 }) { return nil }
            }
            if timedOut.withLockedValue({ $0 }) { return nil }
            return try await perform(session.connectionClosed())
        }
        guard let outcome else {
            throw SocketError(
                .timedOut, endpoint: server,
                reason: "\(server) sent no reply within \(replyTimeout); try again later or raise the timeout")
        }
        return outcome
    }
}
