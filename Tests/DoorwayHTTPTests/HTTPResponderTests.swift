// The small in-memory responder: answers now or later, Content-Length and Connection, HEAD, and the body limit.

import Doorway
import DoorwayHTTP
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP responder", .timeLimit(.minutes(1)))
struct HTTPResponderTests {
    /// A server whose every connection is answered by an ``HTTPResponder`` with `respond`.
    private func withResponder(
        maximumBodySize: Int = .max,
        respond: @escaping HTTPResponder.Respond,
        _ body: (_ endpoint: String) async throws -> Void
    ) async throws {
        let tooLarge = HTTPResponse(status: .payloadTooLarge, body: Array("too large\n".utf8))
        let server = try await Server.bind(
            try Endpoint(parsing: "127.0.0.1:0"), transport: .tcp,
            initializer: HTTPResponder.initializer(
                maximumBodySize: maximumBodySize, bodyTooLarge: tooLarge, respond: respond))
        do {
            try await body("\(server.localEndpoint)")
        } catch {
            await server.shutdown(gracePeriod: .zero)
            throw error
        }
        await server.shutdown(gracePeriod: .zero)
    }

    /// Sends `request` on a new connection and returns everything the server sends until it closes.
    private func exchange(_ request: String, with endpoint: String) async throws -> String {
        let connection = try await Client().connect(to: try Endpoint(parsing: endpoint))
        return try await connection.exchange { inbound, outbound in
            try await outbound.write(request)
            var received = ""
            for try await chunk in inbound { received += String(buffer: chunk) }
            return received
        }
    }

    @Test("answers given now and answers a task works out both reach the client, with Content-Length")
    func nowAndLater() async throws {
        try await withResponder(respond: { head, address in
            let text = "\(head.method) \(head.uri) from \(address?.ipAddress ?? "?")\n"
            let response = HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: Array(text.utf8))
            return head.uri == "/later" ? .later { response } : .now(response)
        }) { endpoint in
            let http = HTTPClient(timeout: .seconds(5))
            let now = try await http.get("http://\(endpoint)/now")
            #expect(now.status == .ok && String(buffer: now.body) == "GET /now from 127.0.0.1\n")
            #expect(now.headers.first(name: "content-length") == "24")
            let later = try await http.get("http://\(endpoint)/later")
            #expect(String(buffer: later.body) == "GET /later from 127.0.0.1\n" && later.head.reusedConnection)
            await http.shutdown()
        }
    }

    @Test("HEAD gets the head only; HTTP/1.0 closes unless it asks for keep-alive")
    func headAndConnection() async throws {
        try await withResponder(respond: { _, _ in .now(HTTPResponse(status: .ok, body: Array("hello\n".utf8))) }) {
            endpoint in
            let head = try await exchange("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", with: endpoint)
            #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n") && head.contains("Content-Length: 6\r\n"), "\(head)")
            #expect(head.hasSuffix("\r\n\r\n"), "a HEAD response must not carry a body: \(head)")
            let old = try await exchange("GET / HTTP/1.0\r\n\r\n", with: endpoint)
            #expect(old.hasPrefix("HTTP/1.0 200 OK\r\n") && old.contains("Connection: close\r\n"), "\(old)")
            #expect(old.hasSuffix("\r\n\r\nhello\n"), "\(old)")
        }
    }

    @Test("a body over the limit gets the 413 response and the connection closes")
    func bodyLimit() async throws {
        try await withResponder(maximumBodySize: 10, respond: { _, _ in .now(HTTPResponse(status: .noContent)) }) {
            endpoint in
            let small = try await exchange(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello", with: endpoint)
            #expect(small.hasPrefix("HTTP/1.1 204 No Content\r\n"), "\(small)")
            let large = try await exchange(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world", with: endpoint)
            #expect(large.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"), "\(large)")
            #expect(large.contains("Connection: close\r\n") && large.hasSuffix("too large\n"), "\(large)")
        }
    }
}
