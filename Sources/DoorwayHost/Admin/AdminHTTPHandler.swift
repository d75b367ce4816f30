// The admin endpoint's NIO handler: one request at a time (NIO's pipelining handler queues the rest), answered on
// the event loop when no waiting is needed, else after a task reads the host's state.

import NIOCore
import NIOHTTP1

/// Reads a request, refuses bodies over the limit, and writes the ``AdminResponse`` its route gets.
final class AdminHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

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
    static let refusedBodyDrainLimit = 256 * 1024

    private let admin: AdminServer
    private var state = State.idle
    private var isRemoved = false

    init(admin: AdminServer) {
        self.admin = admin
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        isRemoved = true
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = state else { return }
            let declared = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
            if declared > AdminServer.maximumRequestBodySize {
                refuseBody(head, context: context)
            } else {
                state = .receiving(head, bodyBytes: 0)
            }
        case .body(let chunk):
            switch state {
            case .receiving(let head, let received):
                let total = received + chunk.readableBytes
                if total > AdminServer.maximumRequestBodySize {
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

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let route = admin.route(
            method: head.method.rawValue, target: head.uri, authorization: head.headers.first(name: "authorization"))
        if let response = admin.immediateResponse(to: route) {
            write(response, for: head, closing: false, context: context)
            return
        }
        state = .answering
        let admin = self.admin
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        context.eventLoop.makeFutureWithTask { await admin.respond(to: route) }.whenSuccess { response in
            let (handler, context) = bound.value
            guard !handler.isRemoved else { return }
            handler.write(response, for: head, closing: false, context: context)
        }
    }

    private func refuseBody(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let response = AdminResponse.error(
            .payloadTooLarge,
            "the admin endpoint takes no request bodies (at most \(AdminServer.maximumRequestBodySize) bytes)")
        let sent = write(response, for: head, closing: true, context: context)
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
        _ response: AdminResponse, for head: HTTPRequestHead, closing: Bool, context: ChannelHandlerContext
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
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        let sent = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive && !closing {
            closeAfter(sent, context: context)
        }
        return sent
    }
}
