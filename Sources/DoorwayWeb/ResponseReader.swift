// Hands a client's response parts to async code one at a time, reading from the socket only on demand.

import NIOCore
import NIOHTTP1

/// The client end of an HTTP connection: parts are read only when asked for (the channel has auto-read off),
/// so a slow consumer — a disk, a terminal — holds the server back instead of filling memory.
final class ResponseReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var buffered = CircularBuffer<HTTPClientResponsePart>()
    private var failure: (any Error)?
    private var waiting: EventLoopPromise<HTTPClientResponsePart>?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// The next response part; must be called on the channel's event loop, one call at a time.
    func next(eventLoop: any EventLoop) -> EventLoopFuture<HTTPClientResponsePart> {
        if let part = buffered.popFirst() { return eventLoop.makeSucceededFuture(part) }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        let promise = eventLoop.makePromise(of: HTTPClientResponsePart.self)
        waiting = promise
        context?.read()
        return promise.futureResult
    }

    /// Fails a pending ``next(eventLoop:)``, as a timeout does.
    func fail(_ error: any Error) {
        failure = failure ?? error
        if let waiting {
            self.waiting = nil
            waiting.fail(error)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if let waiting {
            self.waiting = nil
            waiting.succeed(part)
        } else {
            buffered.append(part)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // The decoder may need more bytes to make a part: keep reading while someone waits.
        if waiting != nil { context.read() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(HTTPClientError.closedEarly)
    }
}
