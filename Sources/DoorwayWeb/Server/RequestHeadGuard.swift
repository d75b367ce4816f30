// Times a connection between requests and while a request arrives, so slow or silent clients cannot hold slots.

import NIOCore

/// Sits in front of the HTTP decoder and watches the raw bytes.
///
/// - Between requests a keep-alive timer runs; when it fires the connection is closed.
/// - From the first byte of a request until its response starts, the header timer runs; when it fires the
///   client gets 408 and the connection is closed. A slowloris client that trickles its head (or its body)
///   therefore loses its slot after the header timeout, however steadily it trickles.
/// - A new connection starts with the header timer, so one that never speaks is closed just as soon.
///
/// A response counts as in flight until its last byte has been handed to the kernel, not merely queued:
/// a large file can take minutes to send, and neither the keep-alive timer nor a graceful shutdown may cut
/// it off. A shutdown closes an idle connection at once and a busy one after its response.
///
/// It also measures the current request's first line, so that a parser overflow can be answered 414 (request
/// line too long) or 431 (header section too large).
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case awaitingRequest
        case readingRequest
        case responding
    }

    private let headerTimeout: TimeAmount
    private let keepAliveTimeout: TimeAmount
    private let requestLineLimit: Int
    private var phase = Phase.readingRequest
    /// When the current phase's time runs out; nil while responding.
    private var deadline: NIODeadline?
    /// The one timer of the connection. Arming a deadline costs no scheduling: the timer fires at least every
    /// `checkInterval` and reschedules itself at the deadline, so requests never touch NIO's timer heap.
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    private var requestLineEnded = false
    private var requestLineLength = 0
    private var responsesInFlight = 0
    private var clientFinished = false
    /// A shutdown has begun: answer what is in progress, with `Connection: close`, then close.
    private(set) var isQuiescing = false

    /// Counts the 408s this guard answers.
    private let metrics: RequestMetrics?

    init(headerTimeout: TimeAmount, keepAliveTimeout: TimeAmount, requestLineLimit: Int, metrics: RequestMetrics? = nil)
    {
        self.metrics = metrics
        self.headerTimeout = headerTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.requestLineLimit = requestLineLimit
    }

    private var checkInterval: TimeAmount { min(headerTimeout, keepAliveTimeout) }

    /// True when the request being read has a first line longer than the limit.
    var requestLineIsTooLong: Bool { phase == .readingRequest && requestLineLength > requestLineLimit }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { arm(headerTimeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        if timer == nil, phase == .readingRequest { arm(headerTimeout) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        if phase == .awaitingRequest {
            phase = .readingRequest
            requestLineEnded = false
            requestLineLength = 0
            arm(headerTimeout)
        }
        if phase == .readingRequest, !requestLineEnded {
            let view = bytes.readableBytesView
            if let newline = view.firstIndex(of: UInt8(ascii: "\n")) {
                requestLineEnded = true
                requestLineLength += newline - view.startIndex
            } else {
                requestLineLength += view.count
            }
        }
        context.fireChannelRead(data)
    }

    /// The responder has begun answering: the client is no longer on the clock.
    func responseStarted() {
        responsesInFlight += 1
        phase = .responding
        deadline = nil
    }

    /// A response's last byte has left: once none is in flight, wait for the next request under the
    /// keep-alive timer, or pass on a shutdown that was waiting.
    func responseFinished() {
        responsesInFlight -= 1
        guard responsesInFlight == 0, phase == .responding else { return }
        phase = .awaitingRequest
        requestLineEnded = false
        requestLineLength = 0
        if clientFinished || isQuiescing {
            context?.close(promise: nil)
            return
        }
        arm(keepAliveTimeout)
    }

    /// The client has closed its sending side and every request it sent has been answered or is being
    /// answered: close once the last response has left.
    func clientFinishedSending() {
        clientFinished = true
        if responsesInFlight == 0 { context?.close(promise: nil) }
    }

    /// A graceful shutdown: an idle connection closes now; one with a response in flight, or with a request
    /// arriving (bounded by the header timeout), closes after answering it.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        isQuiescing = true
        let nothingSent = phase == .readingRequest && requestLineLength == 0 && !requestLineEnded
        if phase == .awaitingRequest || nothingSent { context.close(promise: nil) }
    }

    private func arm(_ timeout: TimeAmount) {
        deadline = .now() + timeout
        if timer == nil { schedule(at: .now() + checkInterval) }
    }

    private func schedule(at time: NIODeadline) {
        guard let context else { return }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: time) { loopBound.value.timerFired() }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    private func timerFired() {
        timer = nil
        guard let context else { return }
        let now = NIODeadline.now()
        guard let deadline, deadline <= now else {
            // Early (the deadline moved on) or responding: look again later.
            schedule(at: min(deadline ?? .distantFuture, now + checkInterval))
            return
        }
        switch phase {
        case .readingRequest:
            metrics?.record(status: 408)
            let response = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
            let loopBoundContext = context.loopBound
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: response)))
                .whenComplete { _ in loopBoundContext.value.close(promise: nil) }
        case .awaitingRequest:
            context.close(promise: nil)
        case .responding:
            break
        }
    }
}
