// RFC 2449 PIPELINING: answers in order, input buffered while storage is busy, bounded buffering, and chunking
// that never changes what the session does.

import Testing

@testable import DoorwayMail

@Suite("POP3Session pipelining and chunking")
struct POP3PipeliningTests {
    let storage = POP3FakeStorage()

    @Test("a pipelined batch is answered in order, resuming after each storage answer")
    func inOrder() {
        var session = session()
        let first = session.receive(bytes("CAPA\r\nUSER ann\r\nPASS open sesame\r\nSTAT\r\nRETR 1\r\nNOOP\r\nQUIT\r\n"))
        #expect(first.count == 3)
        #expect(first.last == .authenticate(user: "ann", password: bytes("open sesame")))
        #expect(session.receive(bytes("this is buffered\r\n")) == [])
        #expect(
            session.authenticationFinished(.granted(storage.listing))
                == [
                    reply("+OK maildrop has 3 messages (84 octets)\r\n"), reply("+OK 3 84\r\n"),
                    .load(index: 0, bodyLines: nil),
                ]
        )
        #expect(
            session.messageLoaded(storage.stored[0])
                == [
                    reply("+OK 23 octets\r\nSubject: one\r\n\r\nfirst\r\n.\r\n"), reply("+OK\r\n"),
                    .update(deleting: []),
                ]
        )
        #expect(
            session.updateFinished(nil)
                == [reply("+OK mail.test POP3 server signing off (3 messages left)\r\n"), .close]
        )
    }

    @Test("more than 64 KiB buffered while waiting closes the session after the outstanding answer")
    func overflow() {
        var session = session()
        _ = session.receive(bytes("USER ann\r\nPASS x\r\n"))
        #expect(session.receive([UInt8](repeating: 0x41, count: 40_000)) == [])
        #expect(session.receive(bytes("\r\nNOOP\r\n") + [UInt8](repeating: 0x41, count: 40_000)) == [])
        #expect(session.reader.storageCount <= POP3Session.maximumBufferedInput)
        #expect(
            session.authenticationFinished(.denied)
                == [
                    reply("-ERR [AUTH] invalid user name or password\r\n"),
                    reply("-ERR [SYS/TEMP] too much pipelined input\r\n"), .close,
                ]
        )
    }

    @Test("exactly 64 KiB buffered is still processed")
    func atTheBound() {
        var session = session(maximumErrors: 10_000)
        _ = session.receive(bytes("USER ann\r\nPASS x\r\n"))
        let noops = Array(Array(repeating: bytes("NOOPS\r\n"), count: 65536 / 7).joined())
        let padded = noops + [UInt8](repeating: 0x0A, count: 65536 - noops.count)
        #expect(padded.count == 65536)
        #expect(session.receive(padded) == [])
        let actions = session.authenticationFinished(.inUse)
        #expect(actions.count == 1 + padded.count / 7 + (65536 - noops.count))
        #expect(!session.isClosed)
    }

    @Test("feeding a transcript byte by byte gives the same actions as all at once")
    func chunkingIndependence() {
        let transcript = bytes(
            "capa\r\nUSER ann\nPASS wrong\r\nUSER ann\r\nPASS open sesame\r\nSTAT\r\nLIST\r\nUIDL 2\r\n"
                + "TOP 2 1\r\nRETR 3\nDELE 1\r\nLIST 1\r\nRSET\r\nDELE 2\r\nBOGUS\r\n"
                + String(repeating: "x", count: 400)
                + "\r\nNOOP\r\nQUIT\r\nNOOP\r\n"
        )
        var whole = session()
        let allAtOnce = storage.run(&whole, [transcript])
        var trickled = session()
        let byteByByte = storage.run(&trickled, transcript.map { [$0] })
        #expect(allAtOnce == byteByByte)
        #expect(allAtOnce.last == .close)
        #expect(allAtOnce.contains(.update(deleting: [1])))
        #expect(allAtOnce.contains(reply("-ERR [AUTH] invalid user name or password\r\n")))
        #expect(allAtOnce.contains(reply("-ERR line too long\r\n")))
        // Uneven chunks, including a CRLF split across two calls.
        var chunked = session()
        var chunks: [[UInt8]] = []
        var offset = 0
        var size = 1
        while offset < transcript.count {
            let end = min(transcript.count, offset + size)
            chunks.append(Array(transcript[offset..<end]))
            offset = end
            size = size % 13 + 2
        }
        #expect(storage.run(&chunked, chunks) == allAtOnce)
    }

    @Test("one large receive is handled in bounded slices")
    func largeReceive() {
        var session = session(maximumErrors: .max)
        let input = Array(Array(repeating: bytes("NOOP\r\n"), count: 20_000).joined())
        let actions = session.receive(input)
        #expect(actions.count == 20_000)
        #expect(session.reader.storageCount <= POP3Session.receiveSliceSize)
    }
}
