// Tests for the HTML directory index page.
import DoorwayHTTP
import Testing

@testable import DoorwayWeb

@Suite struct DirectoryListingTests {
    static let entries = [
        DirectoryListing.Entry(name: "zeta.txt", isDirectory: false, size: 12, modified: 971_186_136),
        DirectoryListing.Entry(name: "beta", isDirectory: true, size: 4096, modified: 0),
        DirectoryListing.Entry(name: "Alpha.txt", isDirectory: false, size: 2048, modified: 0),
        DirectoryListing.Entry(name: "alpha", isDirectory: true, size: 4096, modified: 0),
    ]

    /// The href attribute values in document order.
    static func hrefs(_ html: String) -> [String] {
        html.split(separator: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func isAnHTML5PageWithTitleAndHeading() {
        let html = DirectoryListing.html(displayPath: "/x/", entries: [], hrefPrefix: "")
        #expect(html.hasPrefix("<!DOCTYPE html>\n"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<title>Index of /x/</title>"))
        #expect(html.contains("<h1>Index of /x/</h1>"))
        #expect(html.hasSuffix("</html>\n"))
    }

    @Test func parentLinkOnlyBelowTheRoot() {
        let sub = DirectoryListing.html(displayPath: "/x/", entries: [], hrefPrefix: "")
        #expect(Self.hrefs(sub) == ["../"])
        let root = DirectoryListing.html(displayPath: "/", entries: [], hrefPrefix: "")
        #expect(Self.hrefs(root).isEmpty)
        #expect(!root.contains("../"))
    }

    @Test func directoriesFirstThenNamesByteOrder() {
        let html = DirectoryListing.html(displayPath: "/", entries: Self.entries, hrefPrefix: "")
        #expect(Self.hrefs(html) == ["alpha/", "beta/", "Alpha.txt", "zeta.txt"])
        #expect(html.contains(">alpha/</a>"))
        #expect(html.contains(">zeta.txt</a>"))
    }

    @Test func showsSizesForFilesAndDashForDirectories() {
        let html = DirectoryListing.html(displayPath: "/", entries: Self.entries, hrefPrefix: "")
        #expect(html.contains(">zeta.txt</a></td><td class=\"size\">12</td><td>10-Oct-2000 13:55</td></tr>"))
        #expect(html.contains(">beta/</a></td><td class=\"size\">-</td><td>01-Jan-1970 00:00</td></tr>"))
        #expect(!html.contains("4096"))
    }

    @Test func hrefPrefixIsPrepended() {
        let html = DirectoryListing.html(displayPath: "/x y/", entries: Self.entries, hrefPrefix: "/x%20y/")
        #expect(Self.hrefs(html) == ["../", "/x%20y/alpha/", "/x%20y/beta/", "/x%20y/Alpha.txt", "/x%20y/zeta.txt"])
    }

    @Test func escapesMarkupInNamesAndPath() {
        let evil = DirectoryListing.Entry(
            name: "<script>alert(1)</script>", isDirectory: false, size: 1, modified: 0)
        let quotes = DirectoryListing.Entry(name: "a\"b'c&d", isDirectory: false, size: 1, modified: 0)
        let html = DirectoryListing.html(
            displayPath: "/<img src=x onerror=alert(1)>/", entries: [evil, quotes], hrefPrefix: "")
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(html.contains(">&lt;script&gt;alert(1)&lt;/script&gt;</a>"))
        #expect(html.contains("<title>Index of /&lt;img src=x onerror=alert(1)&gt;/</title>"))
        #expect(html.contains(">a&quot;b&#39;c&amp;d</a>"))
        // In the href the characters are percent-encoded, except those RFC 3986 keeps, which are then escaped.
        #expect(Self.hrefs(html).contains("%3Cscript%3Ealert(1)%3C%2Fscript%3E"))
        #expect(Self.hrefs(html).contains("a%22b&#39;c&amp;d"))
    }

    @Test func encodesQueryFragmentAndSpaceInHrefs() {
        let entries = [
            DirectoryListing.Entry(name: "what? #1 draft.txt", isDirectory: false, size: 1, modified: 0),
            DirectoryListing.Entry(name: "100% done", isDirectory: true, size: 0, modified: 0),
            DirectoryListing.Entry(name: "café", isDirectory: false, size: 1, modified: 0),
        ]
        let html = DirectoryListing.html(displayPath: "/", entries: entries, hrefPrefix: "")
        #expect(Self.hrefs(html) == ["100%25%20done/", "caf%C3%A9", "what%3F%20%231%20draft.txt"])
        #expect(html.contains(">what? #1 draft.txt</a>"))
    }

    @Test func colonInANameCannotBecomeAScheme() {
        let entry = DirectoryListing.Entry(name: "javascript:alert(1)", isDirectory: false, size: 1, modified: 0)
        let html = DirectoryListing.html(displayPath: "/", entries: [entry], hrefPrefix: "")
        #expect(Self.hrefs(html) == ["javascript%3Aalert(1)"])
    }

    @Test func hrefsRoundTripThroughRequestTarget() throws {
        let names = ["a b", "c?d", "e#f", "g%h", "ü", "x:y", "..foo"]
        let entries = names.map { DirectoryListing.Entry(name: $0, isDirectory: false, size: 0, modified: 0) }
        let html = DirectoryListing.html(displayPath: "/d/", entries: entries, hrefPrefix: "/d/")
        let decoded = try Self.hrefs(html).dropFirst().map { try RequestTarget.parse($0).segments }
        #expect(Set(decoded) == Set(names.map { ["d", $0] }))
    }

    @Test func negativeSizeAndExtremeTimesDoNotCrash() {
        let entry = DirectoryListing.Entry(name: "odd", isDirectory: false, size: -5, modified: Int.min)
        let html = DirectoryListing.html(displayPath: "/", entries: [entry], hrefPrefix: "")
        #expect(html.contains("<td class=\"size\">0</td><td>01-Jan-0001 00:00</td>"))
    }
}
