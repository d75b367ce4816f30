// A connection exchanges framed messages with its peer, with backpressure and half-close.

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
    public typealias Outbound = NIOAsyncChannelOutboundWriter<ByteBuffer>

    public let transport: Transport
    public let framing: Framing
    public let parameters: TransportParameters
    /// The peer's endpoint.
    public var remoteEndpoint: Endpoint? { channel.remoteAddress.map(Endpoint.init) }
    /// This end's endpoint.
    public var localEndpoint: Endpoint? { channel.localAddress.map(Endpoint.init) }
    private let asyncChannel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// The NIO channel beneath, for reading options or adding handlers.
    public var channel: any Channel { asyncChannel.channel }

    /// Wraps a new channel; must run on the channel's event loop, before it becomes active.
    init(wrapping channel: any Channel, transport: Transport, framing: Framing, parameters: TransportParameters) throws {
        try framing.addHandlers(to: channel.pipeline.syncOperations)
        self.asyncChannel = try NIOAsyncChannel(
            wrappingChannelSynchronously: channel,
            configuration: .init(isOutboundHalfClosureEnabled: transport.isStream)
        )
        self.transport = transport
        self.framing = framing
        self.parameters = parameters
    }

    /// Runs `body` with the incoming messages and the writer for outgoing ones, then closes the connection.
    ///
    /// `outbound.finish()` half-closes: the peer sees end of stream while this side can still read.
    public func exchange<Result: Sendable>(
        _ body: (_ inbound: Inbound, _ outbound: Outbound) async throws -> Result
    ) async throws -> Result {
        try await asyncChannel.executeThenClose { inbound, outbound in
            try await body(inbound, outbound)
        }
    }

    /// The transport parameters as the kernel applied them to this connection's socket.
    public func appliedParameters() async throws -> AppliedParameters {
        try await AppliedParameters.read(from: channel, transport: transport, requested: parameters)
    }
}

extension NIOAsyncChannelOutboundWriter<ByteBuffer> {
    /// Sends a string as one message, UTF-8 encoded.
    public func write(_ text: String) async throws {
        try await write(ByteBuffer(string: text))
    }
}
