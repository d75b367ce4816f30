// RFC 9110 validators, conditional requests and ranges on a live server.

import Doorway
import DoorwayHTTP
import DoorwayWeb
import Testing

@Suite("Web server: conditional and range requests", .timeLimit(.minutes(1)))
struct ConditionalRangeTests {
    private static let content = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    private func withSite(_ body: (WebFixture) async throws -> Void) async throws {
        try await WebFixture.with(populate: { root in try write(Self.content, to: root + "/alphabet.txt") }, body)
    }

    @Test("responses carry a strong ETag and a Last-Modified date")
    func validators() async throws {
        try await withSite { site throws in
            let response = try await site.get("/alphabet.txt")
            let tag = try #require(response.header("etag"))
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && !tag.hasPrefix("W/"))
            #expect(response.header("last-modified").flatMap(HTTPDate.parse) != nil)
            #expect(response.header("accept-ranges") == "bytes")
        }
    }

    @Test("If-None-Match (lists, weak comparison, *) gives 304 without a body, and wins over If-Modified-Since")
    func ifNoneMatch() async throws {
        try await withSite { site throws in
            let first = try await site.get("/alphabet.txt")
            let tag = try #require(first.header("etag"))
            let modified = try #require(first.header("last-modified"))
            for condition in [tag, "\"other\", \(tag)", "W/\(tag)", "*"] {
                let response = try await site.get("/alphabet.txt", "If-None-Match: \(condition)")
                #expect(response.status == 304 && response.body.isEmpty, "\(condition): \(response)")
                #expect(response.header("etag") == tag)
            }
            // A non-matching If-None-Match wins over a matching If-Modified-Since.
            let changed = try await site.get(
                "/alphabet.txt", "If-None-Match: \"stale\"", "If-Modified-Since: \(modified)")
            #expect(changed.status == 200 && changed.body == Self.content)
        }
    }

    @Test("If-Modified-Since gives 304 for a file not changed since, 200 otherwise")
    func ifModifiedSince() async throws {
        try await withSite { site throws in
            let modified = try #require(try await site.get("/alphabet.txt").header("last-modified"))
            #expect(try await site.get("/alphabet.txt", "If-Modified-Since: \(modified)").status == 304)
            #expect(
                try await site.get("/alphabet.txt", "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT").status == 200)
            #expect(
                try await site.get("/alphabet.txt", "If-Modified-Since: yesterday").status == 200,
                "a bad date is ignored")
        }
    }

    @Test("If-Match and If-Unmodified-Since that fail give 412")
    func preconditions() async throws {
        try await withSite { site throws in
            let tag = try #require(try await site.get("/alphabet.txt").header("etag"))
            #expect(try await site.get("/alphabet.txt", "If-Match: \(tag)").status == 200)
            #expect(try await site.get("/alphabet.txt", "If-Match: \"other\"").status == 412)
            #expect(
                try await site.get("/alphabet.txt", "If-Match: W/\(tag)").status == 412, "If-Match compares strongly")
            #expect(
                try await site.get("/alphabet.txt", "If-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT").status == 412)
        }
    }

    @Test("single, suffix and open ranges give 206 with the right bytes and Content-Range")
    func singleRanges() async throws {
        try await withSite { site throws in
            let length = Self.content.count
            for (range, lower, upper) in [
                ("0-9", 0, 9), ("-5", length - 5, length - 1), ("30-", 30, length - 1), ("30-999", 30, length - 1),
            ] {
                let response = try await site.get("/alphabet.txt", "Range: bytes=\(range)")
                #expect(response.status == 206, "\(range): \(response)")
                #expect(response.header("content-range") == "bytes \(lower)-\(upper)/\(length)", "\(range)")
                #expect(response.body == Array(Self.content[lower...upper]), "\(range)")
            }
            let head = try await site.ask(
                "HEAD /alphabet.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\nConnection: close\r\n\r\n", head: true)
            #expect(head.status == 200, "ranges are for GET only")
        }
    }

    @Test("several ranges give multipart/byteranges with each part and its Content-Range")
    func multipleRanges() async throws {
        try await withSite { site throws in
            let response = try await site.get("/alphabet.txt", "Range: bytes=0-1, 10-11,-2")
            #expect(response.status == 206)
            let type = try #require(response.header("content-type"))
            #expect(type.hasPrefix("multipart/byteranges; boundary="))
            let boundary = String(type.dropFirst("multipart/byteranges; boundary=".count))
            let text = response.text
            #expect(text.components("--\(boundary)\r\n") == 3 && text.hasSuffix("--\(boundary)--\r\n"))
            for (range, bytes) in [("0-1", "01"), ("10-11", "ab"), ("34-35", "yz")] {
                #expect(text.contains("Content-Range: bytes \(range)/36\r\n\r\n\(bytes)\r\n"), "\(range) in \(text)")
            }
            #expect(text.contains("Content-Type: text/plain; charset=utf-8\r\n"))
        }
    }

    @Test("an unsatisfiable range gives 416 with Content-Range bytes */LEN; a malformed one is ignored")
    func unsatisfiable() async throws {
        try await withSite { site throws in
            let response = try await site.get("/alphabet.txt", "Range: bytes=100-200")
            #expect(response.status == 416 && response.header("content-range") == "bytes */36", "\(response)")
            let malformed = try await site.get("/alphabet.txt", "Range: bytes=9-1")
            #expect(malformed.status == 200 && malformed.body == Self.content)
            let otherUnit = try await site.get("/alphabet.txt", "Range: lines=1-2")
            #expect(otherUnit.status == 200)
        }
    }

    @Test("If-Range: a matching strong validator gives the range, a stale or weak one the whole file")
    func ifRange() async throws {
        try await withSite { site throws in
            let first = try await site.get("/alphabet.txt")
            let tag = try #require(first.header("etag"))
            let modified = try #require(first.header("last-modified"))
            #expect(try await site.get("/alphabet.txt", "Range: bytes=0-3", "If-Range: \(tag)").status == 206)
            #expect(try await site.get("/alphabet.txt", "Range: bytes=0-3", "If-Range: \(modified)").status == 206)
            for stale in ["\"stale\"", "W/\(tag)", "Sat, 01 Jan 2000 00:00:00 GMT"] {
                let response = try await site.get("/alphabet.txt", "Range: bytes=0-3", "If-Range: \(stale)")
                #expect(response.status == 200 && response.body == Self.content, "\(stale)")
            }
        }
    }
}

extension String {
    fileprivate func components(_ separator: String) -> Int {
        split(separator: separator, omittingEmptySubsequences: false).count - 1
    }
}
