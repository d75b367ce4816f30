// Tests that no end-of-data look-alike (bare LF, bare CR, stuffed dots) can end a message early and smuggle a
// second transaction (SMTP smuggling, CVE-2023-51764/51765/51766), in both line-ending modes and any chunking.
import DoorwayBasics
import Testing

@testable import DoorwayMail

struct SmugglingVariant: Sendable, CustomTestStringConvertible {
    let name: String
    /// DATA content sent before the smuggled commands.
    let data: String
    /// Body expected when normalising bare LF.
    let expectedBody: String
    let containsBareLF: Bool

    var testDescription: String { name }

    static let smuggled = "MAIL FROM:<evil@x>\r\nRCPT TO:<v@y>\r\nDATA\r\nevil\r\n"

    static let all: [SmugglingVariant] = [
        SmugglingVariant(name: "\\n.\\n", data: "hello\n.\n", expectedBody: "hello\r\n.\r\n", containsBareLF: true),
        SmugglingVariant(
            name: "\\n.\\r\\n", data: "hello\n.\r\n", expectedBody: "hello\r\n.\r\n",
            containsBareLF: true),
        SmugglingVariant(
            name: "\\r\\n.\\n", data: "hello\r\n.\n", expectedBody: "hello\r\n.\r\n",
            containsBareLF: true),
        SmugglingVariant(name: "\\r.\\r", data: "hello\r.\r", expectedBody: "hello\r.\r", containsBareLF: false),
        SmugglingVariant(name: "\\r\\n.\\r", data: "hello\r\n.\r", expectedBody: "hello\r\n\r", containsBareLF: false),
        SmugglingVariant(name: ".\\n at start", data: ".\n", expectedBody: ".\r\n", containsBareLF: true),
        SmugglingVariant(
            name: "\\r\\n..\\r\\n", data: "hello\r\n..\r\n", expectedBody: "hello\r\n.\r\n",
            containsBareLF: false),
        SmugglingVariant(name: "\\r.\\r\\n", data: "hello\r.\r\n", expectedBody: "hello\r.\r\n", containsBareLF: false),
        SmugglingVariant(name: "\\n..\\n", data: "hello\n..\n", expectedBody: "hello\r\n.\r\n", containsBareLF: true),
        SmugglingVariant(
            name: "\\r\\n.\\r\\r\\n", data: "hello\r\n.\r\r\n", expectedBody: "hello\r\n\r\r\n",
            containsBareLF: false),
        SmugglingVariant(
            name: "\\r\\n.\\0\\r\\n", data: "hello\r\n.\u{0}\r\n", expectedBody: "hello\r\n\u{0}\r\n",
            containsBareLF: false),
        SmugglingVariant(
            name: "\\r\\n .\\r\\n", data: "hello\r\n .\r\n", expectedBody: "hello\r\n .\r\n",
            containsBareLF: false),
    ]

    var stream: [UInt8] {
        TestSupport.bytes(
            "EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n" + data + Self.smuggled
                + ".\r\nQUIT\r\n"
        )
    }
}

@Suite struct SmugglingTests {
    typealias T = TestSupport

    @Test(arguments: SmugglingVariant.all)
    func normaliseModeKeepsSmuggledTextInsideFirstMessage(_ variant: SmugglingVariant) throws {
        var session = T.session()
        let actions = T.drive(&session, chunks: [variant.stream])
        let deliveries = T.deliveries(actions)
        try #require(deliveries.count == 1)
        #expect(deliveries[0].envelope.recipients == ["u@d.example"])
        #expect(deliveries[0].envelope.reversePath == "a@b.example")
        #expect(T.body(deliveries[0].message) == variant.expectedBody + SmugglingVariant.smuggled)
        #expect(T.codes(actions).filter { $0 == 354 }.count == 1, "the smuggled DATA must never run as a command")
        #expect(T.codes(actions) == [220, 250, 250, 250, 354, 250, 221])
    }

