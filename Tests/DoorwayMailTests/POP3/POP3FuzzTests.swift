// Deterministic fuzzing: random bytes and random command mixes, split at random points, must never crash the
// session, must only produce well-formed replies, and must keep its state consistent.

import DoorwayBasics
import Testing

@testable import DoorwayMail

@Suite("POP3Session fuzzing")
struct POP3FuzzTests {

    static let commands = [
        "USER ann", "USER", "PASS open sesame", "PASS wrong", "PASS", "CAPA", "STAT", "LIST", "LIST 1", "LIST 0",
        "UIDL", "UIDL 2", "RETR 1", "RETR 2", "RETR 9", "TOP 1 0", "TOP 2 1", "TOP 3 99999999999999999999999",
        "TOP 1 -1", "DELE 1", "DELE 2", "DELE 3", "DELE 1 2", "RSET", "NOOP", "QUIT", "APOP ann x", "STLS", "AUTH",
        "AUTH PLAIN", "", " ", "LIST 18446744073709551616", "RETR -0", "retr\t1", "LiSt   2  ", "XYZZY",
    ]

    static let messages: [[UInt8]] = [
        bytes("A: 1\n\nbody\n.\n..\n"), bytes(""), bytes(".x\r\n"), bytes("no header end\rstill\n"),
        [0x2E, 0x0D, 0x0D, 0x0A, 0x0A, 0x2E],
    ]

    /// Checks one call's actions against what the I/O layer relies on, then answers any request at random.
    static func check(
        _ actions: [POP3Action],
        _ session: inout POP3Session,
        _ random: inout SplitMix64,
        depth: Int = 0
    ) {
        var requests = 0
        for (position, action) in actions.enumerated() {
            switch action {
            case .reply(let bytes):
                #expect(isWellFormedReply(bytes), "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            case .close:
                #expect(position == actions.count - 1, "nothing after close")
            case .authenticate, .update:
                requests += 1
                #expect(position == actions.count - 1, "a request is the last action")
            case .load(let index, let bodyLines):
                requests += 1
                #expect(position == actions.count - 1, "a request is the last action")
                #expect(session.messages.indices.contains(index))
                #expect(bodyLines.map { $0 >= 0 } ?? true)
            }
            if case .update(let deleting) = action {
                #expect(deleting == deleting.sorted() && Set(deleting).count == deleting.count)
                #expect(deleting.allSatisfy { session.messages.indices.contains($0) })
            }
        }
        #expect(requests <= 1)
        #expect(session.isWaiting == (requests == 1 && !session.isClosed))
        if actions.last == .close { #expect(session.isClosed) }
        #expect(session.deleted.count == session.messages.count)
        #expect(session.reader.storageCount <= POP3Session.maximumBufferedInput + POP3Session.receiveSliceSize)
        if session.isClosed { #expect(!session.isWaiting) }
        if session.state == .update { #expect(session.isWaiting || session.isClosed) }
        guard let last = actions.last, depth < 1000 else { return }
        let next: [POP3Action]
        switch last {
        case .authenticate:
            switch random.next() % 6 {
            case 0, 4, 5:
                let count = Int(random.next() % 4)
                next = session.authenticationFinished(
                    .granted((0..<count).map { POP3Message(size: Int($0) * 10, uniqueID: "id\($0)") })
                )
            case 1: next = session.authenticationFinished(.denied)
            case 2: next = session.authenticationFinished(.inUse)
            default: next = session.authenticationFinished(.unavailable("disk\r\nfull"))
            }
        case .load:
            let pick = Int(random.next() % UInt64(messages.count + 1))
            next = session.messageLoaded(pick < messages.count ? messages[pick] : nil)
        case .update:
            next = session.updateFinished(random.next() % 2 == 0 ? nil : "oops")
        case .reply, .close:
            return
        }
        check(next, &session, &random, depth: depth + 1)
    }

    static func randomInput(_ random: inout SplitMix64) -> [UInt8] {
        var input: [UInt8] = []
        for _ in 0..<Int(random.next() % 30) {
            switch random.next() % 10 {
            case 0:
                // Raw noise, weighted towards octets that matter to framing.
                let alphabet: [UInt8] = [0x0D, 0x0A, 0x2E, 0x20, 0x00, 0xFF, 0x31]
                for _ in 0..<Int(random.next() % 40) {
                    let pick = random.next()
                    input.append(pick % 2 == 0 ? alphabet[Int(pick / 2 % 7)] : UInt8(truncatingIfNeeded: pick >> 8))
                }
            case 1:
                input += [UInt8](repeating: 0x61, count: Int(random.next() % 600))
            default:
                var command = Array(commands[Int(random.next() % UInt64(commands.count))].utf8)
                if random.next() % 3 == 0 {
                    command = command.map { random.next() % 2 == 0 ? ASCII.lowercased($0) : $0 }
                }
                input += command + (random.next() % 4 == 0 ? [0x0A] : [0x0D, 0x0A])
            }
        }
        return input
    }

    @Test("thousands of random sessions never crash and stay well-formed", arguments: 0..<8)
    func randomSessions(seed: UInt64) {
        var random = SplitMix64(seed: seed &* 0x1234_5678_9ABC_DEF1)
        // Proof the fuzzing gets past login rather than only bouncing off AUTHORIZATION.
        var loggedInSessions = 0
        for _ in 0..<500 {
            var session = session(maximumFailedLogins: Int(random.next() % 4), maximumErrors: Int(random.next() % 40))
            // Half the sessions start with a login, so the TRANSACTION state gets its share of the noise.
            let login = random.next() % 2 == 0 ? bytes("USER ann\r\nPASS open sesame\r\n") : []
            let input = login + Self.randomInput(&random)
            var offset = 0
            while offset < input.count {
                let end = min(input.count, offset + 1 + Int(random.next() % 64))
                Self.check(session.receive(Array(input[offset..<end])), &session, &random)
                offset = end
                if random.next() % 50 == 0 {
                    let ending = random.next() % 2 == 0 ? session.timedOut() : session.shuttingDown()
                    #expect(ending.isEmpty || ending.last == .close)
                    #expect(!ending.contains { if case .update = $0 { true } else { false } })
                    Self.check(ending, &session, &random)
                }
            }
            if session.state != .authorization { loggedInSessions += 1 }
            if session.isClosed {
                #expect(session.receive(bytes("NOOP\r\n")) == [])
                #expect(session.timedOut() == [])
            }
        }
        #expect(loggedInSessions > 100, "\(loggedInSessions)")
    }

    @Test("random bytes alone never crash a logged-in session")
    func randomBytesAfterLogin() {
        var random = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            var session = loggedIn(maximumErrors: .max)
            let input = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            Self.check(session.receive(input), &session, &random)
        }
    }
}
