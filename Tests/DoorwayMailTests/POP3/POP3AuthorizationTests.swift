// The AUTHORIZATION state: greeting, CAPA, USER/PASS and their failures, QUIT and commands not offered.

import Testing

@testable import DoorwayMail

@Suite("POP3Session AUTHORIZATION")
struct POP3AuthorizationTests {
    static let capaBeforeLogin =
        "+OK capability list follows\r\nTOP\r\nUSER\r\nUIDL\r\nRESP-CODES\r\n"
        + "AUTH-RESP-CODE\r\nPIPELINING\r\nEXPIRE NEVER\r\nIMPLEMENTATION Doorway\r\n.\r\n"

    @Test("the greeting names the host and is sent once")
    func greeting() {
        var session = POP3Session(configuration: POP3Configuration(hostname: "mail.test"))
        #expect(session.start() == [reply("+OK mail.test POP3 ready\r\n")])
        #expect(session.start() == [])
    }

    @Test("a hostname with control characters cannot inject a line")
    func hostnameSanitized() {
        var session = POP3Session(configuration: POP3Configuration(hostname: "evil\r\n+OK"))
        #expect(session.start() == [reply("+OK evil  +OK POP3 ready\r\n")])
    }

    @Test("CAPA lists USER before login")
    func capa() {
        var session = session()
        #expect(session.receive(bytes("CAPA\r\n")) == [reply(Self.capaBeforeLogin)])
        #expect(session.receive(bytes("capa\n")) == [reply(Self.capaBeforeLogin)])
    }