    @Test(arguments: SmugglingVariant.all)
    func strictModeRejectsBareLFAndNeverSmuggles(_ variant: SmugglingVariant) throws {
        var session = T.session(T.configuration(strict: true))
        let actions = T.drive(&session, chunks: [variant.stream])
        let deliveries = T.deliveries(actions)
        #expect(T.codes(actions).filter { $0 == 354 }.count == 1)
        if variant.containsBareLF {
            #expect(deliveries.isEmpty)
            #expect(T.firstLines(actions).contains("554 5.5.2 Error: bare <LF> received"))
            #expect(T.codes(actions) == [220, 250, 250, 250, 354, 554, 221])
        } else {
            try #require(deliveries.count == 1)
            #expect(T.body(deliveries[0].message) == variant.expectedBody + SmugglingVariant.smuggled)
        }
    }

    @Test(arguments: SmugglingVariant.all)
    func randomChunkingsGiveTheSameActions(_ variant: SmugglingVariant) {
        for strict in [false, true] {
            var reference = T.session(T.configuration(strict: strict))
            let expected = T.drive(&reference, chunks: [variant.stream])
            var generator = SplitMix64(seed: UInt64(variant.name.utf8.count) &* 7919)
            for round in 0..<200 {
                var session = T.session(T.configuration(strict: strict))
                let chunks = T.randomChunks(variant.stream, maximum: round % 2 == 0 ? 3 : 40, using: &generator)
                #expect(T.drive(&session, chunks: chunks) == expected)
            }
            var bytewise = T.session(T.configuration(strict: strict))
            #expect(T.drive(&bytewise, chunks: variant.stream.map { [$0] }) == expected)
        }
    }

    @Test func realEndOfDataAfterCRLFEndsTheMessage() throws {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nhello\r\n.\r\n"))
        #expect(try T.body(#require(T.deliveries(actions).first).message) == "hello\r\n")
    }

    @Test func dotFirstLineEndsDataOnlyAfterCRLFTerminatedDataCommand() throws {
        var crlf = T.greetedSession()
        #expect(
            T.deliveries(crlf.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\n.\r\n"))).count
                == 1)
        var bareLF = T.greetedSession()
        let actions = bareLF.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\n.\r\nx\r\n.\r\n"))
        #expect(try T.body(#require(T.deliveries(actions).first).message) == ".\r\nx\r\n")
    }

    @Test func bareLFLinesAreNormalisedToCRLF() throws {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\na\nb\r\n\n.\r\n.\r\n"))
        #expect(try T.body(#require(T.deliveries(actions).first).message) == "a\r\nb\r\n\r\n.\r\n")
    }

    @Test func normaliseModeAcceptsBareLFCommands() {
        var session = T.session()
        #expect(
            T.codes(session.receive(T.bytes("EHLO c\nMAIL FROM:<>\nRCPT TO:<u@d.example>\nNOOP\n")))
                == [250, 250, 250, 250])
    }

    @Test func strictModeRejectsBareLFCommandsImmediately() {
        var session = T.session(T.configuration(strict: true))
        let actions = session.receive(T.bytes("EHLO c\nEHLO c\r\nMAIL FROM:<>\n"))
        #expect(
            T.firstLines(actions) == [
                "554 5.5.2 Error: bare <LF> received", "250 mx.example.org", "554 5.5.2 Error: bare <LF> received",
            ])
    }

    @Test func strictModeBareLFInDataRejectsAndContinues() {
        var session = T.greetedSession(T.configuration(strict: true))
        let actions = session.receive(
            T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\nfine\r\nbad\nstill\r\n.\r\nNOOP\r\n")
        )
        #expect(T.deliveries(actions).isEmpty)
        #expect(T.codes(actions) == [250, 250, 354, 554, 250])
        #expect(session.phase == .command)
    }

    @Test func strictModeAcceptsCleanMessagesAndBareCR() throws {
        var session = T.greetedSession(T.configuration(strict: true))
        let actions = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<u@d.example>\r\nDATA\r\na\rb\r\n.\r\n"))
        #expect(try T.body(#require(T.deliveries(actions).first).message) == "a\rb\r\n")
    }
}
