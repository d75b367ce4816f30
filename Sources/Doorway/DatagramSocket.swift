// A UDP socket: each message is one datagram, and each carries its sender's endpoint.

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// One UDP datagram and the endpoint at the other end (its sender, or where it goes).
public struct Datagram: Sendable, Hashable {
    public var data: ByteBuffer
    public var peer: Endpoint

    public init(data: ByteBuffer, peer: Endpoint) { (self.data, self.peer) = (data, peer) }
}

/// A UDP socket exchanging ``Datagram``s: one message is one datagram.
///
/// ```swift
/// let socket = try await DatagramSocket.bind(try Endpoint(parsing: "127.0.0.1:0"))
/// try await socket.exchange { inbound, outbound in
///     for try await envelope in inbound {
///         print("from", Datagram(envelope).peer)   // the sender, as an Endpoint
///         try await outbound.write(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: envelope.data))
///     }
/// }
/// ```
public struct DatagramSocket: Sendable {
    public typealias Inbound = NIOAsyncChannelInboundStream<AddressedEnvelope<ByteBuffer>>
    public typealias Outbound = NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>

    public let parameters: TransportParameters
    private let held: HeldChannel
    /// The NIO channel beneath.
    public var channel: any Channel { held.channel }

    public var localEndpoint: Endpoint? { channel.localAddress.map(Endpoint.init) }

    /// On the event loop, before the socket is registered.
    private init(channel: any Channel, parameters: TransportParameters) throws {
        self.parameters = parameters
        self.held = try HeldChannel(holding: channel)
    }

    /// Binds a UDP socket at `endpoint` (port 0 lets the kernel choose).
    public static func bind(
        _ endpoint: Endpoint,
        parameters: TransportParameters = TransportParameters(),
        family: AddressFamily? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> DatagramSocket {
        if case .unix = endpoint {
            throw SocketError(
                .unsupported, endpoint: endpoint, reason: "Unix datagram sockets are not supported; drop --udp")
        }
        try parameters.validate(for: .udp)
        let addresses = try await endpoint.socketAddresses(family: family)
        var lastError: (any Error)?
        for address in addresses {
            do {
                // The socket value is made in the initializer, before the channel is registered and could read.
                let made = NIOLockedValueBox<DatagramSocket?>(nil)
                _ = try await DatagramBootstrap(group: group)
                    .channelInitializer { channel in
                        parameters.channelOptions(for: .udp, role: .initiating).applyAllChannelOptions(to: channel)
                            .flatMapThrowing {
                                let socket = try DatagramSocket(channel: channel, parameters: parameters)
                                made.withLockedValue { $0 = socket }
                            }
                    }
                    .bind(to: address).get()
                guard let socket = made.withLockedValue({ $0 }) else { throw SocketError.closed }
                return socket
            } catch {
                lastError = error
                if case .host(.any, _) = endpoint, address.protocol == .inet6 { continue }
                break
            }
        }
        throw SocketError.binding(endpoint, transport: .udp, lastError ?? SocketError.closed)
    }

    /// A socket on an ephemeral port, of the family that reaches `peer`, and the address to send to.
    public static func open(
        toward peer: Endpoint,
        parameters: TransportParameters = TransportParameters(),
        family: AddressFamily? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> (socket: DatagramSocket, peer: SocketAddress) {
        let addresses = try await peer.socketAddresses(family: family)
        guard let address = addresses.first else { throw SocketError.closed }
        let wildcard: Endpoint = .host(address.protocol == .inet6 ? .ipv6("::", zone: nil) : .ipv4("0.0.0.0"), port: 0)
        let socket = try await bind(wildcard, parameters: parameters, group: group)
        return (socket, address)
    }

    /// Runs `body` with the incoming datagrams and the writer for outgoing ones, then closes the socket.
    public func exchange<Result: Sendable>(
        _ body: (_ inbound: Inbound, _ outbound: Outbound) async throws -> Result
    ) async throws -> Result {
        let asyncChannel: NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>> =
            try await held.takeUp(
                configuration: .init(), alreadyTakenUp: "this socket's datagrams are already being exchanged")
        return try await asyncChannel.executeThenClose { inbound, outbound in
            try await body(inbound, outbound)
        }
    }

    /// Closes the socket without exchanging datagrams.
    public func close() async {
        try? await channel.close()
    }

    /// The transport parameters as the kernel applied them.
    public func appliedParameters() async throws -> AppliedParameters {
        try await AppliedParameters.read(from: channel, transport: .udp, requested: parameters)
    }
}

extension Datagram {
    /// A datagram as NIO delivers it.
    public init(_ envelope: AddressedEnvelope<ByteBuffer>) {
        self.init(data: envelope.data, peer: Endpoint(envelope.remoteAddress))
    }
}
