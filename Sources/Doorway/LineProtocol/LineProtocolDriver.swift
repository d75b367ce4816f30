// Connects one pure line-protocol session (SMTP, POP3, IMAP) to its socket: the channel plumbing they all share.

import NIOCore
import NIOPosix

/// Feeds the socket's bytes to the session and carries out what it asks: writes, closing, and through the
/// delegate the protocol's own actions.
///
/// ```swift
/// try channel.pipeline.syncOperations.addHandler(
///     LineProtocolDriver(session: POP3Session(configuration: pop3), delegate: POP3ConnectionDelegate(…))
/// )
/// ```
///
/// While the session waits for an answer the connection stops reading, so a pipelining client cannot make the
/// server buffer without bound; the session's own buffer holds what already arrived. The idle timer restarts
/// after every batch of actions, with the delegate's timeout for the session's state, and is off while the
/// session waits. A graceful shutdown (`ChannelShouldQuiesceEvent`) reaches a session that is not waiting as
/// ``LineProtocolSession/shuttingDown()``; the client's half-close ends a connection that is not waiting.
public final class LineProtocolDriver<Delegate: LineProtocolDelegate>: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer
    public typealias Session = Delegate.Session

    public private(set) var session: Session
    public let delegate: Delegate
    /// True once an action closed the connection: input and late answers are ignored from then on.
    public private(set) var isClosing = false
    private var timer: Scheduled<Void>?

    public init(session: Session, delegate: Delegate) {
        self.session = session
        self.delegate = delegate
    }

    public func channelActive(context: ChannelHandlerContext) {
        perform(session.start(), context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        delegate.connectionEnded()
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing else { return }
        let bytes = unwrapInboundIn(data)
        perform(session.receive(Array(bytes.readableBytesView)), context: context)
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent where !session.isWaiting:
            perform(session.shuttingDown(), context: context)
        case ChannelEvent.inputClosed:
            if !session.isWaiting { context.close(promise: nil) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Gives the session an answer (or any other event) and carries out what it asks next.
    public func resume(context: ChannelHandlerContext, _ answer: (inout Session) -> [Session.Action]) {
        perform(answer(&session), context: context)
    }

    /// Runs blocking `work` on `pool` with reading paused and the idle timer off, then resumes reading and hands
    /// the result to `finish` on the event loop. The result is a failure also when the pool has stopped.
    public func offLoop<Value: Sendable>(
        on pool: NIOThreadPool, context: ChannelHandlerContext, _ work: @escaping @Sendable () throws -> Value,
        then finish: @escaping (LineProtocolDriver, ChannelHandlerContext, Result<Value, any Error>) -> Void
    ) {
        timer?.cancel()
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = context.loopBound
        let finishOnLoop = NIOLoopBound(finish, eventLoop: context.eventLoop)
        pool.runIfActive(eventLoop: context.eventLoop, work).whenComplete { result in
            let context = loopBoundContext.value
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            finishOnLoop.value(loopBoundSelf.value, context, result)
        }
    }

    private func perform(_ actions: [Session.Action], context: ChannelHandlerContext) {
        for action in actions {
            switch delegate.step(for: action) {
            case .write(let bytes):
                context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
            case .carryOut:
                delegate.carryOut(action, driver: self, context: context)
            case .close:
                isClosing = true
                delegate.connectionEnded()
                let loopBoundContext = context.loopBound
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
                    .whenComplete { _ in loopBoundContext.value.close(promise: nil) }
                return
            }
        }
        context.flush()
        restartTimer(context: context)
    }

    private func restartTimer(context: ChannelHandlerContext) {
        timer?.cancel()
        guard !isClosing, !session.isWaiting else { return }
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = context.loopBound
        timer = context.eventLoop.scheduleTask(in: delegate.idleTimeout(for: session)) {
            loopBoundSelf.value.resume(context: loopBoundContext.value) { $0.timedOut() }
        }
    }
}
