// Holds a connection's inbound events until its messages are taken up, then replays them in order.

import NIOConcurrencyHelpers
import NIOCore

/// Until ``release(context:)``, keeps every inbound event (reads, end of input, errors, closing) instead of
/// passing it on; then passes them on in the order they came and steps aside.
///
/// A ``Connection`` wraps its channel for async use only when ``Connection/exchange(_:)`` starts, so that a
/// connection nobody takes up needs no async machinery. Events that arrive before that (a peer that already
/// half-closed, or reset the connection) must not be lost, or the exchange would wait forever.
final class HeldEvents: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private enum Event {
        case read(NIOAny)
        case readComplete
        case user(Any)
        case error(any Error)
        case inactive
    }

    private var held: [Event] = []
    private var holding = true

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        holding ? held.append(.read(data)) : context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        holding ? held.append(.readComplete) : context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        holding ? held.append(.user(event)) : context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        holding ? held.append(.error(error)) : context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        holding ? held.append(.inactive) : context.fireChannelInactive()
    }

    /// Passes on what was held, then removes itself.
    func release(context: ChannelHandlerContext) {
        holding = false
        let events = held
        held = []
        for event in events {
            switch event {
            case .read(let data): context.fireChannelRead(data)
            case .readComplete: context.fireChannelReadComplete()
            case .user(let event): context.fireUserInboundEventTriggered(event)
            case .error(let error): context.fireErrorCaught(error)
            case .inactive: context.fireChannelInactive()
            }
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

/// A channel whose inbound events are held until its messages are taken up for async use, which happens once.
///
/// ``Connection`` and ``DatagramSocket`` share this: their sockets read nothing until `exchange` starts.
struct HeldChannel: Sendable {
    let channel: any Channel
    private let takenUp = NIOLockedValueBox(false)

    /// Starts holding `channel`'s events and stops it reading; on the event loop, before it is active.
    init(holding channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandler(HeldEvents())
        try channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false)
        self.channel = channel
    }

    /// Wraps the channel for async use, passes on what was held and starts reading.
    /// - Throws: ``SocketError`` saying `alreadyTakenUp` on a second call.
    func takeUp<Inbound: Sendable, Outbound: Sendable>(
        configuration: NIOAsyncChannel<Inbound, Outbound>.Configuration,
        alreadyTakenUp: String
    ) async throws -> NIOAsyncChannel<Inbound, Outbound> {
        guard
            takenUp.withLockedValue({ wasTakenUp in
                defer { wasTakenUp = true }
                return !wasTakenUp
            })
        else {
            throw SocketError(.other, reason: alreadyTakenUp)
        }
        let channel = self.channel
        return try await channel.eventLoop.submit {
            let asyncChannel = try NIOAsyncChannel<Inbound, Outbound>(
                wrappingChannelSynchronously: channel, configuration: configuration
            )
            let held = try channel.pipeline.syncOperations.context(handlerType: HeldEvents.self)
            (held.handler as! HeldEvents).release(context: held)
            try channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
            return asyncChannel
        }.get()
    }
}