    @Test("USER then the right PASS asks to authenticate; granted lists the maildrop")
    func login() {
        var session = session()
        #expect(session.receive(bytes("user ann@example.test\r\n")) == [reply("+OK send PASS\r\n")])
        #expect(
            session.receive(bytes("PASS  open sesame \r\n"))
                == [.authenticate(user: "ann@example.test", password: bytes(" open sesame "))]
        )
        #expect(session.isWaiting)
        let granted = session.authenticationFinished(
            .granted([POP3Message(size: 120, uniqueID: "a"), POP3Message(size: 200, uniqueID: "b")])
        )
        #expect(granted == [reply("+OK maildrop has 2 messages (320 octets)\r\n")])
        #expect(!session.isWaiting)
        #expect(session.state == .transaction)
    }

    @Test("an empty password after PASS and a space is still checked; PASS alone is a syntax error")
    func emptyPassword() {
        var session = session()
        _ = session.receive(bytes("USER ann\r\n"))
        #expect(session.receive(bytes("PASS \r\n")) == [.authenticate(user: "ann", password: [])])
        _ = session.authenticationFinished(.denied)
        _ = session.receive(bytes("USER ann\r\n"))
        #expect(session.receive(bytes("PASS\r\n")) == [reply("-ERR usage: PASS password\r\n")])
    }

    @Test("a wrong password gets -ERR [AUTH]; the limit closes the session")
    func failedLogins() {
        var session = session(maximumFailedLogins: 2)
        _ = session.receive(bytes("USER ann\r\n"))
        #expect(session.receive(bytes("PASS wrong\r\n")) == [.authenticate(user: "ann", password: bytes("wrong"))])
        #expect(session.authenticationFinished(.denied) == [reply("-ERR [AUTH] invalid user name or password\r\n")])
        #expect(!session.isClosed)
        _ = session.receive(bytes("USER bob\r\n"))
        _ = session.receive(bytes("PASS wrong\r\n"))
        #expect(
            session.authenticationFinished(.denied)
                == [reply("-ERR [AUTH] invalid user name or password\r\n"), .close]
        )
        #expect(session.isClosed)
        #expect(session.receive(bytes("USER ann\r\n")) == [])
    }

    @Test("IN-USE and SYS/TEMP are not failed logins")
    func inUseAndUnavailable() {
        var session = session(maximumFailedLogins: 1)
        _ = session.receive(bytes("USER ann\r\nPASS x\r\n"))
        #expect(session.authenticationFinished(.inUse) == [reply("-ERR [IN-USE] maildrop already locked\r\n")])
        _ = session.receive(bytes("USER ann\r\nPASS x\r\n"))
        #expect(
            session.authenticationFinished(.unavailable("cannot read\nthe users file"))
                == [reply("-ERR [SYS/TEMP] cannot read the users file\r\n")]
        )
        #expect(!session.isClosed)
        #expect(session.state == .authorization)
    }

    @Test("PASS must directly follow a successful USER")
    func passNeedsUser() {
        var session = session()
        #expect(session.receive(bytes("PASS secret\r\n")) == [reply("-ERR send USER first\r\n")])
        _ = session.receive(bytes("USER ann\r\n"))
        _ = session.receive(bytes("CAPA\r\n"))
        #expect(session.receive(bytes("PASS secret\r\n")) == [reply("-ERR send USER first\r\n")])
        _ = session.receive(bytes("USER ann\r\n"))
        _ = session.receive(bytes("PASS wrong\r\n"))
        _ = session.authenticationFinished(.denied)
        #expect(session.receive(bytes("PASS again\r\n")) == [reply("-ERR send USER first\r\n")])
        #expect(session.errorCount == 3)
    }

    @Test("USER needs a printable UTF-8 name")
    func userValidation() {
        var session = session()
        #expect(session.receive(bytes("USER\r\n")) == [reply("-ERR usage: USER name\r\n")])
        #expect(session.receive(bytes("USER   \r\n")) == [reply("-ERR usage: USER name\r\n")])
        #expect(
            session.receive([0x55, 0x53, 0x45, 0x52, 0x20, 0xFF, 0x0D, 0x0A])
                == [reply("-ERR invalid user name\r\n")]
        )
        #expect(session.receive(bytes("USER a\u{1}b\r\n")) == [reply("-ERR invalid user name\r\n")])
        #expect(session.receive(bytes("USER jürgen@example.test\r\n")) == [reply("+OK send PASS\r\n")])
        #expect(session.user == "jürgen@example.test")
    }

    @Test("QUIT before login signs off and closes without an update")
    func quit() {
        var session = session()
        #expect(session.receive(bytes("QUIT\r\n")) == [reply("+OK mail.test POP3 server signing off\r\n"), .close])
        #expect(session.isClosed)
    }

    @Test("APOP is unknown; STLS and AUTH are not supported and not counted; TRANSACTION commands are refused")
    func notOffered() {
        var session = session()
        #expect(
            session.receive(bytes("APOP ann c4c9334bac560ecc979e58001b3e22fb\r\n"))
                == [reply("-ERR unknown command\r\n")]
        )
        #expect(session.receive(bytes("STLS\r\n")) == [reply("-ERR not supported\r\n")])
        #expect(session.receive(bytes("AUTH\r\n")) == [reply("-ERR not supported\r\n")])
        #expect(session.receive(bytes("AUTH PLAIN\r\n")) == [reply("-ERR not supported\r\n")])
        #expect(session.receive(bytes("NOOP\r\n")) == [reply("-ERR command not valid in this state\r\n")])
        #expect(session.receive(bytes("STAT\r\n")) == [reply("-ERR command not valid in this state\r\n")])
        #expect(session.receive(bytes("RETR 1\r\n")) == [reply("-ERR command not valid in this state\r\n")])
        #expect(session.receive(bytes("\r\n")) == [reply("-ERR unknown command\r\n")])
        #expect(session.errorCount == 5)
    }

    @Test("too many protocol errors close the session after the last -ERR")
    func tooManyErrors() {
        var session = session(maximumErrors: 3)
        let actions = session.receive(bytes("FOO\r\nBAR\r\nBAZ\r\nCAPA\r\n"))
        #expect(
            actions == [
                reply("-ERR unknown command\r\n"), reply("-ERR unknown command\r\n"),
                reply("-ERR unknown command\r\n"), .close,
            ]
        )
    }

    @Test("a line over 255 octets with its CRLF is refused, counted, and the rest of it is discarded")
    func lineTooLong() {
        var session = session()
        let fits = "USER " + String(repeating: "a", count: 248) + "\r\n"
        #expect(fits.utf8.count == 255)
        #expect(session.receive(bytes(fits)) == [reply("+OK send PASS\r\n")])
        let long = "PASS " + String(repeating: "b", count: 249) + "\r\n"
        #expect(session.receive(bytes(long)) == [reply("-ERR line too long\r\n")])
        #expect(session.errorCount == 1)
        // The tail of the long line was discarded, not taken as commands; the USER no longer counts.
        #expect(session.receive(bytes("PASS x\r\n")) == [reply("-ERR send USER first\r\n")])
        var split = session
        let huge = bytes("USER " + String(repeating: "c", count: 1000))
        #expect(split.receive(huge) == [reply("-ERR line too long\r\n")])
        #expect(split.receive(bytes("more\r\nCAPA\r\n")) == [reply(Self.capaBeforeLogin)])
    }

    @Test("timeouts and shutdowns close with -ERR, even while waiting, and later answers are ignored")
    func timeoutAndShutdown() {
        var idle = session()
        #expect(idle.timedOut() == [reply("-ERR autologout\r\n"), .close])
        #expect(idle.timedOut() == [])
        var waiting = session()
        _ = waiting.receive(bytes("USER ann\r\nPASS x\r\n"))
        #expect(waiting.shuttingDown() == [reply("-ERR [SYS/TEMP] server shutting down\r\n"), .close])
        #expect(waiting.authenticationFinished(.granted([])) == [])
        #expect(!waiting.isWaiting)
    }

    @Test("answers that were not asked for are ignored")
    func strayAnswers() {
        var session = session()
        #expect(session.authenticationFinished(.granted([])) == [])
        #expect(session.messageLoaded([]) == [])
        #expect(session.updateFinished(nil) == [])
        #expect(session.state == .authorization)
    }
}
