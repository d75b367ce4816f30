// Tests for combined-format access log lines and their injection defences.
import Testing

@testable import DoorwayWeb

@Suite struct CombinedLogLineTests {
    static func line(
        method: String = "GET", target: String = "/a", version: String = "HTTP/1.1", status: Int = 200,
        bytesSent: Int = 2326, referer: String? = "http://ref/", userAgent: String? = "curl/8.0",
        remoteAddress: String = "127.0.0.1"
    ) -> String {
        CombinedLogLine.format(
            remoteAddress: remoteAddress, time: 971_186_136, method: method, target: target, version: version,
            status: status, bytesSent: bytesSent, referer: referer, userAgent: userAgent)
    }

    @Test func formatsTheCombinedFormat() {
        let expected =
            "127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /a HTTP/1.1\" 200 2326 "
            + "\"http://ref/\" \"curl/8.0\"\n"
        #expect(Self.line() == expected)
    }

    @Test func missingOrEmptyRefererAndAgentBecomeDash() {
        #expect(Self.line(referer: nil, userAgent: nil).hasSuffix(" 200 2326 \"-\" \"-\"\n"))
        #expect(Self.line(referer: "", userAgent: "").hasSuffix(" 200 2326 \"-\" \"-\"\n"))
    }

    @Test func quotesAndBackslashesAreEscaped() {
        let line = Self.line(target: "/a\"b\\c", userAgent: "x\" \"evil")
        #expect(line.contains("\"GET /a\\\"b\\\\c HTTP/1.1\""))
        #expect(line.hasSuffix("\"x\\\" \\\"evil\"\n"))
    }

    @Test func controlCharactersCannotInjectLines() {
        let line = Self.line(
            target: "/a\r\n127.0.0.1 - - [forged]", referer: "r\u{0}\u{1B}[31m", userAgent: "tab\there\u{7F}")
        #expect(line.split(separator: "\n", omittingEmptySubsequences: false).count == 2)
        #expect(!line.dropLast().contains("\n"))
        #expect(!line.contains("\r"))
        #expect(line.contains("/a\\x0D\\x0A127.0.0.1 - - [forged]"))
        #expect(line.contains("\"r\\x00\\x1B[31m\""))
        #expect(line.contains("\"tab\\x09here\\x7F\""))
    }

    @Test func nonASCIIBytesAreHexEscaped() {
        #expect(Self.line(userAgent: "café").hasSuffix("\"caf\\xC3\\xA9\"\n"))
    }

    @Test func everyFieldIsEscaped() {
        let line = Self.line(
            method: "G\"T", version: "HTTP/1.1\n", remoteAddress: "1.2.3.4\n")
        #expect(line.hasPrefix("1.2.3.4\\x0A - - ["))
        #expect(line.contains("\"G\\\"T /a HTTP/1.1\\x0A\""))
    }

    @Test func outputIsPrintableASCIIExceptTheFinalNewline() {
        let hostile = String(decoding: (0...255).map { UInt8($0) }, as: UTF8.self)
        let line = Self.line(method: hostile, target: hostile, version: hostile, referer: hostile, userAgent: hostile)
        #expect(line.utf8.last == UInt8(ascii: "\n"))
        #expect(line.utf8.dropLast().allSatisfy { (0x20..<0x7F).contains($0) })
    }

    @Test func numbersAreClamped() {
        #expect(Self.line(status: -1, bytesSent: -100).contains("\" 0 0 \""))
        #expect(Self.line(status: 404, bytesSent: 0).contains("\" 404 0 \""))
    }
}
