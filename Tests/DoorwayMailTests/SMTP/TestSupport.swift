// Shared helpers for the DoorwayMail tests: session factories, byte/String conversion and action inspection.
import DoorwayBasics

@testable import DoorwayMail

enum TestSupport {
    static let hostname = "mx.example.org"
    static let date = "Tue, 1 Jul 2025 12:00:00 +0000"
    static let queueID = "Q1D"
    static let peer = "192.0.2.7"

    static func configuration(
        domains: [String] = [],
        maximumMessageSize: Int = SMTPConfiguration.defaultMaximumMessageSize,
        maximumRecipients: Int = 100,
        maximumErrors: Int = 10,
        strict: Bool = false
    ) -> SMTPConfiguration {
        SMTPConfiguration(
            hostname: hostname,
            domains: domains,
            maximumMessageSize: maximumMessageSize,
            maximumRecipients: maximumRecipients,
            maximumErrors: maximumErrors,
            strictLineEndings: strict
        )
    }

    static func session(_ configuration: SMTPConfiguration = configuration()) -> SMTPSession {
        SMTPSession(configuration: configuration, peer: peer, now: { date }, messageID: { queueID })
    }

    /// A session that has been greeted and has sent EHLO, so tests can start at MAIL.
    static func greetedSession(_ configuration: SMTPConfiguration = configuration()) -> SMTPSession {
        var session = session(configuration)
        _ = session.start()
        _ = session.receive(bytes("EHLO client.example\r\n"))
        return session
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func replies(_ actions: [SMTPAction]) -> [SMTPReply] {
        actions.compactMap { if case .reply(let reply) = $0 { reply } else { nil } }
    }

    static func codes(_ actions: [SMTPAction]) -> [Int] { replies(actions).map(\.code) }

    /// The first line of every reply, e.g. "250 2.1.0 Ok".
    static func firstLines(_ actions: [SMTPAction]) -> [String] {
        replies(actions).map { "\($0.code) \($0.lines.first ?? "")" }
    }

    static func deliveries(_ actions: [SMTPAction]) -> [(envelope: SMTPEnvelope, message: [UInt8])] {
        actions.compactMap { if case .deliver(let envelope, let message) = $0 { (envelope, message) } else { nil } }
    }

    static func closes(_ actions: [SMTPAction]) -> Bool { actions.contains(.close) }

    /// The Received header the session prepends for one recipient after EHLO from client.example.
    static func receivedHeader(
        recipient: String?, protocolName: String = "ESMTP", helo: String = "client.example"
    )
        -> String
    {
        var header = "Received: from \(helo) ([\(peer)])\r\n\tby \(hostname) with \(protocolName) id \(queueID)"
        if let recipient { header += "\r\n\tfor <\(recipient)>" }
        return header + "; \(date)\r\n"
    }

    /// The message body without the Received header (which ends at the first line not starting with a tab).
    static func body(_ message: [UInt8]) -> String {
        let text = text(message)
        guard let range = text.firstRange(of: "; \(date)\r\n") else { return text }
        return String(text[range.upperBound...])
    }

    /// Feeds `stream` and completes every delivery with `.stored` as soon as it is requested, collecting all
    /// actions in order; the reference driver for chunking and smuggling tests.
    static func drive(_ session: inout SMTPSession, chunks: [[UInt8]]) -> [SMTPAction] {
        var all = session.start()
        for chunk in chunks {
            all += session.receive(chunk)
            while session.isWaitingForDelivery {
                all += session.deliveryFinished(.stored)
            }
        }
        return all
    }

    /// Splits `bytes` into random chunks (sizes 1...maximum) using `generator`.
    static func randomChunks(_ bytes: [UInt8], maximum: Int, using generator: inout SplitMix64) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            let size = Int(generator.next() % UInt64(maximum)) + 1
            let end = min(bytes.count, index + size)
            chunks.append(Array(bytes[index..<end]))
            index = end
        }
        return chunks
    }
}
