// The admin endpoint over real HTTP on loopback: routes, JSON, security fields, tokens and refusals; plus its
// pure routing rules and the HTML part of a message.

import Doorway
import DoorwayHTTP
import DoorwayTesting
import Foundation
import NIOCore
import Testing

@testable import DoorwayHost
@testable import DoorwayMail

// MARK: - Fixtures

/// A host that reports fixed services and torrents and a given mail store.
private struct FakeHost: HostStatusSource {
    var mailStore: String?
    var serviceList = [
        ServiceStatus(
            name: "web", kind: "web", transport: "tcp", endpoint: "127.0.0.1:8080", state: "running",
            activeConnections: 2, totalConnections: 40, bytesIn: 1200, bytesOut: 99000, errors: 1),
        ServiceStatus(
            name: "echo", kind: "echo", transport: "udp", endpoint: "0.0.0.0:10007", state: "failed",
            problem: "address in use"),
    ]
    var torrentList = [
        TorrentStatus(
            torrent: "big.torrent", name: "big.iso", infoHash: "0123456789abcdef0123456789abcdef01234567",
            endpoint: "0.0.0.0:6881", totalBytes: 1000, bytesHave: 250, piecesHave: 1, pieceCount: 4, peers: 3,
            uploaded: 10, downloaded: 250, uploadRate: 1.5, downloadRate: 2048, bannedPeers: 0)
    ]

    func services() async -> [ServiceStatus] { serviceList }
    func torrents() async -> [TorrentStatus] { torrentList }
    func metricsText() -> String { "# TYPE door_connections_total counter\ndoor_connections_total 40\n" }
}

/// A Maildir store with three messages written as files, at known delivery times.
private struct MailFixture {
    let root: String

    static let plainName = "1700000000.M1P1Q1.test"
    static let richName = "1700000100.M2P1Q1.test"
    static let hostileName = "1700000200.M3P1Q1.test"

    static let plain = """
        From: Bob <bob@x.test>
        To: ann@x.test
        Subject: =?UTF-8?B?R3LDvMOfZQ==?=
        Date: Tue, 14 Nov 2023 22:13:20 +0000

        Hello Ann,
        plain text only.

        """

    static let rich = """
        From: Carol <carol@x.test>
        To: ann@x.test
        Subject: Report
        Date: Tue, 14 Nov 2023 22:15:00 +0000
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/alternative; boundary="inner"

        --inner
        Content-Type: text/plain; charset=UTF-8

        The report is attached.
        --inner
        Content-Type: text/html; charset=UTF-8

        <p>The <b>report</b> is attached.</p><script>parent.document.title='owned'</script>
        --inner--
        --outer
        Content-Type: application/pdf; name="report.pdf"
        Content-Disposition: attachment; filename="report.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --outer--

        """

    static let hostile = """
        From: "<b>Mallory</b>" <mallory@x.test>
        To: bob@x.test
        Subject: <img src=x onerror=alert(1)>
        Date: Tue, 14 Nov 2023 22:16:40 +0000

        <script>alert(1)</script>

        """

    init() throws {
        root = try TemporaryFolder("admin").path
        _ = try MaildirStore(root: root)
        try write(Self.plain, mailbox: "ann@x.test", file: "new/" + Self.plainName)
        try write(Self.rich, mailbox: "ann@x.test", file: "cur/" + Self.richName + ":2,S")
        try write(Self.hostile, mailbox: "bob@x.test", file: "new/" + Self.hostileName)
    }

    func write(_ text: String, mailbox: String, file: String) throws {
        for folder in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(
                atPath: root + "/" + mailbox + "/" + folder, withIntermediateDirectories: true)
        }
        try text.write(toFile: root + "/" + mailbox + "/" + file, atomically: false, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The id the API gives the message stored under `uniqueName`.
    func id(of uniqueName: String) throws -> String {
        let entries = try MailboxReader(store: root).entries()
        let entry = try #require(entries.first { $0.path.contains(uniqueName) })
        return entry.id
    }
}

/// One HTTP response read off the socket.
private struct Reply {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body))
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(body))
    }
}

