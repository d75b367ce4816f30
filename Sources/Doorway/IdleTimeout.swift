// Closes a connection that has been quiet for too long.

import NIOCore

/// Closes the channel when NIO's `IdleStateHandler` reports no reads or writes for the idle timeout.
final class IdleTimeout: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    static func handlers(_ timeout: Duration) -> [any ChannelHandler] {
        [IdleStateHandler(allTimeout: TimeAmount(timeout)), IdleTimeout()]
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case IdleStateHandler.IdleStateEvent.all = event {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
