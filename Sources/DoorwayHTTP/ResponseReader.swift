// Hands a client's response parts to async code one at a time, reading ahead only a little.

import NIOCore
import NIOHTTP1

/// The client end of an HTTP connection.
///
/// The channel has auto-read off; once a response is awaited, the reader keeps one read outstanding while
/// fewer than ``readAheadLimit`` parts wait, so a slow consumer (a disk, a terminal) holds the server back
/// instead of filling memory. Nothing is read before the first request is written: NIO's decoder must see
/// the request first. (A server that answers and closes before reading the request is still heard: on a
/// reset NIO reads whatever arrived before closing.)
final class ResponseReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    static let readAheadLimit = 16

    private var buffered = CircularBuffer<HTTPClientResponsePart>()
    private var failure: (any Error)?
    private var waiting: EventLoopPromise<HTTPClientResponsePart>?
    private var context: ChannelHandlerContext?
    private var readPending = false

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// The next response part; must be called on the channel's event loop, one call at a time.
    func next(eventLoop: any EventLoop) -> EventLoopFuture<HTTPClientResponsePart> {
        if let part = buffered.popFirst() {
            readMore()
            return eventLoop.makeSucceededFuture(part)
        }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        let promise = eventLoop.makePromise(of: HTTPClientResponsePart.self)
        waiting = promise
        readMore()
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
        readPending = false
        if waiting != nil || !buffered.isEmpty { readMore() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The server closed its side: what was sent is all there will be.
        if case ChannelEvent.inputClosed = event { fail(HTTPClientError.closedEarly) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(HTTPClientError.closedEarly)
    }

    private func readMore() {
        guard let context, !readPending, failure == nil, buffered.count < Self.readAheadLimit else { return }
        readPending = true
        context.read()
    }
}