/// Parses every response in `bytes` (each with a Content-Length; a HEAD response has no body).
private func parseReplies(_ bytes: [UInt8], headRequests: Set<Int> = []) throws -> [Reply] {
    var replies: [Reply] = []
    var rest = bytes[...]
    while !rest.isEmpty {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = rest.indices.first(where: { rest[$0...].starts(with: separator) }) else {
            throw DoorwayTestingError("no end of header in \(String(decoding: rest, as: UTF8.self))")
        }
        let lines = String(decoding: rest[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw DoorwayTestingError("bad status line \(lines[0])")
        }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var reply = Reply(status: status, headers: headers, body: [])
        let bodyStart = end + separator.count
        let length = headRequests.contains(replies.count) ? 0 : Int(reply.header("content-length") ?? "0") ?? 0
        guard rest.endIndex - bodyStart >= length else { throw DoorwayTestingError("short body") }
        reply.body = Array(rest[bodyStart..<(bodyStart + length)])
        replies.append(reply)
        rest = rest[(bodyStart + length)...]
    }
    return replies
}

/// Sends raw request bytes and reads until the server closes.
private func exchange(_ server: Server, _ raw: String) async throws -> [UInt8] {
    let connection = try await Client().connect(to: server.localEndpoint)
    return try await connection.exchange { inbound, outbound in
        try await outbound.write(raw)
        var received: [UInt8] = []
        for try await chunk in inbound { received += chunk.readableBytesView }
        return received
    }
}

/// One request with `Connection: close`.
private func request(
    _ server: Server, _ target: String, method: String = "GET", headers: [String: String] = [:], body: String = ""
) async throws -> Reply {
    var raw = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    for (name, value) in headers { raw += "\(name): \(value)\r\n" }
    if !body.isEmpty { raw += "Content-Length: \(body.utf8.count)\r\n" }
    raw += "\r\n" + body
    let replies = try parseReplies(try await exchange(server, raw), headRequests: method == "HEAD" ? [0] : [])
    #expect(replies.count == 1)
    return try #require(replies.first)
}

/// Runs `body` against an admin server for `source`, then shuts it down.
private func withAdmin(
    _ source: any HostStatusSource, token: String? = nil, idleTimeout: Duration = .seconds(30),
    _ body: (Server) async throws -> Void
) async throws {
    let admin = AdminServer(source: source, token: token, idleTimeout: idleTimeout)
    let server = try await admin.serve(on: try Endpoint(parsing: "127.0.0.1:0"))
    do {
        try await body(server)
    } catch {
        await server.shutdown(gracePeriod: .zero)
        throw error
    }
    await server.shutdown(gracePeriod: .zero)
}

/// Runs `body` with a mail fixture and an admin server reading it.
private func withMailAdmin(token: String? = nil, _ body: (Server, MailFixture) async throws -> Void) async throws {
    let mail = try MailFixture()
    defer { mail.remove() }
    try await withAdmin(FakeHost(mailStore: mail.root), token: token) { server in try await body(server, mail) }
}

private func expectJSONResponse(_ reply: Reply, status: Int = 200) {
    #expect(reply.status == status, "\(reply.text)")
    #expect(reply.header("content-type") == "application/json")
    #expect(reply.header("cache-control") == "no-store")
}

// MARK: - API

@Suite("Admin server API", .timeLimit(.minutes(1)))
struct AdminServerTests {
    @Test("GET /_door/api/services answers the source's services as JSON")
    func services() async throws {
        try await withAdmin(FakeHost()) { server in
            let reply = try await request(server, "/_door/api/services")
            expectJSONResponse(reply)
            #expect(try reply.decode([ServiceStatus].self) == FakeHost().serviceList)
        }
    }

    @Test("GET /_door/api/torrents answers the source's torrents as JSON")
    func torrents() async throws {
        try await withAdmin(FakeHost()) { server in
            let reply = try await request(server, "/_door/api/torrents")
            expectJSONResponse(reply)
            #expect(try reply.decode([TorrentStatus].self) == FakeHost().torrentList)
        }
    }

    @Test("GET /_door/api/mail/mailboxes lists each mailbox with its message and unseen counts")
    func mailboxes() async throws {
        try await withMailAdmin { server, _ in
            let reply = try await request(server, "/_door/api/mail/mailboxes")
            expectJSONResponse(reply)
            let list = try #require(try reply.json() as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["ann@x.test", "bob@x.test"])
            #expect(list.map { $0["messages"] as? Int } == [2, 1])
            #expect(list.map { $0["unseen"] as? Int } == [1, 1])
        }
    }

    @Test("GET /_door/api/mail/messages lists every message newest first; ?mailbox= narrows it")
    func messages() async throws {
        try await withMailAdmin { server, mail in
            let all = try await request(server, "/_door/api/mail/messages")
            expectJSONResponse(all)
            let entries = try all.decode([MailboxEntry].self)
            #expect(entries.map(\.subject) == ["<img src=x onerror=alert(1)>", "Report", "Grüße"])
            #expect(entries.map(\.seen) == [false, true, false])
            #expect(entries[1].id == (try mail.id(of: MailFixture.richName)))

            let ann = try await request(server, "/_door/api/mail/messages?mailbox=ann%40x.test")
            expectJSONResponse(ann)
            #expect(try ann.decode([MailboxEntry].self).map(\.subject) == ["Report", "Grüße"])

            let nobody = try await request(server, "/_door/api/mail/messages?mailbox=nobody@x.test")
            #expect(try nobody.decode([MailboxEntry].self).isEmpty)

            let climbing = try await request(server, "/_door/api/mail/messages?mailbox=../ann@x.test")
            expectJSONResponse(climbing, status: 400)
        }
    }

    @Test("GET /_door/api/mail/messages/ID answers the entry, decoded headers, text, html flag and attachments")
    func messageDetail() async throws {
        try await withMailAdmin { server, mail in
            let plainID = try mail.id(of: MailFixture.plainName)
            let plain = try await request(server, "/_door/api/mail/messages/\(plainID)")
            expectJSONResponse(plain)
            let object = try #require(try plain.json() as? [String: Any])
            #expect((object["entry"] as? [String: Any])?["id"] as? String == plainID)
            let headers = try #require(object["headers"] as? [[String: String]])
            #expect(headers.first { $0["name"] == "Subject" }?["value"] == "Grüße", "encoded-words decoded")
            #expect(headers.map { $0["name"] } == ["From", "To", "Subject", "Date"])
            #expect(object["text"] as? String == "Hello Ann,\nplain text only.\n")
            #expect(object["html"] as? Bool == false)
            #expect((object["attachments"] as? [String]) == [])

            let richID = try mail.id(of: MailFixture.richName)
            let rich = try await request(server, "/_door/api/mail/messages/\(richID)")
            let richObject = try #require(try rich.json() as? [String: Any])
            #expect(richObject["text"] as? String == "The report is attached.")
            #expect(richObject["html"] as? Bool == true)
            #expect((richObject["attachments"] as? [String]) == ["report.pdf"])

            // The Maildir unique name is an id too.
            let byName = try await request(server, "/_door/api/mail/messages/\(MailFixture.richName)")
            #expect(byName.status == 200)
            #expect((try byName.json() as? [String: Any])?["html"] as? Bool == true)
        }
    }

    @Test("an unknown message id is a 404 JSON error")
    func unknownMessage() async throws {
        try await withMailAdmin { server, _ in
            for target in ["/_door/api/mail/messages/00000000", "/_door/api/mail/messages/00000000/html"] {
                let reply = try await request(server, target)
                expectJSONResponse(reply, status: 404)
                #expect((try reply.json() as? [String: String])?["error"]?.contains("00000000") == true)
            }
        }
    }

    @Test(
        "an id that is not a plain name is refused with 400, never looked up",
        arguments: [
            "/_door/api/mail/messages/..", "/_door/api/mail/messages/%2e%2e", "/_door/api/mail/messages/../html",
            "/_door/api/mail/messages/..%2f..%2fetc%2fpasswd", "/_door/api/mail/messages/a%2Fb",
            "/_door/api/mail/messages/%2e%2e/html", "/_door/api/mail/messages/.hidden",
            "/_door/api/mail/messages/ann@x.test",
        ])
    func badIDs(target: String) async throws {
        try await withMailAdmin { server, _ in
            let reply = try await request(server, target)
            expectJSONResponse(reply, status: 400)
            #expect((try reply.json() as? [String: String])?["error"] != nil)
        }
    }

    @Test("GET /_door/api/status answers services, torrents, mailboxes and messages in one document")
    func status() async throws {
        try await withMailAdmin { server, _ in
            let reply = try await request(server, "/_door/api/status")
            expectJSONResponse(reply)
            let status = try reply.decode(AdminStatus.self)
            #expect(status.services == FakeHost().serviceList)
            #expect(status.torrents == FakeHost().torrentList)
            #expect(status.mail.mailboxes.map(\.name) == ["ann@x.test", "bob@x.test"])
            #expect(status.mail.messages.count == 3)

            let bob = try await request(server, "/_door/api/status?mailbox=bob@x.test")
            let narrowed = try bob.decode(AdminStatus.self)
            #expect(narrowed.mail.messages.map(\.mailbox) == ["bob@x.test"])
            #expect(narrowed.mail.mailboxes.count == 2, "the mailbox list stays whole")
        }
    }

    @Test("a message delivered while the API is polled shows up at the next poll")
    func liveDelivery() async throws {
        try await withMailAdmin { server, mail in
            let before = try await request(server, "/_door/api/status").decode(AdminStatus.self)
            #expect(!before.mail.messages.contains { $0.subject == "Just in" })
            let store = try MaildirStore(root: mail.root)
            try store.deliver(Array("Subject: Just in\r\n\r\nhi\r\n".utf8), returnPath: "z@x.test", to: ["ann@x.test"])
            let after = try await request(server, "/_door/api/status").decode(AdminStatus.self)
            #expect(after.mail.messages.first?.subject == "Just in", "newest first")
            #expect(after.mail.mailboxes.first { $0.name == "ann@x.test" }?.messages == 3)
        }
    }

    @Test("without a mail store the mail endpoints answer empty lists and no message exists")
    func noMailStore() async throws {
        try await withAdmin(FakeHost(mailStore: nil)) { server in
            for target in ["/_door/api/mail/mailboxes", "/_door/api/mail/messages"] {
                let reply = try await request(server, target)
                expectJSONResponse(reply)
                #expect(reply.text == "[]")
            }
            let status = try await request(server, "/_door/api/status").decode(AdminStatus.self)
            #expect(status.mail.mailboxes.isEmpty && status.mail.messages.isEmpty)
            #expect(status.services.count == 2)
            let message = try await request(server, "/_door/api/mail/messages/abcdef12")
            expectJSONResponse(message, status: 404)
        }
    }

    @Test("GET /metrics answers the source's exposition text as Prometheus text format")
    func metrics() async throws {
        try await withAdmin(FakeHost()) { server in
            let reply = try await request(server, "/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(reply.text == FakeHost().metricsText())
        }
    }
}

// MARK: - Page and HTML part

@Suite("Admin dashboard page", .timeLimit(.minutes(1)))
struct AdminDashboardTests {
    @Test("GET /_door/ serves the self-contained page with a strict CSP, no framing, no sniffing, no caching")
    func pageHeaders() async throws {
        try await withAdmin(FakeHost()) { server in
            let reply = try await request(server, "/_door/")
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "text/html; charset=utf-8")
            let policy = try #require(reply.header("content-security-policy"))
            let directives = Set(policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
            for expected in [
                "default-src 'self'", "script-src 'self' 'unsafe-inline'", "frame-src 'self'", "img-src 'self' data:",
                "object-src 'none'", "base-uri 'none'",
            ] {
                #expect(directives.contains(expected), "\(expected) in \(policy)")
            }
            #expect(reply.header("x-content-type-options") == "nosniff")
            #expect(reply.header("x-frame-options") == "DENY")
            #expect(reply.header("cache-control") == "no-store")
        }
    }

    @Test("the page has the ids a browser test relies on, and loads nothing from elsewhere")
    func pageContent() async throws {
        try await withAdmin(FakeHost()) { server in
            let page = try await request(server, "/_door/").text
            for id in ["services", "messages", "torrents", "mailboxes", "message-text", "message-headers"] {
                #expect(page.contains("id=\"\(id)\""), "#\(id)")
            }
            for marker in [
                "data-service", "data-id", "data-torrent", "'subject'", "/_door/api/status",
                "setTimeout(refresh, 1000)",
            ] {
                #expect(page.contains(marker), "\(marker)")
            }
            #expect(!page.contains("innerHTML"), "text is set with textContent only")
            #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<link"))
            #expect(page.contains("setAttribute('sandbox', '')"))
            #expect(!page.contains("allow-scripts") && !page.contains("allow-same-origin"))
        }
    }

    @Test("a message's HTML part is served under a sandbox CSP, undecorated, never as the dashboard")
    func messageHTML() async throws {
        try await withMailAdmin { server, mail in
            let id = try mail.id(of: MailFixture.richName)
            let reply = try await request(server, "/_door/api/mail/messages/\(id)/html")
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "text/html; charset=utf-8")
            #expect(
                reply.header("content-security-policy")
                    == "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'")
            #expect(reply.header("x-content-type-options") == "nosniff")
            #expect(reply.text.hasPrefix("<p>The <b>report</b> is attached.</p>"))

            let plainID = try mail.id(of: MailFixture.plainName)
            let none = try await request(server, "/_door/api/mail/messages/\(plainID)/html")
            expectJSONResponse(none, status: 404)
        }
    }

    @Test("/_door redirects to /_door/ keeping the query")
    func redirect() async throws {
        try await withAdmin(FakeHost(), token: "t") { server in
            let reply = try await request(server, "/_door?token=t")
            #expect(reply.status == 308)
            #expect(reply.header("location") == "/_door/?token=t")
        }
    }
}

