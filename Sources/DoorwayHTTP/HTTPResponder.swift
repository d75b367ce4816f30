// The server end of a small HTTP endpoint: each request's head becomes one whole response, in order.

import Doorway
import NIOCore
import NIOHTTP1

/// Reads a request, refuses a body over the limit, and writes the ``HTTPResponse`` its answer gives.
///
/// ```swift
/// let initializer = HTTPResponder.initializer { head, _ in
///     .now(HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: Array("hi\n".utf8)))
/// }
/// let server = try await Server.bind(endpoint, transport: .tcp, initializer: initializer)
/// ```
///
/// One request is answered at a time (NIO's pipelining handler queues the rest): on the event loop when the
/// answer is ready at once, else after a task works it out. Request bodies are read and dropped; a body over
/// the limit gets the given 413 response and the connection is closed. HEAD responses carry no body.
public final class HTTPResponder: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias OutboundOut = HTTPServerResponsePart

    /// What a request gets: a response at once, on the event loop, or one a task works out.
    public enum Answer: Sendable {
        case now(HTTPResponse)
        case later(@Sendable () async -> HTTPResponse)
    }

    /// Works out the answer to a request from its head and the address it came from; called on the event loop.
    public typealias Respond = @Sendable (_ head: HTTPRequestHead, _ remoteAddress: SocketAddress?) -> Answer

    private enum State {
        case idle
        case receiving(HTTPRequestHead, bodyBytes: Int)
        /// Waiting for a task's answer; the pipelining handler holds further requests meanwhile.
        case answering
        /// A body was too large: the 413 is on its way. The rest of the body is read and dropped before closing,
        /// because closing with unread bytes makes the kernel send a reset that can destroy the 413 in flight.
        case refused(sent: EventLoopFuture<Void>, discarded: Int)
    }

    /// Of a refused body, at most this much more is read before the connection is closed regardless.
    public static let refusedBodyDrainLimit = 256 * 1024

    private let maximumBodySize: Int
    private let bodyTooLarge: HTTPResponse
    private let respond: Respond
    private var state = State.idle
    private var isRemoved = false

    /// - Parameters:
    ///   - maximumBodySize: a request body larger than this gets `bodyTooLarge` and the connection is closed.
    ///   - bodyTooLarge: the 413 response.
    ///   - respond: the answer to each request.
    public init(
        maximumBodySize: Int = .max, bodyTooLarge: HTTPResponse = HTTPResponse(status: .payloadTooLarge),
        respond: @escaping Respond
    ) {
        self.maximumBodySize = maximumBodySize
        self.bodyTooLarge = bodyTooLarge
        self.respond = respond
    }

    /// Installs NIO's HTTP/1.1 server codec (with its error handling) and a responder in a new connection.
    public static func initializer(
        maximumBodySize: Int = .max, bodyTooLarge: HTTPResponse = HTTPResponse(status: .payloadTooLarge),
        respond: @escaping Respond
    ) -> Server.Initializer {
        { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                try channel.pipeline.syncOperations.addHandler(
                    HTTPResponder(maximumBodySize: maximumBodySize, bodyTooLarge: bodyTooLarge, respond: respond))
            }
        }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        isRemoved = true
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = state else { return }
            let declared = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
            if declared > maximumBodySize {
                refuseBody(head, context: context)
            } else {
                state = .receiving(head, bodyBytes: 0)
            }
        case .body(let chunk):
            switch state {
            case .receiving(let head, let received):
                let total = received + chunk.readableBytes
                if total > maximumBodySize {
                    refuseBody(head, context: context)
                } else {
                    state = .receiving(head, bodyBytes: total)
                }
            case .refused(let sent, let discarded):
                let total = discarded + chunk.readableBytes
                state = .refused(sent: sent, discarded: total)
                if total > Self.refusedBodyDrainLimit { closeAfter(sent, context: context) }
            case .idle, .answering:
                break
            }
        case .end:
            switch state {
            case .receiving(let head, _):
                answer(head, context: context)
            case .refused(let sent, _):
                closeAfter(sent, context: context)
            case .idle, .answering:
                break
            }
        }
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        switch respond(head, context.channel.remoteAddress) {
        case .now(let response):
            write(response, for: head, closing: false, context: context)
        case .later(let work):
            state = .answering
            let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
            context.eventLoop.makeFutureWithTask { await work() }.whenSuccess { response in
                let (handler, context) = bound.value
                guard !handler.isRemoved else { return }
                handler.write(response, for: head, closing: false, context: context)
            }
        }
    }

    private func refuseBody(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let sent = write(bodyTooLarge, for: head, closing: true, context: context)
        state = .refused(sent: sent, discarded: 0)
    }

    private func closeAfter(_ sent: EventLoopFuture<Void>, context: ChannelHandlerContext) {
        let bound = context.loopBound
        sent.whenComplete { _ in bound.value.close(promise: nil) }
    }

    /// Writes the response; unless `closing` (the caller closes later), closes the connection after it when the
    /// request did not ask to keep it.
    @discardableResult
    private func write(
        _ response: HTTPResponse, for head: HTTPRequestHead, closing: Bool, context: ChannelHandlerContext
    ) -> EventLoopFuture<Void> {
        state = .idle
        let keepAlive = head.isKeepAlive && !closing
        var headers = response.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        } else if head.version.major == 1 && head.version.minor == 0 {
            headers.replaceOrAdd(name: "Connection", value: "keep-alive")
        }
        let responseHead = HTTPResponseHead(version: head.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD && !response.body.isEmpty {
            let body = context.channel.allocator.buffer(bytes: response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let sent = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive && !closing {
            closeAfter(sent, context: context)
        }
        return sent
    }
}
