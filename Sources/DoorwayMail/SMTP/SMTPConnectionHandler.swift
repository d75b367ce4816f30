// Connects one SMTP session to its socket and to the store.

import NIOCore
import NIOPosix

/// Feeds the socket's bytes to the session and carries out what it asks: replies, deliveries, closing.
///
/// While a delivery is being stored the connection stops reading, so a pipelining client cannot make the
/// server buffer without bound; the session's own buffer holds what already arrived. The timer follows the
/// session's phase: RFC 5321's command timeout between commands, the data timeout while a message arrives.
final class SMTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var session: SMTPSession
    private let store: MaildirStore
    private let storage: NIOThreadPool
    private let commandTimeout: TimeAmount
    private let dataTimeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var closing = false
    private let metrics: MailMetrics

    init(
        session: SMTPSession, store: MaildirStore, storage: NIOThreadPool, commandTimeout: TimeAmount,
        dataTimeout: TimeAmount, metrics: MailMetrics
    ) {
        self.metrics = metrics
        self.session = session
        self.store = store
        self.storage = storage
        self.commandTimeout = commandTimeout
        self.dataTimeout = dataTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(session.start(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let bytes = unwrapInboundIn(data)
        perform(session.receive(Array(bytes.readableBytesView)), context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent where !session.isWaitingForDelivery:
            // A graceful shutdown: no transaction is being stored, so say goodbye (RFC 5321 421).
            perform(session.shuttingDown(), context: context)
        case ChannelEvent.inputClosed:
            if !session.isWaitingForDelivery { context.close(promise: nil) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func perform(_ actions: [SMTPAction], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .reply(let reply):
                context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply.bytes)), promise: nil)
            case .deliver(let envelope, let message):
                deliver(envelope, message, context: context)
            case .close:
                closing = true
                let loopBoundContext = context.loopBound
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
                    .whenComplete { _ in loopBoundContext.value.close(promise: nil) }
                return
            }
        }
        context.flush()
        restartTimer(context: context)
    }

    private func deliver(_ envelope: SMTPEnvelope, _ message: [UInt8], context: ChannelHandlerContext) {
        timer?.cancel()
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        let store = self.store
        let stored = storage.runIfActive(eventLoop: context.eventLoop) {
            try store.deliver(message, returnPath: envelope.reversePath, to: envelope.recipients)
        }
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = context.loopBound
        stored.whenComplete { result in
            let handler = loopBoundSelf.value
            let context = loopBoundContext.value
            let outcome: DeliveryResult
            switch result {
            case .success: outcome = .stored
            case .failure(let error as MailStoreError) where error.isStorageFull:
                outcome = .storageFull(reason: error.description)
            case .failure(let error as MailStoreError): outcome = .failed(temporary: true, reason: error.description)
            case .failure(let error): outcome = .failed(temporary: true, reason: "\(error)")
            }
            handler.metrics.record(outcome)
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            handler.perform(handler.session.deliveryFinished(outcome), context: context)
        }
    }

    private func restartTimer(context: ChannelHandlerContext) {
        timer?.cancel()
        guard !closing, !session.isWaitingForDelivery else { return }
        let delay = session.phase == .data ? dataTimeout : commandTimeout
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = context.loopBound
        timer = context.eventLoop.scheduleTask(in: delay) {
            loopBoundSelf.value.perform(loopBoundSelf.value.session.timedOut(), context: loopBoundContext.value)
        }
    }
}