// MARK: - Access and refusals

@Suite("Admin access control and refusals", .timeLimit(.minutes(1)))
struct AdminAccessTests {
    @Test(
        "with a token, a request without it (or with a wrong one) is 401 on every path",
        arguments: ["/_door/", "/_door/api/services", "/_door/api/status", "/metrics", "/nowhere"])
    func tokenRequired(target: String) async throws {
        try await withAdmin(FakeHost(), token: "s3cret+/=") { server in
            let missing = try await request(server, target)
            #expect(missing.status == 401)
            #expect(missing.header("www-authenticate")?.hasPrefix("Bearer") == true)
            let wrong = try await request(server, target, headers: ["Authorization": "Bearer s3cret+/x"])
            #expect(wrong.status == 401)
            let wrongQuery = try await request(server, target + "?token=s3cret")
            #expect(wrongQuery.status == 401)
        }
    }

    @Test("with a token, the bearer field or the token parameter lets a request in")
    func tokenAccepted() async throws {
        try await withAdmin(FakeHost(), token: "s3cret+/=") { server in
            let header = try await request(
                server, "/_door/api/services", headers: ["Authorization": "Bearer s3cret+/="])
            #expect(header.status == 200)
            let lowercase = try await request(server, "/metrics", headers: ["Authorization": "bearer s3cret+/="])
            #expect(lowercase.status == 200)
            let query = try await request(server, "/_door/?token=s3cret%2B%2F%3D")
            #expect(query.status == 200)
            let api = try await request(server, "/_door/api/status?mailbox=&token=s3cret%2B%2F%3D")
            #expect(api.status == 200)
        }
    }

