// The TCP (and Unix stream) forms of the simple services.

import NIOCore

/// RFC 862 over a stream: writes back what it reads. It stops reading while the peer is not taking the
/// echo (so memory stays bounded), and closes once the peer has finished sending and the echo is out.
final class EchoHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private var readHeld = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable { context.read() } else { readHeld = true }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, readHeld {
            readHeld = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer()))
                .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// RFC 863 over a stream: reads and drops everything; closes when the peer has finished.
final class DiscardHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
        } else if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// RFC 864 over a stream: sends the rotating 72-character lines only while the socket can take them, and
/// stops when the client goes away (end of stream or an error), so a vanished client costs nothing.
final class ChargenHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private var line = 0
    private var stopped = false

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        context.fireChannelActive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        send(context: context)
    }

    private func send(context: ChannelHandlerContext) {
        while context.channel.isWritable, context.channel.isActive, !stopped {
            // Batches of 64 lines keep syscalls few without holding much memory.
            var buffer = context.channel.allocator.buffer(capacity: 64 * Chargen.lineLength)
            for _ in 0..<64 {
                buffer.writeImmutableBuffer(Chargen.line(line))
                line = (line + 1) % Chargen.characters.count
            }
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            stop(context: context)
        } else if event is ChannelShouldQuiesceEvent {
            stop(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        stop(context: context)
    }

    private func stop(context: ChannelHandlerContext) {
        stopped = true
        context.close(promise: nil)
    }
}

/// QOTD, daytime and time over a stream: one answer as soon as the client connects, then close.
final class AnswerThenCloseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let answer: () -> ByteBuffer

    init(answer: @escaping () -> ByteBuffer) { self.answer = answer }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(answer())).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
