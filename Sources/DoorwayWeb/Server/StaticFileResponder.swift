// Answers each request on the connection's event loop: checks it, finds the file, writes the response.

import NIOCore
import NIOHTTP1

/// The last handler of a Web connection.
///
/// Each request is answered synchronously as its end arrives, so pipelined responses leave in request order.
/// Everything happens on the event loop: `open`, `fstat` and small reads are short system calls (nginx
/// makes the same ones on its event loop), and large files go out as `FileRegion`s, which NIO sends with
/// `sendfile(2)`. The response head is written as bytes, in one buffer.
final class StaticFileResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = IOData

    private enum State {
        case idle
        /// The head has arrived; body bytes (which the server does not want) are counted and dropped.
        case receiving(HTTPRequestHead, discarded: Int)
        /// Answered before the request's end; the connection closes after the response.
        case answeredEarly
    }

    private let server: WebServer
    private let validation: RequestValidation
    private let headGuard: RequestHeadGuard
    private var state = State.idle

    init(server: WebServer, headGuard: RequestHeadGuard) {
        self.server = server
        self.validation = server.site.validation
        self.headGuard = headGuard
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), _):
            switch validation.checkHead(head) {
            case .awaitEnd:
                state = .receiving(head, discarded: 0)
            case .answerNow:
                state = .answeredEarly
                let builder = ResponseBuilder(site: server.site, allocator: ByteBufferAllocator())
                send(builder.response(to: head), to: head, closing: true, context: context)
            case .refuse(let status):
                state = .answeredEarly
                send(errorResponse(status, for: head), to: head, closing: true, context: context)
            }
        case (.body(let bytes), .receiving(let head, let discarded)):
            let total = discarded + bytes.readableBytes
            if let status = validation.checkBody(discarded: total) {
                state = .answeredEarly
                send(errorResponse(status, for: head), to: head, closing: true, context: context)
            } else {
                state = .receiving(head, discarded: total)
            }
        case (.end, .receiving(let head, _)):
            state = .idle
            let builder = ResponseBuilder(site: server.site, allocator: context.channel.allocator)
            let response = builder.response(to: head)
            send(response, to: head, closing: !head.isKeepAlive || response.closesConnection, context: context)
        case (.end, .answeredEarly):
            state = .idle
        case (.body, _), (.end, _):
            break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Every whole request before the half-close has been answered (synchronously) by now.
        if case ChannelEvent.inputClosed = event {
            headGuard.clientFinishedSending()
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func errorResponse(_ status: HTTPResponseStatus, for head: HTTPRequestHead) -> Response {
        ResponseBuilder(site: server.site, allocator: ByteBufferAllocator()).error(status, for: head)
    }

    private func send(_ response: Response, to request: HTTPRequestHead, closing: Bool, context: ChannelHandlerContext)
    {
        headGuard.responseStarted()
        var headers = response.headers
        headers.add(name: "Date", value: ResponseDate.current)
        headers.add(name: "Server", value: server.configuration.software)
        let closing = closing || headGuard.isQuiescing
        if closing {
            headers.add(name: "Connection", value: "close")
        } else if request.version.major == 1, request.version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        // The head, then the body's pieces; the last write's promise completes when the whole response has
        // left, since NIO completes writes in order.
        var head = context.channel.allocator.buffer(capacity: 320)
        head.writeResponseHead(status: response.status, headers: headers, prepared: response.preparedFields)
        var writes: [IOData] = [.byteBuffer(head)]
        var bytesSent = 0
        var handle: NIOFileHandle?
        if request.method != .HEAD {
            for chunk in response.body {
                switch chunk {
                case .bytes(let bytes):
                    bytesSent += bytes.readableBytes
                    writes.append(.byteBuffer(bytes))
                case .file(let range):
                    guard let file = response.file else { continue }
                    if handle == nil { handle = file.takeHandle() }
                    bytesSent += range.count
                    writes.append(
                        .fileRegion(
                            FileRegion(fileHandle: handle!, readerIndex: range.lowerBound, endIndex: range.upperBound)))
                }
            }
        }
        server.requestMetrics.record(status: Int(response.status.code))
        server.accessLog?.record(
            CombinedLogLine.format(
                remoteAddress: context.channel.remoteAddress?.ipAddress ?? "-", time: ResponseDate.nowSeconds,
                method: request.method.rawValue, target: request.uri,
                version: "HTTP/\(request.version.major).\(request.version.minor)", status: Int(response.status.code),
                bytesSent: bytesSent, referer: request.headers.first(name: "referer"),
                userAgent: request.headers.first(name: "user-agent")
            )
        )
        let last = writes.removeLast()
        for write in writes { context.write(wrapOutboundOut(write), promise: nil) }
        let written = context.writeAndFlush(wrapOutboundOut(last))
        let finishedHandle = handle
        let loopBoundContext = context.loopBound
        let headGuard = NIOLoopBound(self.headGuard, eventLoop: context.eventLoop)
        written.whenComplete { _ in
            try? finishedHandle?.close()
            if closing {
                loopBoundContext.value.close(promise: nil)
            } else {
                headGuard.value.responseFinished()
            }
        }
    }

}