    @Test("without a token every request is let in")
    func noToken() async throws {
        try await withAdmin(FakeHost(), token: nil) { server in
            let reply = try await request(server, "/_door/api/services")
            #expect(reply.status == 200)
        }
    }

    @Test(
        "paths outside /_door/ and /metrics are 404",
        arguments: [
            "/", "/index.html", "/_door/api/nothing", "/_door/api/services/", "/metrics/x", "/_doorx/",
            "/_door/api/mail/messages/abc/text",
        ])
    func notFound(target: String) async throws {
        try await withAdmin(FakeHost()) { server in
            let reply = try await request(server, target)
            expectJSONResponse(reply, status: 404)
        }
    }

    @Test("methods other than GET and HEAD are 405 with Allow", arguments: ["POST", "PUT", "DELETE", "OPTIONS"])
    func methodNotAllowed(method: String) async throws {
        try await withAdmin(FakeHost()) { server in
            let reply = try await request(server, "/_door/api/services", method: method)
            #expect(reply.status == 405)
            #expect(reply.header("allow") == "GET, HEAD")
        }
    }

    @Test("HEAD answers the GET's header fields and no body")
    func head() async throws {
        try await withAdmin(FakeHost()) { server in
            let get = try await request(server, "/_door/api/services")
            let head = try await request(server, "/_door/api/services", method: "HEAD")
            #expect(head.status == 200)
            #expect(head.header("content-length") == String(get.body.count))
            #expect(head.body.isEmpty)
        }
    }

