// The Web client process: GET over HTTP/1.1, reusing connections and following redirects.

import Doorway
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 client on the core's `Client`.
///
/// Connections are kept alive and reused for later requests to the same server. Redirects are followed up
/// to ``maximumRedirects``.
///
/// ```swift
/// let http = HTTPClient()
/// let response = try await http.get("http://127.0.0.1:8080/index.html")
/// print(response.status, response.body.readableBytes)
/// await http.shutdown()
/// ```
public final class HTTPClient: Sendable {
    /// The status line and headers of a response, and the address it came from after redirects.
    public struct ResponseHead: Sendable {
        public var address: WebAddress
        public var version: HTTPVersion
        public var status: HTTPResponseStatus
        public var headers: HTTPHeaders
        /// True when the request went over a kept-alive connection rather than a new one.
        public var reusedConnection: Bool

        /// The body length the server announced, if it did.
        public var contentLength: Int? { headers.first(name: "content-length").flatMap { Int($0) } }
    }

    /// A whole response, body in memory.
    public struct Response: Sendable {
        public var head: ResponseHead
        public var body: ByteBuffer
        public var status: HTTPResponseStatus { head.status }
        public var headers: HTTPHeaders { head.headers }
    }

    public let client: Client
    public let maximumRedirects: Int
    /// How long the client waits for the server to say anything, at any point of a response.
    public let timeout: Duration
    /// The largest body ``get(_:headers:)`` keeps in memory.
    public let maximumBodySize: Int
    public let userAgent: String

    private let idle = NIOLockedValueBox<[String: [Link]]>([:])

    /// One connection and the reader at the end of its pipeline.
    fileprivate struct Link: Sendable {
        var channel: any Channel
        var reader: NIOLoopBound<ResponseReader>
    }

    public init(
        client: Client = Client(parameters: TransportParameters(connectTimeout: .seconds(10))),
        maximumRedirects: Int = 10,
        timeout: Duration = .seconds(30),
        maximumBodySize: Int = 64 * 1024 * 1024,
        userAgent: String = "door"
    ) {
        self.client = client
        self.maximumRedirects = maximumRedirects
        self.timeout = timeout
        self.maximumBodySize = maximumBodySize
        self.userAgent = userAgent
    }

    /// GETs `url` and returns the response with its body in memory.
    public func get(_ url: String, headers: HTTPHeaders = [:]) async throws -> Response {
        let body = NIOLockedValueBox(ByteBuffer())
        let limit = maximumBodySize
        let head = try await get(url, headers: headers) { _ in
        } body: { chunk in
            try body.withLockedValue { body in
                var chunk = chunk
                guard body.readableBytes + chunk.readableBytes <= limit else {
                    throw HTTPClientError.bodyTooLarge(limit: limit)
                }
                body.writeBuffer(&chunk)
            }
        }
        return Response(head: head, body: body.withLockedValue { $0 })
    }

    /// GETs `url`, streaming the final response's body to `body` as it arrives.
    ///
    /// - Parameters:
    ///   - url: the `http://` URL to fetch; redirects are followed up to ``maximumRedirects``.
    ///   - headers: extra request headers, sent with the request and each redirected one.
    ///   - head: called once with the final response's head, before any of its body.
    ///   - body: called with each piece of the body; the next piece is read only after it returns.
    @discardableResult
    public func get(
        _ url: String,
        headers: HTTPHeaders = [:],
        head: (ResponseHead) async throws -> Void,
        body: (ByteBuffer) async throws -> Void
    ) async throws -> ResponseHead {
        var address = try WebAddress(parsing: url)
        var redirects = 0
        while true {
            let exchange = try await send(to: address, headers: headers)
            let response = exchange.head
            if [301, 302, 303, 307, 308].contains(response.status.code),
                let location = response.headers.first(name: "location")
            {
                try await exchange.drain()
                guard redirects < maximumRedirects else {
                    throw HTTPClientError.tooManyRedirects(limit: maximumRedirects, last: address)
                }
                redirects += 1
                address = try address.resolving(location)
                continue
            }
            try await head(response)
            try await exchange.forEachBodyPart(body)
            return response
        }
    }

