// The HTTP client: keep-alive reuse, redirects, and clear errors for every way a fetch can fail.

import Doorway
import DoorwayHTTP
import DoorwayTesting
import DoorwayWeb
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP client", .timeLimit(.minutes(1)))
struct HTTPClientTests {
    private func withSite(_ body: (WebFixture, HTTPClient) async throws -> Void) async throws {
        try await WebFixture.with(populate: { root in
            try write("<p>home</p>\n", to: root + "/index.html")
            try makeFolder(root + "/docs")
            try write("docs\n", to: root + "/docs/index.html")
        }) { site in
            let http = HTTPClient(timeout: .seconds(5))
            do {
                try await body(site, http)
            } catch {
                await http.shutdown()
                throw error
            }
            await http.shutdown()
        }
    }

    @Test("GETs reuse one kept-alive connection")
    func keepAlive() async throws {
        try await withSite { site, http in
            let base = "http://127.0.0.1:\(site.port)"
            let first = try await http.get(base + "/")
            #expect(first.status == .ok && String(buffer: first.body) == "<p>home</p>\n")
            #expect(!first.head.reusedConnection)
            let second = try await http.get(base + "/docs/")
            #expect(String(buffer: second.body) == "docs\n" && second.head.reusedConnection)
            #expect(await site.server.activeConnections == 1)
        }
    }

    @Test("redirects are followed, up to the limit")
    func redirects() async throws {
        try await withSite { site, http in
            let response = try await http.get("http://127.0.0.1:\(site.port)/docs")
            #expect(response.status == .ok && String(buffer: response.body) == "docs\n")
            #expect(response.head.address.target == "/docs/")
            let strict = HTTPClient(maximumRedirects: 0)
            defer { Task { await strict.shutdown() } }
            await #expect(throws: HTTPClientError.self) { try await strict.get("http://127.0.0.1:\(site.port)/docs") }
        }
    }

    @Test("an HTTP error status is a response, not an error")
    func errorStatus() async throws {
        try await withSite { site, http in
            let response = try await http.get("http://127.0.0.1:\(site.port)/missing")
            #expect(response.status == .notFound)
        }
    }

    @Test("bad URLs, refused connections, silent servers and cut bodies each give a clear error")
    func failures() async throws {
        let http = HTTPClient(timeout: .milliseconds(500))
        defer { Task { await http.shutdown() } }
        for url in [
            "ftp://x/", "127.0.0.1/", "https://127.0.0.1/", "http://:80/", "http://host:99999/", "http://h/a b",
        ] {
            await #expect(throws: WebAddressError.self, "\(url)") { try await http.get(url) }
        }
        let closedPort = try unusedPort()
        await #expect(throws: SocketError.self) { try await http.get("http://127.0.0.1:\(closedPort)/") }

        // A server that accepts and never answers.
        let silent = try await Server.bind(try Endpoint(parsing: "127.0.0.1:0"), framing: .raw)
        defer { Task { await silent.shutdown(gracePeriod: .zero) } }
        do {
            _ = try await http.get("http://\(silent.localEndpoint)/")
            Issue.record("a silent server must time out")
        } catch let error as HTTPClientError {
            #expect(error.kind == .timedOut, "\(error)")
        }

        // A server that promises 100 bytes, sends 10 and closes.
        let cutting = try await Server.bind(try Endpoint(parsing: "127.0.0.1:0"), framing: .raw)
        defer { Task { await cutting.shutdown(gracePeriod: .zero) } }
        let serving = Task {
            for await connection in cutting.connections {
                try await connection.exchange { inbound, outbound in
                    for try await _ in inbound {
                        try await outbound.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
                        return
                    }
                }
                return
            }
        }
        defer { serving.cancel() }
        let patient = HTTPClient(timeout: .seconds(20))
        defer { Task { await patient.shutdown() } }
        do {
            _ = try await patient.get("http://\(cutting.localEndpoint)/")
            Issue.record("a cut body must be an error")
        } catch let error as HTTPClientError {
            #expect(error.kind == .bodyCutShort && error.description.contains("10 of 100"), "\(error)")
        }
    }

    @Test("URLs split into endpoint and target, and Location headers resolve against them")
    func addresses() throws {
        let address = try WebAddress(parsing: "http://[::1]:8080/docs/a%20b?x=1#frag")
        #expect(address.host == "::1" && address.port == 8080 && address.target == "/docs/a%20b?x=1")
        #expect(address.authority == "[::1]:8080")
        #expect(address.fileName == "a b")
        #expect(try WebAddress(parsing: "http://example.test").target == "/")
        #expect(try WebAddress(parsing: "http://example.test?q").target == "/?q")
        #expect(try address.resolving("/top").target == "/top")
        #expect(try address.resolving("c.txt").target == "/docs/c.txt")
        #expect(try address.resolving("http://other.test/x").authority == "other.test")
        #expect(try WebAddress(parsing: "http://example.test/dir/").fileName == nil)
    }
}