    @Test("a request body beyond the small limit is 413 and the connection closes")
    func bodyTooLarge() async throws {
        try await withAdmin(FakeHost()) { server in
            let large = try await request(
                server, "/_door/api/services", method: "POST", body: String(repeating: "x", count: 100_000))
            #expect(large.status == 413)
            #expect(large.header("connection") == "close")
            let small = try await request(server, "/_door/api/services", method: "POST", body: "x=1")
            #expect(small.status == 405, "a small body is read and ignored")
        }
    }

    @Test("pipelined requests are answered in order on one connection, async routes included")
    func pipelining() async throws {
        try await withAdmin(FakeHost()) { server in
            let raw =
                "GET /_door/api/services HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /_door/api/torrents HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            let replies = try parseReplies(try await exchange(server, raw))
            #expect(replies.map(\.status) == [200, 200, 200])
            #expect(try replies[0].decode([ServiceStatus].self).count == 2)
            #expect(replies[1].text.contains("door_connections_total"))
            #expect(try replies[2].decode([TorrentStatus].self).count == 1)
        }
    }

    @Test("a silent connection is closed after the idle timeout (without it, this test hangs)")
    func idleTimeout() async throws {
        try await withAdmin(FakeHost(), idleTimeout: .milliseconds(300)) { server in
            let received = try await exchange(server, "")
            #expect(received.isEmpty)
        }
    }
}

