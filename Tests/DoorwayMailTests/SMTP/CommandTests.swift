// Tests of each SMTP command's replies, including syntax errors and parameter handling.
import Testing

@testable import DoorwayMail

@Suite struct CommandTests {
    typealias T = TestSupport

    /// Sends one command to a greeted session (or an ungreeted one) and returns the first reply's first line.
    func reply(to command: String, greeted: Bool = true) -> [String] {
        var session = greeted ? T.greetedSession() : T.session()
        return T.firstLines(session.receive(T.bytes(command + "\r\n")))
    }

    @Test func ehloListsExtensionsInOrder() throws {
        var session = T.session()
        _ = session.start()
        let reply = try #require(T.replies(session.receive(T.bytes("EHLO client.example\r\n"))).first)
        #expect(reply.code == 250)
        #expect(
            reply.lines == [
                "mx.example.org", "SIZE 26214400", "8BITMIME", "SMTPUTF8", "PIPELINING", "ENHANCEDSTATUSCODES", "HELP",
            ])
        #expect(
            T.text(reply.bytes) == "250-mx.example.org\r\n250-SIZE 26214400\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
                + "250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250 HELP\r\n")
    }

    @Test func ehloAdvertisesConfiguredSize() throws {
        var session = T.session(T.configuration(maximumMessageSize: 1000))
        let reply = try #require(T.replies(session.receive(T.bytes("EHLO c\r\n"))).first)
        #expect(reply.lines.contains("SIZE 1000"))
    }

    @Test func heloRepliesWithHostname() {
        #expect(reply(to: "HELO client.example", greeted: false) == ["250 mx.example.org"])
    }

    @Test(arguments: ["ehlo c.example", "Ehlo c.example", "helo c.example", "EHLO [192.0.2.1]"])
    func helloVerbsAreCaseInsensitive(_ command: String) {
        #expect(reply(to: command, greeted: false).first?.hasPrefix("250") == true)
    }

    @Test(arguments: ["EHLO", "HELO", "EHLO two words", "HELO a\u{7}b", "EHLO   "])
    func helloSyntaxErrors(_ command: String) {
        #expect(reply(to: command, greeted: false).first?.hasPrefix("501 5.5.4 Syntax:") == true)
    }

    @Test func mailFromVariantsAccepted() {
        for command in [
            "MAIL FROM:<a@b.example>", "mail from:<a@b.example>", "MAIL FROM: <a@b.example>", "MAIL FROM:<>",
            "MAIL FROM:<\"quoted local\"@b.example>", "MAIL FROM:<a@[192.0.2.1]>", "MAIL FROM:<a@b.example> SIZE=10",
            "MAIL FROM:<a@b.example>  SIZE=10  BODY=8BITMIME", "MAIL FROM:<a.b+c@sub-x.b_c.example>",
        ] {
            #expect(reply(to: command) == ["250 2.1.0 Ok"], "\(command)")
        }
    }

    @Test(arguments: [
        "MAIL a@b.example", "MAIL FROM:a@b.example", "MAIL FROM:<a@b.example", "MAIL TO:<a@b.example>", "MAIL",
        "MAIL FROM:<a@b.example>SIZE=1", "MAIL FROM:<\"unterminated@c.example>",
    ])
    func mailSyntaxErrors(_ command: String) {
        #expect(reply(to: command) == ["501 5.5.4 Syntax: MAIL FROM:<address>"])
    }

    @Test(arguments: [
        "MAIL FROM:<a>", "MAIL FROM:<a@>", "MAIL FROM:<@b.example>", "MAIL FROM:<a b@c.example>",
        "MAIL FROM:<a@b..example>", "MAIL FROM:<a@.example>", "MAIL FROM:<a@b.example.>", "MAIL FROM:<a@@b.example>",
        "MAIL FROM:<a(b)@c.example>", "MAIL FROM:<@x.example>",
        "MAIL FROM:<@x.example:>", "MAIL FROM:<a@[]>",
    ])
    func mailBadAddress(_ command: String) {
        #expect(reply(to: command).first?.hasPrefix("501 5.1.7") == true, "\(command)")
    }

    @Test(arguments: [
        "SIZE=abc", "SIZE=", "SIZE", "SIZE=-1", "BODY=BINARYMIME", "BODY", "SMTPUTF8=yes",
        "SIZE=1 SIZE=2", "=x",
    ])
    func mailParameterSyntaxErrors(_ parameter: String) {
        #expect(reply(to: "MAIL FROM:<a@b.example> \(parameter)").first?.hasPrefix("501 5.5.4") == true)
    }

    @Test(arguments: ["RET=HDRS", "ENVID=x", "AUTH=<>", "FOO"])
    func mailUnknownParameterIs555(_ parameter: String) {
        let keyword = String(parameter.prefix { $0 != "=" })
        #expect(reply(to: "MAIL FROM:<a@b.example> \(parameter)") == ["555 5.5.4 Unsupported option: \(keyword)"])
    }

    @Test(arguments: ["NOTIFY=NEVER", "ORCPT=rfc822;a@b", "X"])
    func rcptParametersAre555(_ parameter: String) {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example> \(parameter)\r\n"))
        #expect(T.codes(actions) == [250, 555])
    }

    @Test(arguments: ["RCPT u@d.example", "RCPT TO:u@d.example", "RCPT FROM:<u@d.example>", "RCPT TO:<u@d.example"])
    func rcptSyntaxErrors(_ command: String) {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<a@b.example>\r\n\(command)\r\n"))
        #expect(T.firstLines(actions).last == "501 5.5.4 Syntax: RCPT TO:<address>")
    }

    @Test(arguments: ["RCPT TO:<>", "RCPT TO:<user>", "RCPT TO:<u@d..example>", "RCPT TO:<u;x@d.example>"])
    func rcptBadAddress(_ command: String) {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<a@b.example>\r\n\(command)\r\n"))
        #expect(T.firstLines(actions).last?.hasPrefix("501 5.1.3") == true)
    }

    @Test func dataWithArgumentIsSyntaxError() {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nDATA x\r\n"))
        #expect(T.firstLines(actions).last == "501 5.5.4 Syntax: DATA")
        #expect(session.phase == .command)
    }

    @Test func trailingSpacesAfterCommandsAreTolerated() {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<a@b.example> \r\nRCPT TO:<u@d.example>\t\r\nDATA \r\n"))
        #expect(T.codes(actions) == [250, 250, 354])
    }

    @Test func rsetNoopHelpVrfy() {
        #expect(reply(to: "RSET") == ["250 2.0.0 Ok"])
        #expect(reply(to: "RSET now").first?.hasPrefix("501 5.5.4") == true)
        #expect(reply(to: "NOOP") == ["250 2.0.0 Ok"])
        #expect(reply(to: "noop anything goes") == ["250 2.0.0 Ok"])
        #expect(reply(to: "HELP").first?.hasPrefix("214 2.0.0") == true)
        #expect(reply(to: "HELP MAIL").first?.hasPrefix("214 2.0.0") == true)
        #expect(reply(to: "VRFY bob") == ["252 2.5.2 Cannot VRFY user, but will accept message"])
        #expect(reply(to: "VRFY bob", greeted: false) == ["252 2.5.2 Cannot VRFY user, but will accept message"])
        #expect(reply(to: "VRFY") == ["501 5.5.4 Syntax: VRFY address"])
    }

    @Test func quitRepliesAndCloses() {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("QUIT\r\nNOOP\r\n"))
        #expect(actions == [.reply(SMTPReply(code: 221, lines: ["2.0.0 Bye"])), .close])
        #expect(session.phase == .closed)
        #expect(session.receive(T.bytes("NOOP\r\n")).isEmpty)
        #expect(session.timedOut().isEmpty)
        #expect(session.deliveryFinished(.stored).isEmpty)
    }

    @Test func quitBeforeGreetingAndWithArguments() {
        #expect(reply(to: "QUIT", greeted: false) == ["221 2.0.0 Bye"])
        #expect(reply(to: "quit now") == ["221 2.0.0 Bye"])
    }

    @Test(arguments: ["FOO", "GET / HTTP/1.1", "", " MAIL FROM:<a@b.example>", "MAILFROM:<a@b.example>", "\u{1}"])
    func unknownCommandIs500(_ command: String) {
        #expect(reply(to: command) == ["500 5.5.2 Error: command not recognized"])
    }

    @Test(arguments: ["EXPN list", "STARTTLS", "AUTH PLAIN", "BDAT 10 LAST", "TURN", "ETRN x"])
    func knownButUnimplementedIs502(_ command: String) {
        #expect(reply(to: command) == ["502 5.5.1 Error: command not implemented"])
    }

    @Test func nonASCIIVerbIsUnknown() {
        var session = T.greetedSession()
        #expect(T.codes(session.receive([0xC3, 0xA9, 0x0D, 0x0A])) == [500])
    }

    @Test func startOnlyGreetsOnce() {
        var session = T.session()
        #expect(T.codes(session.start()) == [220])
        #expect(session.start().isEmpty)
    }

    @Test func greetingHasNoEnhancedCodeButOtherRepliesDo() {
        var session = T.session()
        #expect(T.firstLines(session.start()) == ["220 mx.example.org ESMTP door"])
        let lines = T.firstLines(session.receive(T.bytes("NOOP\r\nMAIL FROM:<a@b.example>\r\nFOO\r\n")))
        #expect(
            lines == [
                "250 2.0.0 Ok", "503 5.5.1 Error: send HELO/EHLO first",
                "500 5.5.2 Error: command not recognized",
            ])
    }
}
