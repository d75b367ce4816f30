// RFC 9112 message syntax on a live server: malformed requests, limits, methods and Expect.

import Doorway
import NIOHTTP1
import Testing

@testable import DoorwayWeb

@Suite("Web server: request syntax", .timeLimit(.minutes(1)))
struct RequestSyntaxTests {
    private func withSite(_ body: (WebFixture) async throws -> Void) async throws {
        try await WebFixture.with(populate: { root in try write("hello\n", to: root + "/index.html") }, body)
    }

    /// Sends `request`, expects `status`, and expects the server to close the connection afterwards.
    private func expectRejected(_ site: WebFixture, _ request: String, status: Int, comment: Comment) async throws {
        let connection = try site.connect()
        defer { connection.close() }
        try connection.send(request)
        let response = try await connection.readResponse()
        #expect(response.status == status, comment)
        #expect(response.header("connection") == "close", comment)
        #expect(try await connection.isClosedByServer(), comment)
    }

    @Test("malformed requests get 400 and a closed connection")
    func malformed() async throws {
        try await withSite { site throws in
            let cases: [(String, Comment)] = [
                ("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 without Host"),
                ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "two Host headers"),
                (
                    "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                    "Content-Length with Transfer-Encoding"
                ),
                ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5x\r\n\r\n", "an invalid Content-Length"),
                ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", "a negative Content-Length"),
                (
                    "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
                    "a duplicate Content-Length"
                ),
                ("GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n", "obs-fold"),
                ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", "whitespace before the colon"),
                ("GET / HTTP/1.1\r\nHost: a\rX-Y: z\r\n\r\n", "a bare CR in a header"),
                ("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", "a bare CR in the request line"),
            ]
            for (request, comment) in cases {
                try await expectRejected(site, request, status: 400, comment: comment)
            }
        }
    }

    @Test("HTTP/1.0 without Host is served, and closed after the response")
    func http10() async throws {
        try await withSite { site throws in
            let connection = try site.connect()
            defer { connection.close() }
            try connection.send("GET /index.html HTTP/1.0\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 200 && response.text == "hello\n", "\(response)")
            #expect(try await connection.isClosedByServer())
        }
    }

    @Test("HTTP/1.0 with keep-alive keeps the connection and says so")
    func http10KeepAlive() async throws {
        try await withSite { site throws in
            let connection = try site.connect()
            defer { connection.close() }
            for _ in 0..<2 {
                try connection.send("GET /index.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = try await connection.readResponse()
                #expect(response.status == 200 && response.header("connection") == "keep-alive", "\(response)")
            }
        }
    }

    @Test("an over-long request line gets 414, an over-large header section 431, and others are unharmed")
    func limits() async throws {
        let site = try await WebFixture { configuration in
            configuration.limits.requestLineLength = 1024
            configuration.limits.headerSectionSize = 4096
        } populate: { root in
            try write("hello\n", to: root + "/index.html")
        }
        defer { Task { await site.stop() } }
        let bystander = try site.connect()
        defer { bystander.close() }
        try bystander.send("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await bystander.readResponse().status == 200)

        try await expectRejected(
            site, "GET /\(String(repeating: "a", count: 2000)) HTTP/1.1\r\nHost: a\r\n\r\n", status: 414,
            comment: "long target")
        // A long target that arrives in pieces is measured the same way.
        let slow = try site.connect()
        defer { slow.close() }
        try slow.send("GET /\(String(repeating: "b", count: 900))")
        try slow.send("\(String(repeating: "b", count: 900)) HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await slow.readResponse().status == 414)

        let manyHeaders = (0..<10).map { "X-Header-\($0): \(String(repeating: "v", count: 600))\r\n" }.joined()
        try await expectRejected(
            site, "GET / HTTP/1.1\r\nHost: a\r\n\(manyHeaders)\r\n", status: 431, comment: "large headers")
        try await expectRejected(
            site, "GET / HTTP/1.1\r\nHost: a\r\nX-Long: \(String(repeating: "v", count: 2000))\r\n\r\n", status: 431,
            comment: "one long header")

        // The connection that behaved is still served.
        try bystander.send("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await bystander.readResponse().text == "hello\n")
    }

    @Test("an unknown method gets 501; a known but disallowed one 405 with Allow; OPTIONS is answered")
    func methods() async throws {
        try await withSite { site throws in
            try await expectRejected(site, "FROB / HTTP/1.1\r\nHost: a\r\n\r\n", status: 501, comment: "unknown method")
            for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE"] {
                let response = try await site.ask(
                    "\(method) / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                #expect(response.status == 405, "\(method): \(response)")
                #expect(response.header("allow") == "GET, HEAD, OPTIONS", "\(method)")
            }
            for target in ["*", "/"] {
                let options = try await site.ask("OPTIONS \(target) HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                #expect((200..<300).contains(options.status), "\(options)")
                #expect(options.header("allow") == "GET, HEAD, OPTIONS")
            }
        }
    }

    @Test("a body the server does not want is read and dropped; the connection stays usable")
    func discardedBody() async throws {
        try await withSite { site throws in
            let connection = try site.connect()
            defer { connection.close() }
            try connection.send(
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcdeGET /index.html HTTP/1.1\r\nHost: a\r\n\r\n"
            )
            #expect(try await connection.readResponse().status == 405)
            #expect(try await connection.readResponse().text == "hello\n")
        }
    }

    @Test("a body above the discard limit gets 413 and a close")
    func tooLargeBody() async throws {
        let site = try await WebFixture { $0.limits.discardedBodySize = 1000 }
        defer { Task { await site.stop() } }
        let connection = try site.connect()
        defer { connection.close() }
        try connection.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in 0..<5 { try connection.send("100\r\n\(String(repeating: "x", count: 256))\r\n") }
        #expect(try await connection.readResponse().status == 413)
        #expect(try await connection.isClosedByServer())
    }

    @Test("Expect: 100-continue gets its final answer at once, so the client never waits")
    func expectContinue() async throws {
        try await withSite { site throws in
            // The body is never sent: the client waits for 100 or a final status.
            let connection = try site.connect()
            defer { connection.close() }
            try connection.send("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 405 && response.header("connection") == "close", "\(response)")
            // GET with the expectation and no body is simply answered.
            let get = try await site.ask(
                "GET /index.html HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
            #expect(get.status == 200 && get.text == "hello\n")
            try await expectRejected(
                site, "GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n", status: 417, comment: "unknown expectation"
            )
        }
    }

    @Test("parser failures map to the status that names them")
    func statusMapping() {
        #expect(RequestValidation.status(for: .headerOverflow, requestLineIsTooLong: true) == .uriTooLong)
        #expect(
            RequestValidation.status(for: .headerOverflow, requestLineIsTooLong: false) == .requestHeaderFieldsTooLarge)
        #expect(RequestValidation.status(for: .invalidMethod, requestLineIsTooLong: false) == .notImplemented)
        #expect(RequestValidation.status(for: .invalidVersion, requestLineIsTooLong: false) == .httpVersionNotSupported)
        #expect(RequestValidation.status(for: .invalidHeaderToken, requestLineIsTooLong: false) == .badRequest)
    }
}