// MARK: - Pure rules

@Suite("Admin routing rules")
struct AdminRouteTests {
    private func route(
        _ target: String, method: String = "GET", authorization: String? = nil, token: String? = nil
    )
        -> AdminRoute
    {
        AdminRoute(method: method, target: target, authorization: authorization, token: token)
    }

    @Test("paths map to routes; query parameters are decoded")
    func routes() {
        #expect(route("/_door/") == .dashboard)
        #expect(route("/metrics") == .metrics)
        #expect(route("/_door/api/status?mailbox=a%40b.test") == .status(mailbox: "a@b.test"))
        #expect(route("/_door/api/mail/messages") == .messages(mailbox: nil))
        #expect(route("/_door/api/mail/messages/abc123") == .message(id: "abc123"))
        #expect(route("/_door/api/mail/messages/abc123/html") == .messageHTML(id: "abc123"))
        #expect(route("/_door/api/services?x=%zz") == .badRequest("malformed percent-encoding in the query"))
        #expect(route("/_door/api/services", method: "POST") == .methodNotAllowed)
        #expect(route("/elsewhere", method: "POST") == .notFound)
    }

    @Test("the token is checked before anything else")
    func token() {
        #expect(route("/nowhere", token: "t") == .unauthorized)
        #expect(route("/metrics", authorization: "Bearer t", token: "t") == .metrics)
        #expect(route("/metrics", authorization: "Basic dDp0", token: "t") == .unauthorized)
        #expect(route("/metrics", authorization: "Bearer tt", token: "t") == .unauthorized)
        #expect(route("/metrics?token=t", token: "t") == .metrics)
        #expect(route("/metrics?token=", token: "t") == .unauthorized)
    }

    @Test("plain names: Maildir names and short ids pass, anything path-like does not")
    func plainNames() {
        #expect(AdminRoute.isPlainName("1700000000.M1P1Q1.host,S=12,W=13"))
        #expect(AdminRoute.isPlainName("0a1b2c3d"))
        for bad in ["", ".", "..", "a..b", "a/b", "a\\b", ".x", "a b", "a\u{0}b", String(repeating: "a", count: 256)] {
            #expect(!AdminRoute.isPlainName(bad), "\(bad)")
        }
    }

    @Test("messages sort newest first by the delivery time in their Maildir names")
    func newestFirst() {
        func entry(_ path: String) -> MailboxEntry {
            MailboxEntry(id: path, mailbox: "m", path: path, date: "", from: "", subject: "", size: 0, seen: false)
        }
        let sorted = AdminMail.newestFirst([
            entry("m/new/1700000000.M9P1Q1.h"), entry("m/cur/1700000001.M1P1Q1.h:2,S"),
            entry("m/new/999999999.M5P1Q1.h"),
            entry("m/new/1700000000.M10P1Q1.h"),
        ])
        #expect(
            sorted.map(\.path) == [
                "m/cur/1700000001.M1P1Q1.h:2,S", "m/new/1700000000.M10P1Q1.h", "m/new/1700000000.M9P1Q1.h",
                "m/new/999999999.M5P1Q1.h",
            ])
    }
}

@Suite("Admin: a message's HTML part")
struct AdminMessageHTMLTests {
    @Test("a single-part text/html message is its HTML; a plain one has none")
    func singlePart() {
        let html = MailMessage(Array("Content-Type: text/html; charset=utf-8\r\n\r\n<p>hi</p>\r\n".utf8))
        #expect(html.html == "<p>hi</p>\n")
        #expect(MailMessage(Array("Subject: x\r\n\r\nhi\r\n".utf8)).html == nil)
    }

    @Test("a multipart message's first text/html part that is not an attachment, decoded")
    func multipart() {
        let text = """
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/html; name=page.html
            Content-Disposition: attachment; filename=page.html

            <p>attached</p>
            --b
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            <p>caf=C3=A9</p>
            --b--

            """
        #expect(MailMessage(Array(text.utf8)).html == "<p>café</p>")
    }
}
