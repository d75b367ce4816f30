// Tests for request-target decoding, normalisation, traversal defences and path encoding.
import Testing

@testable import DoorwayHTTP

@Suite struct RequestTargetTests {
    static func parse(_ target: String) -> RequestTarget? {
        try? RequestTarget.parse(target)
    }

    static func reason(_ target: String) -> String? {
        do {
            _ = try RequestTarget.parse(target)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func parsesOriginForm() throws {
        let target = try RequestTarget.parse("/a/b.html?x=1&y=2")
        #expect(target.segments == ["a", "b.html"])
        #expect(!target.hasTrailingSlash)
        #expect(target.query == "x=1&y=2")
        #expect(target.path == "/a/b.html")
    }

    @Test func rootIsADirectory() throws {
        let root = try RequestTarget.parse("/")
        #expect(root.segments.isEmpty)
        #expect(root.hasTrailingSlash)
        #expect(root.path == "/")
        #expect(root.query == nil)
    }

    @Test func queryIsKeptRawAndEmptyQueryDiffersFromNone() throws {
        #expect(try RequestTarget.parse("/?").query == "")
        #expect(try RequestTarget.parse("/a").query == nil)
        #expect(try RequestTarget.parse("/a?b=%2F&c=/d?e").query == "b=%2F&c=/d?e")
        // Dot segments and encodings after '?' belong to the query, not the path.
        #expect(try RequestTarget.parse("/a?/../..").segments == ["a"])
    }

    @Test func trailingSlashIsRemembered() throws {
        let directory = try RequestTarget.parse("/docs/")
        #expect(directory.segments == ["docs"])
        #expect(directory.hasTrailingSlash)
        #expect(directory.path == "/docs/")
        #expect(try RequestTarget.parse("/docs").path == "/docs")
    }

    @Test func parsesAbsoluteForm() throws {
        #expect(
            try RequestTarget.parse("http://example.com/a/b?q")
                == RequestTarget(
                    segments: ["a", "b"], hasTrailingSlash: false, query: "q"))
        #expect(
            try RequestTarget.parse("https://example.com:8443/x/")
                == RequestTarget(
                    segments: ["x"], hasTrailingSlash: true, query: nil))
        #expect(try RequestTarget.parse("HTTP://EXAMPLE.COM/A").segments == ["A"])
        #expect(try RequestTarget.parse("http://example.com").path == "/")
        #expect(
            try RequestTarget.parse("http://example.com?q=1")
                == RequestTarget(
                    segments: [], hasTrailingSlash: true, query: "q=1"))
        #expect(try RequestTarget.parse("http://[::1]:8080/a").segments == ["a"])
    }

    @Test func absoluteFormIsNormalisedToo() {
        #expect(Self.reason("http://example.com/../etc/passwd") == "path escapes the root")
        #expect(Self.parse("http://example.com/a/../b")?.segments == ["b"])
    }

    @Test(arguments: ["*", "", "a/b", "example.com/a", "ftp://example.com/a", "http:/a", "//a/b/..x"])
    func rejectsOtherForms(target: String) {
        // "//a" is origin-form with empty segments, so only the others must fail.
        if target.hasPrefix("//") {
            #expect(Self.parse(target)?.segments == ["a", "b", "..x"])
        } else {
            #expect(Self.reason(target) != nil)
        }
    }

    @Test func rejectsMissingHostAndUserinfo() {
        #expect(Self.reason("http:///a") == "missing host")
        #expect(Self.reason("http://user:pass@example.com/a") == "userinfo in authority")
    }

    @Test func rejectsFragments() {
        #expect(Self.reason("/a#b") == "fragment")
        #expect(Self.reason("/a?q#b") == "fragment")
        #expect(Self.reason("http://h/#") == "fragment")
        // An encoded '#' is just a character of a file name.
        #expect(Self.parse("/a%23b")?.segments == ["a#b"])
    }

    @Test(arguments: ["/a b", "/a\tb", "/a\u{0}b", "/a\u{7F}", "/a\r\n", "/a?b c"])
    func rejectsRawControlCharactersAndSpaces(target: String) {
        #expect(Self.reason(target) == "control character or space")
    }

    @Test func decodesPercentEscapesOnce() throws {
        let target = try RequestTarget.parse("/caf%C3%A9/a%20b/%41%62%63/%252e%252e")
        #expect(target.segments == ["café", "a b", "Abc", "%2e%2e"])
        #expect(try RequestTarget.parse("/%7e%7E").segments == ["~~"])
    }

    @Test func acceptsRawUTF8() {
        #expect(Self.parse("/café/日本")?.segments == ["café", "日本"])
    }

    @Test func rejectsEncodedSlash() {
        #expect(Self.reason("/a%2Fb") == "encoded slash")
        #expect(Self.reason("/a%2fb") == "encoded slash")
        #expect(Self.reason("/..%2f..%2fetc") == "encoded slash")
        #expect(Self.reason("/..%2F..%2Fetc%2Fpasswd") == "encoded slash")
    }

    @Test func rejectsEncodedNUL() {
        #expect(Self.reason("/a%00") == "encoded NUL")
        #expect(Self.reason("/index.html%00.png") == "encoded NUL")
    }

    @Test(arguments: ["/%", "/a%", "/a%2", "/%G1", "/%1G", "/%%32%65", "/%-1", "/%+2", "/%٣٣"])
    func rejectsMalformedEscapes(target: String) {
        #expect(Self.reason(target) == "malformed percent-encoding")
    }

    @Test(arguments: ["/%FF", "/%C3", "/%C3%28", "/%ED%A0%80", "/%C0%AF", "/%E0%80%AF", "/%F8%88%80%80%80"])
    func rejectsInvalidUTF8(target: String) {
        // Overlong encodings such as %C0%AF ('/') are exactly what old traversal exploits relied on.
        #expect(Self.reason(target) == "invalid UTF-8")
    }

    @Test func removesDotSegments() throws {
        #expect(try RequestTarget.parse("/a/./b/../c").segments == ["a", "c"])
        #expect(try RequestTarget.parse("/a/b/..").path == "/a/")
        #expect(try RequestTarget.parse("/a/b/.").path == "/a/b/")
        #expect(try RequestTarget.parse("/a/..").path == "/")
        #expect(try RequestTarget.parse("/.").path == "/")
        #expect(try RequestTarget.parse("/a/../b").hasTrailingSlash == false)
    }

    @Test func collapsesEmptySegments() throws {
        let target = try RequestTarget.parse("//a///b")
        #expect(target.segments == ["a", "b"])
        #expect(!target.hasTrailingSlash)
        #expect(try RequestTarget.parse("//a///b//").path == "/a/b/")
        #expect(try RequestTarget.parse("//").path == "/")
    }

    @Test(arguments: [
        "/..", "/../", "/../etc/passwd", "/a/../..", "/a/../../b", "/%2e%2e/etc/passwd", "/%2E%2E", "/.%2E/x",
        "/%2e./x", "/a/%2E%2E/%2E%2E/x", "/./..", "//../a", "http://h/%2e%2e/",
    ])
    func rejectsEscapingTheRoot(target: String) {
        #expect(Self.reason(target) == "path escapes the root")
    }

    @Test func encodedDotSegmentsAreNormalisedLikePlainOnes() throws {
        #expect(try RequestTarget.parse("/a/b/%2e%2e/c").segments == ["a", "c"])
        #expect(try RequestTarget.parse("/a/%2e/c").segments == ["a", "c"])
        #expect(try RequestTarget.parse("/a/b/%2E%2E").path == "/a/")
    }

    @Test func doubleEncodingIsALiteralName() throws {
        let target = try RequestTarget.parse("/%252e%252e/etc")
        #expect(target.segments == ["%2e%2e", "etc"])
        #expect(target.path == "/%2e%2e/etc")
    }

    @Test(arguments: ["text..txt", "..foo", "foo..", "...", "....", ". .", "..\\..\\x", "%2e%2e%2e"])
    func dotsInsideNamesAreLiteral(name: String) throws {
        let expected = name.replacingOccurrences("%2e", with: ".")
        let encoded = name.replacingOccurrences(" ", with: "%20")
        #expect(try RequestTarget.parse("/dir/" + encoded).segments == ["dir", expected])
    }

    @Test func backslashesAreOrdinaryCharacters() throws {
        #expect(try RequestTarget.parse("/..\\..\\x").segments == ["..\\..\\x"])
        #expect(try RequestTarget.parse("/a%5C..%5Cb").segments == ["a\\..\\b"])
    }

    @Test func hiddenSegmentsAreDetected() throws {
        #expect(try RequestTarget.parse("/.git/config").isHidden)
        #expect(try RequestTarget.parse("/a/.env").isHidden)
        #expect(try RequestTarget.parse("/%2Ehtaccess").isHidden)
        #expect(try RequestTarget.parse("/..foo").isHidden)
        #expect(try !RequestTarget.parse("/a/b.txt").isHidden)
        #expect(try !RequestTarget.parse("/a/./b").isHidden)
        #expect(try !RequestTarget.parse("/").isHidden)
    }

    @Test func percentEncodePathKeepsSafeCharacters() {
        #expect(RequestTarget.percentEncodePath([]) == "/")
        #expect(RequestTarget.percentEncodePath(["a", "b.txt"]) == "/a/b.txt")
        #expect(RequestTarget.percentEncodePath(["AZaz09-._~!$&'()*+,;=:@"]) == "/AZaz09-._~!$&'()*+,;=:@")
    }

    @Test func percentEncodePathEncodesDelimitersAndNonASCII() {
        #expect(RequestTarget.percentEncodePath(["a b", "c?d#e", "100%"]) == "/a%20b/c%3Fd%23e/100%25")
        #expect(RequestTarget.percentEncodePath(["café"]) == "/caf%C3%A9")
        #expect(RequestTarget.percentEncodePath(["a/b"]) == "/a%2Fb")
        #expect(RequestTarget.percentEncodePath(["<\"\\`{|}^>[]"]) == "/%3C%22%5C%60%7B%7C%7D%5E%3E%5B%5D")
        #expect(RequestTarget.percentEncodePath(["\r\n\u{0}\u{7F}"]) == "/%0D%0A%00%7F")
    }

    @Test(arguments: [["a b", "c?d#e"], ["café", "日本語"], ["100%", "%2e%2e"], ["x:y@z", "(1)+[2]"], ["..foo"]])
    func percentEncodedPathParsesBackToTheSameSegments(segments: [String]) throws {
        let target = try RequestTarget.parse(RequestTarget.percentEncodePath(segments))
        #expect(target.segments == segments)
    }

    @Test func colonCanBeEncodedForRelativeReferences() {
        #expect(RequestTarget.percentEncodeSegment("javascript:x", encodeColon: true) == "javascript%3Ax")
        #expect(RequestTarget.percentEncodeSegment("javascript:x") == "javascript:x")
    }
}

extension String {
    /// Foundation-free replacement for tests.
    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
