// Shared helpers for the POP3 session tests: byte literals, a scripted storage layer and reply checks.

@testable import DoorwayMail

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A single reply action with the given text, CRLF-terminated lines written with "\r\n" in the literal.
func reply(_ text: String) -> POP3Action { .reply(bytes(text)) }

func session(maximumFailedLogins: Int = 3, maximumErrors: Int = 20) -> POP3Session {
    var configuration = POP3Configuration(hostname: "mail.test")
    configuration.maximumFailedLogins = maximumFailedLogins
    configuration.maximumErrors = maximumErrors
    var session = POP3Session(configuration: configuration)
    _ = session.start()
    return session
}

/// The stored messages and how the fake storage answers, so transcripts can be replayed deterministically.
struct POP3FakeStorage {
    var stored: [[UInt8]] = [
        bytes("Subject: one\n\nfirst\n"),
        bytes("Subject: two\r\n\r\n.dot\r\nsecond\r\n"),
        bytes("Subject: three\n\nthird\nmore\n"),
    ]
    var password = bytes("open sesame")
    var updateError: String?

    var listing: [POP3Message] {
        stored.enumerated().map {
            POP3Message(size: POP3CRLFSize.crlfSize($0.element), uniqueID: "uid\($0.offset + 1)")
        }
    }

    /// Answers every request at the end of `actions`, appending what the session does next, until none is left.
    func settle(_ session: inout POP3Session, _ actions: [POP3Action]) -> [POP3Action] {
        var all = actions
        while let last = all.last {
            switch last {
            case .authenticate(_, let given):
                all += session.authenticationFinished(given == password ? .granted(listing) : .denied)
            case .load(let index, _):
                all += session.messageLoaded(stored[index])
            case .update:
                all += session.updateFinished(updateError)
            case .reply, .close:
                return all
            }
        }
        return all
    }

    /// Feeds the chunks in order, answering requests as soon as they appear.
    func run(_ session: inout POP3Session, _ chunks: [[UInt8]]) -> [POP3Action] {
        var all: [POP3Action] = []
        for chunk in chunks {
            all += settle(&session, session.receive(chunk))
        }
        return all
    }
}

enum POP3CRLFSize {
    /// What the real maildrop reports as a size: every LF not after a CR gains one.
    static func crlfSize(_ bytes: [UInt8]) -> Int {
        var size = bytes.count
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x0A && previous != 0x0D { size += 1 }
            previous = byte
        }
        return size
    }
}

/// A session logged in to the fake storage's maildrop.
func loggedIn(_ storage: POP3FakeStorage = POP3FakeStorage(), maximumErrors: Int = 20) -> POP3Session {
    var result = session(maximumErrors: maximumErrors)
    _ = storage.run(&result, [bytes("USER ann\r\nPASS open sesame\r\n")])
    return result
}

/// Whether `bytes` is one well-formed POP3 response: a status line, and for multi-line ones dot-stuffed lines
/// and ".\r\n"; never a bare CR or LF.
func isWellFormedReply(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 2, bytes.suffix(2) == [0x0D, 0x0A] else { return false }
    for (index, byte) in bytes.enumerated() {
        if byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A) { return false }
        if byte == 0x0A && (index == 0 || bytes[index - 1] != 0x0D) { return false }
    }
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { $0.dropLast() }
    guard let status = lines.first else { return false }
    let ok = status.starts(with: Array("+OK".utf8)) && (status.count == 3 || status[status.startIndex + 3] == 0x20)
    let error = status.starts(with: Array("-ERR".utf8)) && (status.count == 4 || status[status.startIndex + 4] == 0x20)
    guard ok || error else { return false }
    if lines.count == 1 { return true }
    guard ok, lines.last.map(Array.init) == [0x2E] else { return false }
    lines = Array(lines.dropFirst().dropLast())
    return lines.allSatisfy { $0.first != 0x2E || ($0.count >= 2 && $0[$0.startIndex + 1] == 0x2E) }
}
