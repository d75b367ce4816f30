// Answers a request that NIO's HTTP parser rejected with the status that names the problem, then closes.

import NIOCore
import NIOHTTP1

/// Turns `HTTPParserError`s into responses: 414 for an over-long request line, 431 for an over-large header
/// section, 501 for a method the parser does not know, 505 for an unsupported version, and 400 for the rest
/// (no Host is checked later; here: obs-fold, whitespace before a colon, a bare CR, Content-Length with
/// Transfer-Encoding, a bad or repeated Content-Length). The connection is closed afterwards: after a framing
/// error the server can no longer tell where the next request starts.
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

    static func status(for error: HTTPParserError, requestLineIsTooLong: Bool) -> HTTPResponseStatus {
        switch error {
        case .headerOverflow: requestLineIsTooLong ? .uriTooLong : .requestHeaderFieldsTooLarge
        case .invalidMethod: .notImplemented
        case .invalidVersion: .httpVersionNotSupported
        default: .badRequest
        }
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
        let status = Self.status(for: parserError, requestLineIsTooLong: headGuard.requestLineIsTooLong)
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