    /// Closes every kept-alive connection.
    public func shutdown() async {
        let channels = idle.withLockedValue { idle in
            defer { idle = [:] }
            return idle.values.flatMap { $0 }
        }
        for link in channels { try? await link.channel.close() }
    }

    // MARK: Connections

    private func send(to address: WebAddress, headers extra: HTTPHeaders) async throws -> Exchange {
        var headers: HTTPHeaders = ["Host": address.authority, "User-Agent": userAgent, "Accept": "*/*"]
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        let request = HTTPRequestHead(version: .http1_1, method: .GET, uri: address.target, headers: headers)
        // A kept-alive connection may have been closed by the server meanwhile: then retry on a new one.
        if let link = takeIdle(for: address.authority) {
            if let exchange = try? await Exchange.start(request, on: link, client: self, address: address, reused: true)
            {
                return exchange
            }
            try? await link.channel.close()
        }
        let link = try await connect(to: address, sending: request)
        return try await Exchange.start(request, on: link, client: self, address: address, reused: false, sent: true)
    }

    /// Connects and sends `request` the moment the connection is up, before anything is read: a server may
    /// answer and close at once, and NIO's decoder must have seen the request before the response.
    private func connect(to address: WebAddress, sending request: HTTPRequestHead) async throws -> Link {
        let endpoint = try address.endpoint
        // Happy Eyeballs may set up several channels; keep each one's reader and use the winner's.
        let readers = NIOLockedValueBox<[ObjectIdentifier: NIOLoopBound<ResponseReader>]>([:])
        let channel = try await client.connect(to: endpoint) { channel in
            channel.setOption(ChannelOptions.autoRead, value: false).flatMapThrowing {
                let reader = ResponseReader()
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                try channel.pipeline.syncOperations.addHandler(reader)
                try channel.pipeline.syncOperations.addHandler(RequestOnConnect(request))
                readers.withLockedValue {
                    $0[ObjectIdentifier(channel)] = NIOLoopBound(reader, eventLoop: channel.eventLoop)
                }
            }
        }
        guard let reader = readers.withLockedValue({ $0[ObjectIdentifier(channel)] }) else {
            throw HTTPClientError.closedEarly
        }
        return Link(channel: channel, reader: reader)
    }

    private func takeIdle(for authority: String) -> Link? {
        idle.withLockedValue { idle in
            while let link = idle[authority]?.popLast() {
                if link.channel.isActive { return link }
            }
            return nil
        }
    }

    fileprivate func release(_ link: Link, authority: String, reusable: Bool) {
        guard reusable, link.channel.isActive else {
            link.channel.close(promise: nil)
            return
        }
        idle.withLockedValue { $0[authority, default: []].append(link) }
    }
}

