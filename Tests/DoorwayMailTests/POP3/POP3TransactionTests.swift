// The TRANSACTION and UPDATE states: listing, retrieval, deletion, RSET, QUIT and argument checking.

import Testing

@testable import DoorwayMail

@Suite("POP3Session TRANSACTION and UPDATE")
struct POP3TransactionTests {
    // Sizes with CRLF: 23, 30 and 31 octets; 84 in all.
    let storage = POP3FakeStorage()

    @Test("the fake maildrop's sizes")
    func sizes() {
        #expect(storage.listing.map(\.size) == [23, 30, 31])
    }

    @Test("CAPA after login drops USER")
    func capa() {
        var session = loggedIn()
        let expected =
            "+OK capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n"
            + "EXPIRE NEVER\r\nIMPLEMENTATION Doorway\r\n.\r\n"
        #expect(session.receive(bytes("CAPA\r\n")) == [reply(expected)])
    }

    @Test("STAT, LIST and UIDL, whole and for one message")
    func listing() {
        var session = loggedIn()
        #expect(session.receive(bytes("STAT\r\n")) == [reply("+OK 3 84\r\n")])
        #expect(
            session.receive(bytes("LIST\r\n"))
                == [reply("+OK 3 messages (84 octets)\r\n1 23\r\n2 30\r\n3 31\r\n.\r\n")]
        )
        #expect(session.receive(bytes("list 2\r\n")) == [reply("+OK 2 30\r\n")])
        #expect(
            session.receive(bytes("UIDL\r\n"))
                == [reply("+OK unique-id listing follows\r\n1 uid1\r\n2 uid2\r\n3 uid3\r\n.\r\n")]
        )
        #expect(session.receive(bytes("UIDL 3\r\n")) == [reply("+OK 3 uid3\r\n")])
    }

    @Test("an empty maildrop")
    func empty() {
        var session = session()
        _ = session.receive(bytes("USER a\r\nPASS b\r\n"))
        #expect(session.authenticationFinished(.granted([])) == [reply("+OK maildrop has 0 messages (0 octets)\r\n")])
        #expect(
            session.receive(bytes("STAT\r\nLIST\r\nUIDL\r\n")) == [
                reply("+OK 0 0\r\n"), reply("+OK 0 messages (0 octets)\r\n.\r\n"),
                reply("+OK unique-id listing follows\r\n.\r\n"),
            ])
        #expect(session.receive(bytes("QUIT\r\n")) == [.update(deleting: [])])
        #expect(
            session.updateFinished(nil)
                == [reply("+OK mail.test POP3 server signing off (0 messages left)\r\n"), .close]
        )
    }

    @Test("unique ids are kept printable and sizes non-negative in listings")
    func hostileListing() {
        var session = session()
        _ = session.receive(bytes("USER a\r\nPASS b\r\n"))
        let hostile = [POP3Message(size: -5, uniqueID: "a b\r\n"), POP3Message(size: .max, uniqueID: "")]
        _ = session.authenticationFinished(.granted(hostile))
        #expect(
            session.receive(bytes("UIDL\r\n"))
                == [reply("+OK unique-id listing follows\r\n1 a?b??\r\n2 ?\r\n.\r\n")]
        )
        #expect(session.receive(bytes("STAT\r\n")) == [reply("+OK 2 \(Int.max)\r\n")])
        #expect(session.receive(bytes("LIST 1\r\n")) == [reply("+OK 1 0\r\n")])
    }

    @Test("RETR loads the whole message and sends it dot-stuffed with CRLF")
    func retr() {
        var session = loggedIn()
        #expect(session.receive(bytes("RETR 2\r\n")) == [.load(index: 1, bodyLines: nil)])
        #expect(session.isWaiting)
        #expect(
            session.messageLoaded(storage.stored[1])
                == [reply("+OK 30 octets\r\nSubject: two\r\n\r\n..dot\r\nsecond\r\n.\r\n")]
        )
        #expect(session.receive(bytes("RETR 1\r\n")) == [.load(index: 0, bodyLines: nil)])
        #expect(
            session.messageLoaded(storage.stored[0])
                == [reply("+OK 23 octets\r\nSubject: one\r\n\r\nfirst\r\n.\r\n")]
        )
    }

    @Test("TOP loads with a line count and replies +OK then the head")
    func top() {
        var session = loggedIn()
        #expect(session.receive(bytes("TOP 3 1\r\n")) == [.load(index: 2, bodyLines: 1)])
        #expect(session.messageLoaded(storage.stored[2]) == [reply("+OK\r\nSubject: three\r\n\r\nthird\r\n.\r\n")])
        #expect(session.receive(bytes("top 3 0\r\n")) == [.load(index: 2, bodyLines: 0)])
        #expect(session.messageLoaded(storage.stored[2]) == [reply("+OK\r\nSubject: three\r\n\r\n.\r\n")])
    }

    @Test("a message that cannot be read gets -ERR [SYS/TEMP] and is not a protocol error")
    func unreadable() {
        var session = loggedIn()
        _ = session.receive(bytes("RETR 1\r\n"))
        #expect(session.messageLoaded(nil) == [reply("-ERR [SYS/TEMP] cannot read message\r\n")])
        #expect(session.errorCount == 0)
        #expect(session.state == .transaction)
    }

    @Test("DELE hides a message from everything until RSET")
    func deleteAndReset() {
        var session = loggedIn()
        #expect(session.receive(bytes("DELE 2\r\n")) == [reply("+OK message 2 deleted\r\n")])
        #expect(session.receive(bytes("DELE 2\r\n")) == [reply("-ERR no such message\r\n")])
        #expect(session.receive(bytes("STAT\r\n")) == [reply("+OK 2 54\r\n")])
        #expect(session.receive(bytes("LIST\r\n")) == [reply("+OK 2 messages (54 octets)\r\n1 23\r\n3 31\r\n.\r\n")])
        #expect(
            session.receive(bytes("UIDL\r\n"))
                == [reply("+OK unique-id listing follows\r\n1 uid1\r\n3 uid3\r\n.\r\n")]
        )
        for command in ["LIST 2", "UIDL 2", "RETR 2", "TOP 2 0"] {
            #expect(session.receive(bytes(command + "\r\n")) == [reply("-ERR no such message\r\n")], "\(command)")
        }
        #expect(session.receive(bytes("RSET\r\n")) == [reply("+OK maildrop has 3 messages (84 octets)\r\n")])
        #expect(session.receive(bytes("LIST 2\r\n")) == [reply("+OK 2 30\r\n")])
    }

    @Test("message numbers must be plain, in range, and not overflow")
    func badNumbers() {
        var session = loggedIn()
        for argument in ["0", "4", "-1", "+1", "1a", "0x1", "99999999999999999999999999999", "１"] {
            #expect(
                session.receive(bytes("RETR \(argument)\r\n"))
                    == [reply("-ERR no such message\r\n")],
                "\(argument)"
            )
        }
        #expect(session.receive(bytes("LIST 01\r\n")) == [reply("+OK 1 23\r\n")])
        #expect(session.receive(bytes("RETR\r\n")) == [reply("-ERR usage: RETR msg\r\n")])
        #expect(session.receive(bytes("RETR 1 2\r\n")) == [reply("-ERR usage: RETR msg\r\n")])
        #expect(session.receive(bytes("LIST 1 2\r\n")) == [reply("-ERR usage: LIST [msg]\r\n")])
        #expect(session.receive(bytes("TOP 1\r\n")) == [reply("-ERR usage: TOP msg n\r\n")])
        #expect(session.receive(bytes("TOP 1 -1\r\n")) == [reply("-ERR invalid number of lines\r\n")])
        #expect(
            session.receive(bytes("TOP 1 99999999999999999999999\r\n"))
                == [reply("-ERR invalid number of lines\r\n")]
        )
        #expect(session.receive(bytes("DELE x\r\n")) == [reply("-ERR no such message\r\n")])
        #expect(session.receive(bytes("STAT 1\r\n")) == [reply("-ERR usage: STAT\r\n")])
        #expect(session.receive(bytes("NOOP x\r\n")) == [reply("-ERR usage: NOOP\r\n")])
        #expect(session.receive(bytes("RSET x\r\n")) == [reply("-ERR usage: RSET\r\n")])
        #expect(session.receive(bytes("NOOP\r\n")) == [reply("+OK\r\n")])
        #expect(session.errorCount == 18)
        #expect(!session.isClosed)
        #expect(session.deleted == [false, false, false])
    }

    @Test("USER, PASS and APOP are refused after login")
    func noSecondLogin() {
        var session = loggedIn()
        #expect(session.receive(bytes("USER ann\r\n")) == [reply("-ERR command not valid in this state\r\n")])
        #expect(session.receive(bytes("PASS x\r\n")) == [reply("-ERR command not valid in this state\r\n")])
        #expect(session.receive(bytes("APOP a b\r\n")) == [reply("-ERR unknown command\r\n")])
    }

    @Test("QUIT enters UPDATE with the sorted deletions, then signs off with the count left")
    func quit() {
        var session = loggedIn()
        _ = session.receive(bytes("DELE 3\r\nDELE 1\r\n"))
        #expect(session.receive(bytes("QUIT\r\n")) == [.update(deleting: [0, 2])])
        #expect(session.state == .update)
        #expect(session.isWaiting)
        #expect(
            session.updateFinished(nil)
                == [reply("+OK mail.test POP3 server signing off (1 messages left)\r\n"), .close]
        )
        #expect(session.isClosed)
    }

    @Test("a failed update is reported with -ERR [SYS/TEMP] and closes")
    func failedUpdate() {
        var session = loggedIn()
        _ = session.receive(bytes("DELE 1\r\nQUIT\r\n"))
        #expect(
            session.updateFinished("cannot delete\r\nnew/x")
                == [reply("-ERR [SYS/TEMP] some deleted messages not removed: cannot delete  new/x\r\n"), .close]
        )
    }

    @Test("a timeout, a shutdown or input after QUIT never deletes")
    func noDeletionWithoutQuit() {
        var timed = loggedIn()
        #expect(timed.receive(bytes("DELE 1\r\n")) == [reply("+OK message 1 deleted\r\n")])
        #expect(timed.timedOut() == [reply("-ERR autologout\r\n"), .close])
        var stopped = loggedIn()
        _ = stopped.receive(bytes("DELE 1\r\n"))
        #expect(stopped.shuttingDown() == [reply("-ERR [SYS/TEMP] server shutting down\r\n"), .close])
        var quitting = loggedIn()
        #expect(quitting.receive(bytes("QUIT\r\nDELE 1\r\n")) == [.update(deleting: [])])
        #expect(
            quitting.updateFinished(nil)
                == [reply("+OK mail.test POP3 server signing off (3 messages left)\r\n"), .close]
        )
    }
}
