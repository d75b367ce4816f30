// The admin endpoint of a running host: a live dashboard, a read-only JSON API and Prometheus metrics.

import Doorway
import DoorwayHTTP
import DoorwayMail
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves a host's dashboard at `/_door/`, its JSON API under `/_door/api/` and its metrics at `/metrics`.
///
/// ```swift
/// let admin = AdminServer(source: host, token: "s3cret")
/// let server = try await admin.serve(on: try Endpoint(parsing: "127.0.0.1:9090"))
/// // open http://127.0.0.1:9090/_door/?token=s3cret
/// ```
///
/// Everything shown is read from a ``HostStatusSource``. The endpoint is read-only: GET and HEAD only, no
/// request bodies. With a token, every request needs `Authorization: Bearer TOKEN` or `?token=TOKEN`; binding
/// to loopback is the caller's choice. Mail is shown as text; a message's HTML is served only under a
/// `sandbox` Content-Security-Policy, for the dashboard's sandboxed frame, so its scripts never run.
///
/// Routes:
/// - `GET /_door/`: the dashboard, one self-contained page that polls `/_door/api/status` every second.
/// - `GET /_door/api/status`: services, torrents and mail (`?mailbox=NAME` narrows the messages) in one call.
/// - `GET /_door/api/services`, `/_door/api/torrents`: ``ServiceStatus`` and ``TorrentStatus`` lists.
/// - `GET /_door/api/mail/mailboxes`: `[{"name", "messages", "unseen"}]`.
/// - `GET /_door/api/mail/messages[?mailbox=NAME]`: `MailboxEntry` list, newest first.
/// - `GET /_door/api/mail/messages/ID`: `{entry, headers, text, textType, html, attachments}`.
/// - `GET /_door/api/mail/messages/ID/html`: the message's HTML part, sandboxed.
/// - `GET /metrics`: the Prometheus text exposition.
public final class AdminServer: HTTPRespondingServer {
    public let source: any HostStatusSource
    /// Required of every request when set.
    public let token: String?
    /// Connections served at once.
    public let maximumConnections: Int
    /// A connection silent this long is closed, so idle clients cannot hold every slot.
    public let idleTimeout: Duration
    /// A request body larger than this is refused with 413 and the connection closed; smaller ones are ignored.
    public static let maximumRequestBodySize = 1024

    /// - Parameters:
    ///   - source: where services, torrents, mail and metrics are read.
    ///   - token: when set, the bearer token every request must carry.
    ///   - maximumConnections: connections served at once.
    ///   - idleTimeout: a connection silent this long is closed, so idle clients cannot hold every slot.
    public init(
        source: any HostStatusSource, token: String? = nil, maximumConnections: Int = 64,
        idleTimeout: Duration = .seconds(30)
    ) {
        self.source = source
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.maximumConnections = maximumConnections
        self.idleTimeout = idleTimeout
    }

    /// Installs the admin endpoint in a new connection's pipeline: answered on the event loop when no waiting
    /// is needed, else after a task reads the host's state.
    public var initializer: Server.Initializer {
        let tooLarge = AdminResponse.error(
            .payloadTooLarge,
            "the admin endpoint takes no request bodies (at most \(Self.maximumRequestBodySize) bytes)")
        return HTTPResponder.initializer(maximumBodySize: Self.maximumRequestBodySize, bodyTooLarge: tooLarge) {
            [self] head, _ in
            let route = route(
                method: head.method.rawValue, target: head.uri, authorization: head.headers.first(name: "authorization")
            )
            if let response = immediateResponse(to: route) { return .now(response) }
            return .later { await self.respond(to: route) }
        }
    }

    /// What a request for `target` asks for.
    func route(method: String, target: String, authorization: String?) -> AdminRoute {
        AdminRoute(method: method, target: target, authorization: authorization, token: token)
    }

    /// The answer to a route that can be given on the event loop at once: refusals, the page and the metrics.
    /// Nil for routes that read the status source (async) or the mail store (blocking).
    func immediateResponse(to route: AdminRoute) -> AdminResponse? {
        switch route {
        case .dashboard: .dashboard(DashboardPage.bytes)
        case .metrics: .metrics(source.metricsText())
        default: AdminResponse.immediate(for: route)
        }
    }

    /// The answer to any route; the handler calls it off the event loop for those that need waiting.
    func respond(to route: AdminRoute) async -> AdminResponse {
        if let immediate = immediateResponse(to: route) { return immediate }
        let mail = AdminMail(store: source.mailStore)
        do {
            switch route {
            case .services:
                return .json(await source.services())
            case .torrents:
                return .json(await source.torrents())
            case .status(let mailbox):
                async let services = source.services()
                async let torrents = source.torrents()
                let mailStatus = try mail.status(mailbox: mailbox)
                return .json(AdminStatus(services: await services, torrents: await torrents, mail: mailStatus))
            case .mailboxes:
                return .json(try mail.mailboxes())
            case .messages(let mailbox):
                return .json(try mail.messages(in: mailbox))
            case .message(let id):
                guard let detail = try mail.detail(id) else { return .error(.notFound, "no message with id \(id)") }
                return .json(detail)
            case .messageHTML(let id):
                guard let (_, message) = try mail.message(id) else {
                    return .error(.notFound, "no message with id \(id)")
                }
                guard let html = message.html else { return .error(.notFound, "message \(id) has no HTML part") }
                return .messageHTML(html)
            case .dashboard, .metrics, .redirect, .unauthorized, .notFound, .methodNotAllowed, .badRequest:
                return .error(.internalServerError, "unrouted request")
            }
        } catch {
            return .error(.internalServerError, "cannot read the mail store: \(error)")
        }
    }
}

/// `GET /_door/api/status`.
struct AdminStatus: Codable, Sendable {
    var services: [ServiceStatus]
    var torrents: [TorrentStatus]
    var mail: MailStatus
}