/// Writes a new connection's first request as soon as it is connected, then leaves the pipeline.
private final class RequestOnConnect: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let request: HTTPRequestHead

    init(_ request: HTTPRequestHead) { self.request = request }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { send(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        context.fireChannelActive()
    }

    private func send(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

/// One request and its response on one connection.
private struct Exchange {
    let link: HTTPClient.Link
    let client: HTTPClient
    let head: HTTPClient.ResponseHead
    private var channel: any Channel { link.channel }

    static func start(
        _ request: HTTPRequestHead, on link: HTTPClient.Link, client: HTTPClient, address: WebAddress, reused: Bool,
        sent: Bool = false
    ) async throws -> Exchange {
        let channel = link.channel
        // A server may have answered and closed before reading the request; its answer still counts, so a
        // failed write is reported only if no response arrives.
        var writeError: (any Error)?
        if !sent {
            channel.write(HTTPClientRequestPart.head(request), promise: nil)
            do {
                try await channel.writeAndFlush(HTTPClientRequestPart.end(nil))
            } catch {
                writeError = error
            }
        }
        var exchange = Exchange(
            link: link, client: client,
            head: .init(address: address, version: .http1_1, status: .ok, headers: [:], reusedConnection: reused)
        )
        while true {
            let part: HTTPClientResponsePart
            do {
                part = try await exchange.nextPart()
            } catch let error as HTTPClientError where error == .closedEarly {
                throw HTTPClientError.noResponse(writeError)
            } catch let error as ChannelError {
                throw HTTPClientError.noResponse(writeError ?? error)
            }
            guard case .head(let head) = part else {
                throw HTTPClientError.protocolViolation("the response did not start with a status line")
            }
            // 1xx responses are interim; the final one follows.
            if head.status.code < 200 { continue }
            exchange = Exchange(
                link: link, client: client,
                head: .init(
                    address: address, version: head.version, status: head.status, headers: head.headers,
                    reusedConnection: reused
                )
            )
            return exchange
        }
    }

    private func nextPart() async throws -> HTTPClientResponsePart {
        let reader = link.reader
        let timeout = TimeAmount(client.timeout)
        let seconds = client.timeout
        return try await channel.eventLoop.flatSubmit {
            let part = reader.value.next(eventLoop: reader.eventLoop)
            let timer = reader.eventLoop.scheduleTask(in: timeout) {
                reader.value.fail(HTTPClientError.timedOut(after: seconds))
            }
            part.whenComplete { _ in timer.cancel() }
            return part
        }.get()
    }

    /// Delivers the body, then returns the connection to the pool if the server keeps it open.
    func forEachBodyPart(_ consume: (ByteBuffer) async throws -> Void) async throws {
        var received = 0
        do {
            while true {
                switch try await nextPart() {
                case .body(let bytes):
                    received += bytes.readableBytes
                    try await consume(bytes)
                case .end:
                    client.release(link, authority: head.address.authority, reusable: keepsAlive)
                    return
                case .head:
                    throw HTTPClientError.protocolViolation("a second status line arrived inside a response")
                }
            }
        } catch let error as HTTPClientError where error == .closedEarly {
            channel.close(promise: nil)
            throw HTTPClientError.bodyCutShort(received: received, expected: head.contentLength)
        } catch is ChannelError {
            channel.close(promise: nil)
            throw HTTPClientError.bodyCutShort(received: received, expected: head.contentLength)
        } catch let error as HTTPParserError {
            channel.close(promise: nil)
            if error == .invalidEOFState {
                throw HTTPClientError.bodyCutShort(received: received, expected: head.contentLength)
            }
            throw HTTPClientError.protocolViolation("the response is malformed (\(error))")
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    func drain() async throws {
        try await forEachBodyPart { _ in }
    }

    private var keepsAlive: Bool {
        let connection = head.headers[canonicalForm: "connection"].map { $0.lowercased() }
        if connection.contains("close") { return false }
        return head.version.minor >= 1 || connection.contains("keep-alive")
    }
}

/// Why a request failed after the connection was made.
public struct HTTPClientError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case closedEarly, noResponse, bodyCutShort, timedOut, tooManyRedirects, bodyTooLarge, protocolViolation
    }

    public var kind: Kind
    public var description: String

    static let closedEarly = HTTPClientError(
        kind: .closedEarly, description: "the server closed the connection before the response was complete")

    static func noResponse(_ cause: (any Error)?) -> HTTPClientError {
        let because = cause.map { " (\($0))" } ?? ""
        return HTTPClientError(
            kind: .noResponse, description: "the server closed the connection without a response\(because)")
    }

    static func bodyCutShort(received: Int, expected: Int?) -> HTTPClientError {
        let of = expected.map { " of \($0)" } ?? ""
        return HTTPClientError(
            kind: .bodyCutShort,
            description: "the body was cut short: the connection closed after \(received)\(of) bytes")
    }

    static func timedOut(after duration: Duration) -> HTTPClientError {
        HTTPClientError(
            kind: .timedOut,
            description: "the server sent nothing for \(duration.components.seconds) s; try again or raise --timeout")
    }

    static func tooManyRedirects(limit: Int, last: WebAddress) -> HTTPClientError {
        HTTPClientError(
            kind: .tooManyRedirects,
            description: "more than \(limit) redirects (the last to \(last)); raise --max-redirects")
    }

    static func bodyTooLarge(limit: Int) -> HTTPClientError {
        HTTPClientError(
            kind: .bodyTooLarge, description: "the body is larger than \(limit) bytes; stream it to a file instead")
    }

    static func protocolViolation(_ what: String) -> HTTPClientError {
        HTTPClientError(kind: .protocolViolation, description: "not a valid HTTP/1.1 response: \(what)")
    }

    public static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool { lhs.kind == rhs.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }
}
