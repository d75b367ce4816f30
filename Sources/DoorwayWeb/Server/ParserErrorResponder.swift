// Answers a request that NIO's HTTP parser rejected with the status that names the problem, then closes.

import NIOCore
import NIOHTTP1

/// Turns `HTTPParserError`s into responses, with the status ``RequestValidation`` gives each (414, 431, 501,
/// 505, or 400). The connection is closed afterwards: after a framing error the server can no longer tell
/// where the next request starts.
final class ParserErrorResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private let headGuard: RequestHeadGuard
    private let metrics: RequestMetrics
    private var answered = false

    init(headGuard: RequestHeadGuard, metrics: RequestMetrics) {
        self.headGuard = headGuard
        self.metrics = metrics
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // Nobody to answer: the client left mid-request, or the connection is already closing (a shutdown).
        guard !answered, context.channel.isActive, parserError != .invalidEOFState else {
            context.close(promise: nil)
            return
        }
        answered = true
        let status = RequestValidation.status(for: parserError, requestLineIsTooLong: headGuard.requestLineIsTooLong)
        headGuard.responseStarted()
        metrics.record(status: Int(status.code))
        let page = ErrorPage(status: status)
        var headers = HTTPHeaders()
        headers.add(name: "Date", value: ResponseDate.current)
        headers.add(name: "Content-Type", value: ErrorPage.contentType)
        headers.add(name: "Content-Length", value: String(page.body.utf8.count))
        headers.add(name: "Connection", value: "close")
        var bytes = context.channel.allocator.buffer(capacity: 256 + page.body.utf8.count)
        bytes.writeResponseHead(status: status, headers: headers)
        bytes.writeString(page.body)
        let loopBoundContext = context.loopBound
        context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in
            loopBoundContext.value.close(promise: nil)
        }
    }
}
