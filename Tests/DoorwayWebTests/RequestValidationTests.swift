// The Web server's request rules as pure functions: framing, expectations, body limit, Host, method, target.

import NIOHTTP1
import Testing

@testable import DoorwayWeb

@Suite("Web server: request validation")
struct RequestValidationTests {
    private let validation = RequestValidation(policy: WebServer.Policy(), limits: WebServer.Limits())

    private func head(
        _ method: HTTPMethod = .GET, _ uri: String = "/", version: HTTPVersion = .http1_1,
        _ fields: [(String, String)] = [("Host", "a")]
    ) -> HTTPRequestHead {
        HTTPRequestHead(version: version, method: method, uri: uri, headers: HTTPHeaders(fields))
    }

    private func isServed(_ verdict: RequestValidation.Verdict) -> Bool {
        if case .serve = verdict { true } else { false }
    }

    @Test("a plain head waits for its end")
    func plainHead() {
        #expect(validation.checkHead(head()) == .awaitEnd)
        #expect(validation.checkHead(head(.POST, "/", [("Host", "a"), ("Content-Length", "12")])) == .awaitEnd)
    }

    @Test("framing the server will not trust is refused at the head with 400")
    func untrustedFraming() {
        let cases: [[(String, String)]] = [
            [("Content-Length", "3"), ("Content-Length", "3")],
            [("Content-Length", "3"), ("Transfer-Encoding", "chunked")],
            [("Content-Length", "12a")],
            [("Content-Length", "")],
            [("Content-Length", "-1")],
        ]
        for fields in cases {
            let verdict = validation.checkHead(head(.POST, "/", [("Host", "a")] + fields))
            #expect(verdict == .refuse(.badRequest), "\(fields)")
        }
    }

    @Test("Expect: only 100-continue is understood, and with a body it is answered at once")
    func expectations() {
        let teapot = [("Host", "a"), ("Expect", "teapot")]
        #expect(validation.checkHead(head(.GET, "/", teapot)) == .refuse(.expectationFailed))
        let twice = [("Host", "a"), ("Expect", "100-continue"), ("Expect", "100-continue")]
        #expect(validation.checkHead(head(.GET, "/", twice)) == .refuse(.expectationFailed))
        #expect(validation.checkHead(head(.GET, "/", [("Host", "a"), ("Expect", "100-continue")])) == .awaitEnd)
        let empty = [("Host", "a"), ("Expect", "100-Continue"), ("Content-Length", "0")]
        #expect(validation.checkHead(head(.PUT, "/", empty)) == .awaitEnd)
        let withBody = [("Host", "a"), ("Expect", "100-Continue"), ("Content-Length", "5")]
        #expect(validation.checkHead(head(.PUT, "/", withBody)) == .answerNow)
        let chunked = [("Host", "a"), ("Expect", "100-continue"), ("Transfer-Encoding", "chunked")]
        #expect(validation.checkHead(head(.PUT, "/", chunked)) == .answerNow)
    }

    @Test("a discarded body may reach the limit, not pass it")
    func bodyLimit() {
        var limits = WebServer.Limits()
        limits.discardedBodySize = 10
        let validation = RequestValidation(policy: WebServer.Policy(), limits: limits)
        #expect(validation.checkBody(discarded: 10) == nil)
        #expect(validation.checkBody(discarded: 11) == .payloadTooLarge)
    }

    @Test("Host: exactly one, or none from an HTTP/1.0 client")
    func host() {
        #expect(validation.check(head(.GET, "/", [])) == .refuse(.badRequest))
        #expect(validation.check(head(.GET, "/", [("Host", "a"), ("Host", "b")])) == .refuse(.badRequest))
        #expect(isServed(validation.check(head(.GET, "/", version: .http1_0, []))))
        #expect(isServed(validation.check(head(.HEAD, "/"))))
    }

    @Test("methods: GET and HEAD are served, OPTIONS answered, others refused")
    func methods() {
        #expect(validation.check(head(.OPTIONS, "*")) == .options)
        #expect(validation.check(head(.POST)) == .refuse(.methodNotAllowed))
        #expect(validation.check(head(.DELETE)) == .refuse(.methodNotAllowed))
        #expect(validation.check(head(.RAW(value: "BREW"))) == .refuse(.notImplemented))
        #expect(RequestValidation.allowedMethods == "GET, HEAD, OPTIONS")
    }

    @Test("targets: a bad one is 400, a hidden one 404 unless the policy serves hidden files")
    func targets() {
        #expect(validation.check(head(.GET, "/../etc/passwd")) == .refuse(.badRequest))
        #expect(validation.check(head(.GET, "/a#b")) == .refuse(.badRequest))
        #expect(validation.check(head(.GET, "/.env")) == .refuse(.notFound))
        #expect(validation.check(head(.GET, "/a/.git/config")) == .refuse(.notFound))
        #expect(isServed(validation.check(head(.GET, "/a/b.txt?x=1"))))
        let permissive = RequestValidation(
            policy: WebServer.Policy(servesHiddenFiles: true), limits: WebServer.Limits()
        )
        #expect(isServed(permissive.check(head(.GET, "/.env"))))
    }

    @Test("the Host check comes before the method, and the method before the target")
    func order() {
        #expect(validation.check(head(.POST, "/.env", [])) == .refuse(.badRequest))
        #expect(validation.check(head(.POST, "/../x")) == .refuse(.methodNotAllowed))
        #expect(validation.check(head(.OPTIONS, "/.env")) == .options)
    }
}
