// Tests of address validation and recipient policy: domains, postmaster, length limits and SMTPUTF8.
import Testing

@testable import DoorwayMail

@Suite struct AddressPolicyTests {
    typealias T = TestSupport

    func rcptReplies(
        _ recipients: [String], domains: [String] = ["d.example", "other.example"],
        mail: String = "MAIL FROM:<a@b.example>"
    ) -> [String] {
        var session = T.greetedSession(T.configuration(domains: domains, maximumErrors: 100))
        let commands = ([mail] + recipients.map { "RCPT TO:<\($0)>" }).joined(separator: "\r\n") + "\r\n"
        return Array(T.firstLines(session.receive(T.bytes(commands))).dropFirst())
    }

    @Test func configuredDomainsAreAcceptedCaseInsensitively() {
        #expect(
            rcptReplies(["u@d.example", "U@D.EXAMPLE", "x@Other.Example"])
                == Array(
                    repeating: "250 2.1.5 Ok",
                    count: 3))
    }

    @Test func configuredDomainsMayBeGivenInAnyCase() {
        #expect(rcptReplies(["u@d.example"], domains: ["D.Example"]) == ["250 2.1.5 Ok"])
    }

    @Test func otherDomainsAreRelayDenied() {
        #expect(
            rcptReplies(["u@evil.example", "u@sub.d.example", "u@d.example.", "u@[192.0.2.1]"]) == [
                "550 5.7.1 <u@evil.example>: Relaying denied", "550 5.7.1 <u@sub.d.example>: Relaying denied",
                "501 5.1.3 Bad recipient address syntax: <u@d.example.>",
                "550 5.7.1 <u@[192.0.2.1]>: Relaying denied",
            ])
    }

    @Test func postmasterIsAlwaysAccepted() {
        #expect(
            rcptReplies(["postmaster", "PostMaster", "POSTMASTER@d.example", "postmaster@other.example"])
                == Array(repeating: "250 2.1.5 Ok", count: 4))
    }

    @Test func postmasterAtForeignDomainIsNotSpecial() {
        #expect(rcptReplies(["postmaster@evil.example"]) == ["550 5.7.1 <postmaster@evil.example>: Relaying denied"])
    }

    @Test func barePostmasterIsAcceptedAndRecorded() throws {
        var session = T.greetedSession(T.configuration(domains: ["d.example"]))
        let actions = session.receive(T.bytes("MAIL FROM:<>\r\nRCPT TO:<Postmaster>\r\nDATA\r\n.\r\n"))
        #expect(try #require(T.deliveries(actions).first).envelope.recipients == ["Postmaster"])
    }

    @Test func otherBareLocalPartsAreRejected() {
        #expect(rcptReplies(["root"]) == ["501 5.1.3 Bad recipient address syntax: domain required"])
    }

    @Test func emptyDomainListAcceptsEverything() {
        #expect(
            rcptReplies(["u@anything.example", "x@[192.0.2.1]", "y@z"], domains: [])
                == Array(repeating: "250 2.1.5 Ok", count: 3))
    }

    @Test func localPartLengthLimit() {
        let ok = String(repeating: "l", count: 64) + "@d.example"
        let long = String(repeating: "l", count: 65) + "@d.example"
        #expect(rcptReplies([ok, long]) == ["250 2.1.5 Ok", "501 5.1.3 Bad recipient address syntax: path too long"])
    }

    @Test func pathLengthLimit() {
        // 254 octets inside the brackets make a 256-octet path; 255 is one too many.
        let label = String(repeating: "a", count: 60)
        let domain = [label, label, label, "d" + String(repeating: "e", count: 60)].joined(separator: ".")
        let fits = "u" + String(repeating: "v", count: 254 - domain.count - 2) + "@" + domain
        #expect(fits.utf8.count == 254)
        let tooLong = "w" + fits
        #expect(
            rcptReplies([fits, tooLong], domains: []) == [
                "250 2.1.5 Ok", "501 5.1.3 Bad recipient address syntax: path too long",
            ])
    }

    @Test func senderLengthLimit() {
        let long = String(repeating: "s", count: 65) + "@b.example"
        var session = T.greetedSession()
        #expect(
            T.firstLines(session.receive(T.bytes("MAIL FROM:<\(long)>\r\n")))
                == ["501 5.1.7 Bad sender address syntax: path too long"])
    }

    @Test func domainLabelLongerThan63IsRejected() {
        let domain = String(repeating: "a", count: 64) + ".example"
        #expect(rcptReplies(["u@\(domain)"], domains: []).first?.hasPrefix("501 5.1.3") == true)
    }

    @Test func nonASCIIRecipientNeedsSMTPUTF8() {
        #expect(rcptReplies(["ü@d.example"]) == ["553 5.6.7 Non-ASCII address requires SMTPUTF8"])
        #expect(rcptReplies(["ü@d.example"], mail: "MAIL FROM:<a@b.example> SMTPUTF8") == ["250 2.1.5 Ok"])
    }

    @Test func nonASCIISenderNeedsSMTPUTF8() {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<jö@b.example>\r\nMAIL FROM:<jö@b.example> SMTPUTF8\r\n"))
        #expect(T.firstLines(actions) == ["553 5.6.7 Non-ASCII address requires SMTPUTF8", "250 2.1.0 Ok"])
    }

    @Test func nonASCIIDomainIsMatchedOnlyWithSMTPUTF8() {
        #expect(
            rcptReplies(
                ["u@bücher.example"], domains: ["bücher.example"],
                mail: "MAIL FROM:<a@b.example> SMTPUTF8") == ["250 2.1.5 Ok"])
    }

    @Test func invalidUTF8IsRejectedEvenWithSMTPUTF8() {
        var session = T.greetedSession()
        let command = T.bytes("MAIL FROM:<a") + [0xFF, 0xFE] + T.bytes("@b.example> SMTPUTF8\r\n")
        #expect(T.firstLines(session.receive(command)) == ["553 5.6.7 Address is not valid UTF-8"])
    }

    @Test func quotedLocalPartsWithSpecialCharacters() throws {
        var session = T.greetedSession()
        let actions = session.receive(
            T.bytes("MAIL FROM:<\"a>b\"@b.example>\r\nRCPT TO:<\"x \\\"y\\\" z\"@d.example>\r\nDATA\r\n.\r\n")
        )
        let delivery = try #require(T.deliveries(actions).first)
        #expect(delivery.envelope.reversePath == "\"a>b\"@b.example")
        #expect(delivery.envelope.recipients == ["\"x \\\"y\\\" z\"@d.example"])
    }

    @Test func controlCharactersInAddressesAreRejected() {
        var session = T.greetedSession()
        let actions = session.receive(T.bytes("MAIL FROM:<a\u{1}b@b.example>\r\nMAIL FROM:<\"a\rb\"@b.example>\r\n"))
        #expect(T.codes(actions) == [501, 501])
    }

    @Test(arguments: [
        ("<a@b.example>", "a@b.example"), ("<>", ""), ("<@r.example:a@b.example>", "a@b.example"),
        ("<\"q\"@b.example>", "\"q\"@b.example"), ("<a@[IPv6:2001:db8::1]>", "a@[IPv6:2001:db8::1]"),
    ])
    func mailPathParsing(_ input: String, _ mailbox: String) throws {
        let split = try #require(MailPath.split(T.bytes(input)[...]))
        let path = try MailPath.parse(split.path).get()
        #expect(T.text(path.mailbox) == mailbox)
    }
}
