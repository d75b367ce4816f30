// The admin endpoint's answers, with the security fields each kind of resource needs.

import DoorwayHTTP
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every admin resource is small enough to build in memory.
typealias AdminResponse = HTTPResponse

extension AdminResponse {
    /// Every response: nothing is cached (it is live state, maybe behind a token), nothing is sniffed, and no
    /// address (which may carry the token) leaks through Referer.
    init(status: HTTPResponseStatus, contentType: String, body: [UInt8], extraHeaders: [(String, String)] = []) {
        self.init(status: status, body: body)
        headers = HTTPHeaders([
            ("Content-Type", contentType),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ])
        headers.add(contentsOf: extraHeaders)
    }

    /// The dashboard's policy: its own inline script and style, frames and requests to itself only.
    static let dashboardPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; frame-src 'self'; "
        + "img-src 'self' data:; object-src 'none'; base-uri 'none'"

    /// A message's own HTML: a unique origin with no scripts, no plugins, no forms and no requests anywhere.
    static let messageHTMLPolicy = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"

    static func dashboard(_ page: [UInt8]) -> AdminResponse {
        AdminResponse(
            status: .ok, contentType: "text/html; charset=utf-8", body: page,
            extraHeaders: [("Content-Security-Policy", dashboardPolicy), ("X-Frame-Options", "DENY")])
    }

    /// The HTML part of a message, to be shown only inside the dashboard's sandboxed frame.
    static func messageHTML(_ html: String) -> AdminResponse {
        AdminResponse(
            status: .ok, contentType: "text/html; charset=utf-8", body: Array(html.utf8),
            extraHeaders: [("Content-Security-Policy", messageHTMLPolicy), ("X-Frame-Options", "SAMEORIGIN")])
    }

    static func metrics(_ text: String) -> AdminResponse {
        AdminResponse(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: Array(text.utf8))
    }

    static func json(_ value: some Encodable, status: HTTPResponseStatus = .ok) -> AdminResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return AdminResponse(
                status: status, contentType: "application/json", body: Array(try encoder.encode(value)))
        } catch {
            return .error(.internalServerError, "cannot encode the answer as JSON: \(error)")
        }
    }

    /// `{"error": "…"}` with `status`.
    static func error(_ status: HTTPResponseStatus, _ message: String) -> AdminResponse {
        let encoded = (try? JSONEncoder().encode(["error": message])).map(Array.init) ?? Array("{}".utf8)
        return AdminResponse(status: status, contentType: "application/json", body: encoded)
    }

    /// The answer to a route that needs no data: refusals and the redirect. Nil for the others.
    static func immediate(for route: AdminRoute) -> AdminResponse? {
        switch route {
        case .unauthorized:
            var response = error(
                .unauthorized,
                "this admin endpoint needs its token: send Authorization: Bearer TOKEN, or add ?token=TOKEN to the address"
            )
            response.headers.add(name: "WWW-Authenticate", value: "Bearer realm=\"door\"")
            return response
        case .notFound:
            return error(
                .notFound, "no such admin resource: the dashboard is /_door/, the API /_door/api/, metrics /metrics")
        case .methodNotAllowed:
            var response = error(.methodNotAllowed, "the admin endpoint is read-only: use GET or HEAD")
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return response
        case .badRequest(let reason):
            return error(.badRequest, reason)
        case .redirect(let location):
            var response = AdminResponse(
                status: .permanentRedirect, contentType: "text/plain; charset=utf-8",
                body: Array("See \(location)\n".utf8))
            response.headers.add(name: "Location", value: location)
            return response
        default:
            return nil
        }
    }
}
