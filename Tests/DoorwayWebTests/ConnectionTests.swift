// Connections on a live server: keep-alive, pipelining, Date, close, timeouts, the cap, slowloris and many clients.

import Doorway
import DoorwayHTTP
import DoorwayTesting
import DoorwayWeb
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Serialized: the 1000-connection, slowloris and flood tests are heavy; one at a time keeps the rest of the
/// test run (which shares two cores) responsive.
@Suite("Web server: connections", .serialized, .timeLimit(.minutes(3)))
struct ConnectionTests {
    private static func populate(_ root: String) throws {
        try write("one\n", to: root + "/one.txt")
        try write("two two\n", to: root + "/two.txt")
        try write("<p>index</p>\n", to: root + "/index.html")
    }

    @Test("keep-alive serves several requests on one connection, each with a Date header")
    func keepAlive() async throws {
        let site = try await WebFixture(populate: Self.populate)
        defer { Task { await site.stop() } }
        let connection = try site.connect()
        defer { connection.close() }
        for (path, body) in [("/one.txt", "one\n"), ("/two.txt", "two two\n"), ("/one.txt", "one\n")] {
            try connection.send("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 200 && response.text == body, "\(response)")
            #expect(response.header("date").flatMap(HTTPDate.parse) != nil, "Date must be an HTTP-date: \(response)")
            #expect(response.header("connection") == nil)
        }
    }

    @Test("pipelined requests are answered in order, HEAD without a body, and Connection: close ends it")
    func pipelining() async throws {
        let site = try await WebFixture(populate: Self.populate)
        defer { Task { await site.stop() } }
        let connection = try site.connect()
        defer { connection.close() }
        try connection.send(
            "GET /two.txt HTTP/1.1\r\nHost: a\r\n\r\n" + "HEAD /one.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /one.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                + "GET /two.txt HTTP/1.1\r\nHost: a\r\n\r\n"
        )
        let first = try await connection.readResponse()
        #expect(first.status == 200 && first.text == "two two\n")
        let head = try await connection.readResponse(head: true)
        #expect(head.status == 200 && head.header("content-length") == "4", "\(head)")
        #expect(try await connection.readResponse().status == 404)
        let last = try await connection.readResponse()
        #expect(last.text == "one\n" && last.header("connection") == "close")
        // The request after Connection: close is never answered.
        #expect(try await connection.readToEnd().isEmpty)
    }

    @Test("a client that starts a request and stalls gets 408 after the header timeout")
    func headerTimeout() async throws {
        let site = try await WebFixture {
            $0.limits.headerTimeout = .seconds(2)
        } populate: {
            try Self.populate($0)
        }
        defer { Task { await site.stop() } }
        let connection = try site.connect()
        defer { connection.close() }
        try connection.send("GET /one.txt HTTP/1.1\r\nHost: a\r\n")
        let bytes = String(decoding: try await connection.readToEnd(), as: UTF8.self)
        #expect(bytes.hasPrefix("HTTP/1.1 408 "), "\(bytes)")
    }

    @Test("an idle keep-alive connection is closed after the keep-alive timeout")
    func keepAliveTimeout() async throws {
        let site = try await WebFixture {
            $0.limits.keepAliveTimeout = .milliseconds(300)
        } populate: {
            try Self.populate($0)
        }
        defer { Task { await site.stop() } }
        let connection = try site.connect()
        defer { connection.close() }
        try connection.send("GET /one.txt HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await connection.readResponse().status == 200)
        #expect(try await connection.readToEnd().isEmpty, "closed without another word")
    }

    @Test("a download that outlasts the keep-alive timeout is not cut off")
    func slowDownload() async throws {
        let big = [UInt8]((0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        let site = try await WebFixture {
            $0.limits.keepAliveTimeout = .milliseconds(200)
        } populate: { root in
            try write(big, to: root + "/big.bin")
        }
        defer { Task { await site.stop() } }
        let connection = try site.connect()
        defer { connection.close() }
        try connection.send("GET /big.bin HTTP/1.1\r\nHost: a\r\n\r\n")
        // The client reads nothing for a while: the body waits in the socket buffers, far longer than the
        // keep-alive timeout.
        try await Task.sleep(for: .seconds(1))
        #expect(try await connection.readResponse().body == big)
    }

    @Test("a client that half-closes after its requests gets every answer, then the server closes")
    func halfClose() async throws {
        let site = try await WebFixture(populate: Self.populate)
        defer { Task { await site.stop() } }
        let connection = try site.connect()
        defer { connection.close() }
        try connection.send("GET /one.txt HTTP/1.1\r\nHost: a\r\n\r\nGET /two.txt HTTP/1.1\r\nHost: a\r\n\r\n")
        connection.finishSending()
        #expect(try await connection.readResponse().text == "one\n")
        #expect(try await connection.readResponse().text == "two two\n")
        #expect(try await connection.readToEnd().isEmpty, "then the server closes")
    }

    @Test("a client that pipelines requests and never reads is held back instead of filling memory")
    func pipelineFlood() async throws {
        let big = [UInt8](repeating: 7, count: 1 << 20)
        let logs = try TemporaryFolder("web-log")
        defer { logs.remove() }
        let log = logs.path("access.log")
        let site = try await WebFixture {
            $0.accessLog = .file(log)
        } populate: { root in
            try write(big, to: root + "/big.bin")
        }
        defer { Task { await site.stop() } }
        let connection = try site.connect()
        defer { connection.close() }
        let request = Array("GET /big.bin HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        // Each 34-byte request asks for 1 MiB. Without backpressure the server would read every request and
        // queue a response for each (tens of thousands in two seconds); with it, reading stops once the
        // first responses fill the socket, and only what one read brought in (at most 64 KiB of requests,
        // under 2000) is answered.
        for _ in 0..<40 {
            _ = connection.flood(with: request, limit: 64 << 20)
            try await Task.sleep(for: .milliseconds(50))
        }
        let queued = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count
        #expect(queued > 0 && queued < 5000, "\(queued) responses queued for a client that reads nothing")
        // The responses it did take on arrive whole.
        #expect(try await connection.readResponse().body == big)
    }

    @Test("50 slowloris connections do not stop a normal request from being answered")
    func slowloris() async throws {
        let site = try await WebFixture { configuration in
            configuration.limits.maximumConnections = 40
            configuration.limits.headerTimeout = .seconds(1)
        } populate: {
            try Self.populate($0)
        }
        defer { Task { await site.stop() } }
        // More slow clients than the cap: without the header timeout they would hold every slot forever.
        var slow: [RawConnection] = []
        for _ in 0..<50 {
            let connection = try RawConnection(port: site.port)
            try connection.send("GET /one.txt HTTP/1.1\r\nHost: a\r\nX-Slow: ")
            slow.append(connection)
        }
        defer { for connection in slow { connection.close() } }
        // The normal client waits in the backlog until the header timeout frees slots, then is served. Its
        // receive timeout (5 s) bounds the wait.
        let normal = try RawConnection(port: site.port, receiveTimeout: 5)
        defer { normal.close() }
        try normal.send("GET /one.txt HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try await normal.readResponse()
        #expect(response.status == 200 && response.text == "one\n")
    }

    @Test("1000 concurrent keep-alive connections are held and served")
    func thousandConnections() async throws {
        let site = try await WebFixture(populate: Self.populate)
        defer { Task { await site.stop() } }
        var connections: [RawConnection] = []
        defer { for connection in connections { connection.close() } }
        for _ in 0..<1000 {
            let connection = try RawConnection(port: site.port)
            try connection.send("GET /one.txt HTTP/1.1\r\nHost: a\r\n\r\n")
            connections.append(connection)
        }
        // One reading thread for all of them, not one per read.
        let all = connections
        var served = try await onOwnThread { try all.filter { try $0.readResponseBlocking().text == "one\n" }.count }
        #expect(served == 1000)
        #expect(await site.server.activeConnections == 1000)
        // Every one of them still works.
        for connection in connections { try connection.send("GET /two.txt HTTP/1.1\r\nHost: a\r\n\r\n") }
        served = try await onOwnThread { try all.filter { try $0.readResponseBlocking().text == "two two\n" }.count }
        #expect(served == 1000)
    }

    @Test("the connection cap holds extra clients back until a slot frees")
    func connectionCap() async throws {
        let site = try await WebFixture {
            $0.limits.maximumConnections = 2
        } populate: {
            try Self.populate($0)
        }
        defer { Task { await site.stop() } }
        let first = try site.connect()
        let second = try site.connect()
        try first.send("GET /one.txt HTTP/1.1\r\nHost: a\r\n\r\n")
        try second.send("GET /one.txt HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await first.readResponse().status == 200)
        #expect(try await second.readResponse().status == 200)
        let third = try RawConnection(port: site.port, receiveTimeout: 1)
        defer { third.close() }
        try third.send("GET /two.txt HTTP/1.1\r\nHost: a\r\n\r\n")
        await #expect(throws: (any Error).self, "a third connection waits while two are open") {
            try await third.readResponse()
        }
        first.close()
        second.close()
        let waiting = try RawConnection(port: site.port, receiveTimeout: 5)
        defer { waiting.close() }
        try waiting.send("GET /two.txt HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await waiting.readResponse().text == "two two\n")
    }

    @Test("graceful shutdown closes idle connections and lets a response in flight finish")
    func gracefulShutdown() async throws {
        let big = [UInt8]((0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let site = try await WebFixture(populate: { root in
            try Self.populate(root)
            try write(big, to: root + "/big.bin")
        })
        let idle = try site.connect()
        defer { idle.close() }
        try idle.send("GET /one.txt HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try await idle.readResponse().status == 200)
        let silent = try site.connect()
        defer { silent.close() }
        let busy = try site.connect()
        defer { busy.close() }
        try busy.send("GET /big.bin HTTP/1.1\r\nHost: a\r\n\r\n")
        // Once the response is under way, shut down while the body is in flight.
        try await busy.awaitFirstBytes()
        let shutdown = Task { await site.server.shutdown(gracePeriod: .seconds(10)) }
        let response = try await busy.readResponse()
        #expect(response.body == big, "the in-flight body arrives whole")
        // The head left before the shutdown began, so it could not say "close"; the server closes after it.
        #expect(try await busy.isClosedByServer())
        #expect(try await idle.readToEnd().isEmpty, "the idle connection is closed")
        #expect(try await silent.readToEnd().isEmpty, "a connection that never sent a byte is closed too")
        await shutdown.value
        await site.stop()
    }
}
