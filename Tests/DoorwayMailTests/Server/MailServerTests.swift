// The mail server on live sockets: the connection cap, POP3's autologout and failed-login delay.

import Doorway
import DoorwayTesting
import Foundation
import NIOCore
import Synchronization
import Testing

@testable import DoorwayMail

@Suite("Mail server connections", .serialized, .timeLimit(.minutes(1)))
struct MailServerTests {
    /// A line-at-a-time client for one connection.
    final class LineClient: @unchecked Sendable {
        private var iterator: Connection.Inbound.AsyncIterator
        private let outbound: Connection.Outbound

        init(_ inbound: Connection.Inbound, _ outbound: Connection.Outbound) {
            iterator = inbound.makeAsyncIterator()
            self.outbound = outbound
        }

        func line() async throws -> String? {
            try await iterator.next().map { String(buffer: $0) }
        }

        /// Lines framing appends the LF.
        func send(_ line: String) async throws {
            try await outbound.write(ByteBuffer(string: line + "\r"))
        }
    }

    private func withServer(
        _ change: (inout MailServer.Configuration) -> Void = { _ in },
        _ body: (MailServer, Endpoint, Endpoint) async throws -> Void
    ) async throws {
        let folder = try TemporaryFolder("mailserver")
        defer { folder.remove() }
        let root = folder.path
        var configuration = MailServer.Configuration(maildir: root, smtp: SMTPConfiguration(hostname: "mx.test"))
        configuration.users = MailUsers(path: root + "/.users", cost: .init(logRounds: 4, blockSize: 8, parallelism: 1))
        change(&configuration)
        try configuration.users.add("ann@x.test", password: Array("pw".utf8))
        let mail = try MailServer(configuration: configuration)
        let loopback = try Endpoint(parsing: "127.0.0.1:0")
        let smtp = try await mail.serveSMTP(on: loopback)
        let pop3 = try await mail.servePOP3(on: loopback)
        do {
            try await body(mail, smtp.localEndpoint, pop3.localEndpoint)
        } catch {
            await smtp.shutdown(gracePeriod: .zero)
            await pop3.shutdown(gracePeriod: .zero)
            await mail.shutdown()
            throw error
        }
        await smtp.shutdown(gracePeriod: .zero)
        await pop3.shutdown(gracePeriod: .zero)
        await mail.shutdown()
    }

    private func talk<Result: Sendable>(
        _ endpoint: Endpoint, _ body: (LineClient) async throws -> Result
    ) async throws
        -> Result
    {
        let connection = try await Client().connect(to: endpoint, framing: .lines())
        return try await connection.exchange { inbound, outbound in try await body(LineClient(inbound, outbound)) }
    }

    @Test("the SMTP connection cap holds a third client back until a slot frees")
    func connectionCap() async throws {
        try await withServer({ $0.maximumConnections = 2 }) { _, smtp, _ in
            let first = try await Client().connect(to: smtp, framing: .lines())
            let second = try await Client().connect(to: smtp, framing: .lines())
            try await first.exchange { inbound, outbound in
                let one = LineClient(inbound, outbound)
                #expect(try await one.line()?.hasPrefix("220 ") == true)
                try await second.exchange { inbound, outbound in
                    let two = LineClient(inbound, outbound)
                    #expect(try await two.line()?.hasPrefix("220 ") == true)
                    // The third connects (the listen backlog takes it) but is not served yet.
                    let third = try await Client().connect(to: smtp, framing: .lines())
                    let greetedEarly = Mutex(false)
                    let greeted = Task {
                        try await third.exchange { inbound, outbound in
                            let three = LineClient(inbound, outbound)
                            let greeting = try await three.line()
                            greetedEarly.withLock { $0 = true }
                            try await three.send("QUIT")
                            _ = try await three.line()
                            return greeting
                        }
                    }
                    try await Task.sleep(for: .milliseconds(500))
                    // Without this the test would pass with no cap at all.
                    #expect(!greetedEarly.withLock { $0 }, "the third client waits while two are served")
                    try await one.send("QUIT")
                    #expect(try await one.line()?.hasPrefix("221 ") == true)
                    #expect(try await one.line() == nil, "the server closed the first connection")
                    // Once the first leaves, the third is greeted.
                    #expect(try await greeted.value?.hasPrefix("220 ") == true)
                    try await two.send("QUIT")
                    _ = try await two.line()
                }
            }
        }
    }

    @Test("a wrong POP3 password is answered only after the delay, and counted")
    func failedLoginDelay() async throws {
        try await withServer({ $0.failedLoginDelay = .milliseconds(400) }) { mail, _, pop3 in
            try await talk(pop3) { client in
                #expect(try await client.line()?.hasPrefix("+OK") == true)
                try await client.send("USER ann@x.test")
                #expect(try await client.line()?.hasPrefix("+OK") == true)
                let started = ContinuousClock.now
                try await client.send("PASS wrong")
                #expect(try await client.line()?.hasPrefix("-ERR [AUTH]") == true)
                #expect(ContinuousClock.now - started >= .milliseconds(400))
                try await client.send("USER ann@x.test")
                _ = try await client.line()
                try await client.send("PASS pw")
                #expect(try await client.line()?.hasPrefix("+OK") == true, "the right password still works")
                try await client.send("QUIT")
                _ = try await client.line()
            }
            #expect(mail.failedLoginCount == 1)
        }
    }

    @Test("POP3 autologout closes an idle session without deleting what it marked")
    func autologout() async throws {
        try await withServer({ $0.pop3Timeout = .seconds(3) }) { mail, _, pop3 in
            try mail.store.deliver(Array("Subject: keep\r\n\r\nbody\r\n".utf8), returnPath: "", to: ["ann@x.test"])
            try await talk(pop3) { client in
                _ = try await client.line()
                try await client.send("USER ann@x.test")
                _ = try await client.line()
                try await client.send("PASS pw")
                #expect(try await client.line()?.hasPrefix("+OK") == true)
                try await client.send("DELE 1")
                #expect(try await client.line()?.hasPrefix("+OK") == true)
                #expect(try await client.line()?.hasPrefix("-ERR") == true, "autologout")
                #expect(try await client.line() == nil, "then the connection closes")
            }
            #expect(try Maildrop(folder: mail.store.mailbox(for: "ann@x.test")).entries.count == 1)
            // The lock went with the session (checked with the lock itself: a second session over the network
            // could meet the short autologout on a loaded machine).
            let folder = mail.store.mailbox(for: "ann@x.test")
            let locks = MaildropLocks()
            var released = false
            for _ in 0..<100 where !released {
                released = try locks.lock(folder)
                if !released { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(released)
            locks.unlock(folder)
        }
    }
}
