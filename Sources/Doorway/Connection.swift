// A connection exchanges framed messages with its peer, with backpressure and half-close.

import NIOConcurrencyHelpers
import NIOCore

/// One conversation between two processes over a stream transport (TCP or Unix), cut into messages by a
/// ``Framing``.
///
/// ```swift
/// let connection = try await Client().connect(to: try Endpoint(parsing: "127.0.0.1:7"), framing: .lines())
/// try await connection.exchange { inbound, outbound in
///     try await outbound.write(ByteBuffer(string: "hello"))
///     outbound.finish()                         // half-close: the peer reads end of stream
///     for try await line in inbound { print(String(buffer: line)) }
/// }
/// ```
///
/// Writes wait while the peer is slow (backpressure); reading slowly stops the socket being read. A frame over
/// its limit or a malformed frame makes the inbound sequence throw a ``FramingError`` and ends this
/// connection only.
public struct Connection: Sendable {
    public typealias Inbound = NIOAsyncChannelInboundStream<ByteBuffer>

    public let transport: Transport
    public let framing: Framing
    public let parameters: TransportParameters
    private let held: HeldChannel
    /// Succeeds once everything written has reached the socket and the sending side is shut, or the channel closed.
    private let drained: EventLoopFuture<Void>
    /// The NIO channel beneath, for reading options or adding handlers.
    public var channel: any Channel { held.channel }
    /// Kept once known, so that they can still be read after the connection closes.
    private let endpoints = NIOLockedValueBox<(local: Endpoint?, remote: Endpoint?)>((nil, nil))

    /// The peer's endpoint.
    public var remoteEndpoint: Endpoint? { knownEndpoints().remote }
    /// This end's endpoint.
    public var localEndpoint: Endpoint? { knownEndpoints().local }

    private func knownEndpoints() -> (local: Endpoint?, remote: Endpoint?) {
        endpoints.withLockedValue { known in
            if known.remote == nil, let remote = channel.remoteAddress, let local = channel.localAddress {
                known = (Endpoint(local), Endpoint(remote))
            }
            return known
        }
    }

    /// Prepares a new channel; must run on the channel's event loop, before it becomes active.
    ///
    /// Nothing is read until ``exchange(_:)`` starts, so a connection nobody takes up costs no memory and
    /// loses no bytes.
    init(wrapping channel: any Channel, transport: Transport, framing: Framing, parameters: TransportParameters) throws
    {
        try framing.addHandlers(to: channel.pipeline.syncOperations)
        let drained = channel.eventLoop.makePromise(of: Void.self)
        try channel.pipeline.syncOperations.addHandler(OutputDrain(drained))
        self.drained = drained.futureResult
        self.held = try HeldChannel(holding: channel)
        self.transport = transport
        self.framing = framing
        self.parameters = parameters
    }

    /// Runs `body` with the incoming messages and the writer for outgoing ones, then closes the connection.
    ///
    /// `outbound.finish()` half-closes: the peer sees end of stream while this side can still read.
    /// A connection is exchanged once; a second call throws.
    public func exchange<Result: Sendable>(
        _ body: (_ inbound: Inbound, _ outbound: Outbound) async throws -> Result
    ) async throws -> Result {
        _ = knownEndpoints()
        let asyncChannel: NIOAsyncChannel<ByteBuffer, ByteBuffer> = try await held.takeUp(
            configuration: .init(isOutboundHalfClosureEnabled: transport.isStream),
            alreadyTakenUp: "this connection's messages are already being exchanged"
        )
        let channel = self.channel
        let drained = self.drained
        let linger = TimeAmount(parameters.lingerTimeout ?? TransportParameters.defaultLingerTimeout)
        return try await asyncChannel.executeThenClose { inbound, writer in
            let outbound = Outbound(writer: writer, eventLoop: channel.eventLoop)
            let result = try await body(inbound, outbound)
            // Closing at once would drop messages still queued for the peer: finish (half-close, which NIO
            // performs after the queue is written) and wait for that, for at most the linger timeout.
            outbound.finish()
            let giveUp = channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
            try? await drained.get()
            giveUp.cancel()
            return result
        }
    }

    /// Closes the connection without exchanging messages.
    public func close() async {
        try? await channel.close()
    }

    /// The transport parameters as the kernel applied them to this connection's socket.
    public func appliedParameters() async throws -> AppliedParameters {
        try await AppliedParameters.read(from: channel, transport: transport, requested: parameters)
    }
}

extension Connection {
    /// Sends a connection's messages, waiting while the peer is slow.
    ///
    /// NIO's async writer learns that the socket is full only when the event loop has handled the writes before;
    /// while the loop is busy, a fast writer could queue without bound. So every ``barrierInterval`` bytes the
    /// writer waits for the loop to catch up, which bounds what one connection can have queued.
    public struct Outbound: Sendable {
        let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
        let eventLoop: any EventLoop
        private let unsynchronizedBytes = NIOLockedValueBox(0)

        /// Bytes written between two waits for the event loop.
        public static let barrierInterval = 256 * 1024

        init(writer: NIOAsyncChannelOutboundWriter<ByteBuffer>, eventLoop: any EventLoop) {
            self.writer = writer
            self.eventLoop = eventLoop
        }

        /// Sends one message.
        public func write(_ message: ByteBuffer) async throws {
            let size = message.readableBytes
            try await writer.write(message)
            let due = unsynchronizedBytes.withLockedValue { bytes in
                bytes += size
                guard bytes >= Self.barrierInterval else { return false }
                bytes = 0
                return true
            }
            if due { try await eventLoop.submit {}.get() }
        }

        /// Sends a string as one message, UTF-8 encoded.
        public func write(_ text: String) async throws {
            try await write(ByteBuffer(string: text))
        }

        /// Half-closes: the peer reads end of stream once the messages already sent have gone out.
        public func finish() {
            writer.finish()
        }
    }
}

/// Completes its promise when the sending side has been shut after the queue was written, or the channel closed.
private final class OutputDrain: ChannelInboundHandler {
    typealias InboundIn = NIOAny
    private let drained: EventLoopPromise<Void>
    private var done = false

    init(_ drained: EventLoopPromise<Void>) { self.drained = drained }

    private func finish() {
        guard !done else { return }
        done = true
        drained.succeed()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.outputClosed = event { finish() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { finish() }
}
