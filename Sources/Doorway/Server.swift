// A server waits to be contacted: it binds an endpoint and takes the connections (or datagrams) that arrive.

import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process that waits to be contacted.
///
/// A server binds an endpoint, applies its transport parameters, caps concurrent connections and shuts down
/// gracefully. Application protocols plug their own NIO handlers in through `initializer`, which runs on the
/// connection's event loop for every accepted connection (TCP, Unix) or once for the socket (UDP):
///
/// ```swift
/// let server = try await Server.bind(try Endpoint(parsing: ":7"), maximumConnections: 100) { channel in
///     channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(EchoHandler()) }
/// }
/// print("listening on", server.localEndpoint)
/// await server.shutdown(gracePeriod: .seconds(5))
/// ```
///
/// To handle connections as async sequences of messages instead, use
/// ``bind(_:transport:framing:parameters:maximumConnections:service:group:)`` and iterate ``connections``.
public final class Server: Sendable {
    /// A function that installs an application's handlers in a new channel's pipeline.
    public typealias Initializer = @Sendable (any Channel) -> EventLoopFuture<Void>

    public let transport: Transport
    /// The endpoint as bound, with the port the kernel chose when port 0 was asked for.
    public let localEndpoint: Endpoint
    public let parameters: TransportParameters
    public let maximumConnections: Int?
    /// Connections with message framing, for servers made by the `framing:` variant of `bind`; empty otherwise.
    public let connections: AsyncStream<Connection>

    /// The listening socket (stream transports) or the bound datagram socket (UDP).
    public let channel: any Channel
    /// Connections, bytes and errors so far.
    public let statistics: ServerStatistics
    private let tracker: NIOLoopBound<ConnectionTracker>?

    private init(
        transport: Transport, channel: any Channel, parameters: TransportParameters, maximumConnections: Int?,
        tracker: NIOLoopBound<ConnectionTracker>?, connections: AsyncStream<Connection>, statistics: ServerStatistics
    ) {
        self.statistics = statistics
        self.transport = transport
        self.channel = channel
        self.localEndpoint = channel.localAddress.map(Endpoint.init) ?? .unix(path: "")
        self.parameters = parameters
        self.maximumConnections = maximumConnections
        self.tracker = tracker
        self.connections = connections
    }

    /// Binds `endpoint` and installs `initializer` in each accepted connection (or in the UDP socket).
    ///
    /// - Parameters:
    ///   - endpoint: where to wait; `:PORT` binds every interface, port 0 lets the kernel choose.
    ///   - transport: `.tcp` or `.udp` for host endpoints; a `unix:` endpoint always uses `.unix`.
    ///   - parameters: validated for the transport before anything is bound.
    ///   - maximumConnections: at most this many connections at once; further ones wait to be accepted.
    ///   - service: the name that labels this server's metrics (see ``ServerStatistics``); `nil` for none.
    ///   - group: the event loops the socket and its connections run on; NIO's shared singleton by default.
    ///   - initializer: adds the application's handlers; runs on the connection's event loop.
    /// - Throws: ``ParameterError`` or ``SocketError`` with a message that names the fix.
    public static func bind(
        _ endpoint: Endpoint,
        transport: Transport = .tcp,
        parameters: TransportParameters = TransportParameters(),
        maximumConnections: Int? = nil,
        service: String? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        initializer: @escaping Initializer
    ) async throws -> Server {
        try await bind(
            endpoint, transport: transport, parameters: parameters, maximumConnections: maximumConnections,
            service: service, group: group, connections: AsyncStream { $0.finish() }, initializer: initializer
        )
    }

    /// Binds `endpoint` and delivers each connection, framed as asked, through ``connections``.
    ///
    /// For UDP use ``DatagramSocket`` instead: datagrams have no connections.
    public static func bind(
        _ endpoint: Endpoint,
        transport: Transport = .tcp,
        framing: Framing,
        parameters: TransportParameters = TransportParameters(),
        maximumConnections: Int? = nil,
        service: String? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Server {
        try framing.validate()
        let transport = Self.transport(transport, for: endpoint)
        guard transport.isStream else {
            throw SocketError(
                .unsupported, endpoint: endpoint,
                reason: "UDP has no connections; use DatagramSocket.bind for datagrams")
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Connection.self)
        let server = try await bind(
            endpoint, transport: transport, parameters: parameters, maximumConnections: maximumConnections,
            service: service, group: group, connections: stream
        ) { channel in
            channel.eventLoop.makeCompletedFuture {
                let connection = try Connection(
                    wrapping: channel, transport: transport, framing: framing, parameters: parameters)
                continuation.yield(connection)
            }
        }
        server.channel.closeFuture.whenComplete { _ in continuation.finish() }
        return server
    }

    private static func transport(_ transport: Transport, for endpoint: Endpoint) -> Transport {
        if case .unix = endpoint { return .unix }
        return transport == .unix ? .tcp : transport
    }

    private static func bind(
        _ endpoint: Endpoint,
        transport requested: Transport,
        parameters: TransportParameters,
        maximumConnections: Int?,
        service: String?,
        group: any EventLoopGroup,
        connections: AsyncStream<Connection>,
        initializer: @escaping Initializer
    ) async throws -> Server {
        let transport = Self.transport(requested, for: endpoint)
        let statistics = ServerStatistics(service: service, transport: transport)
        if case .unix = endpoint, requested == .udp {
            throw SocketError(
                .unsupported, endpoint: endpoint, reason: "Unix datagram sockets are not supported; drop --udp")
        }
        if case .host = endpoint, requested == .unix {
            throw SocketError(
                .unsupported, endpoint: endpoint, reason: "a Unix socket needs a path: write unix:/path/to/socket")
        }
        try parameters.validate(for: transport)
        if let maximumConnections, maximumConnections < 1 {
            throw ParameterError(
                parameter: "maximum connections", value: "\(maximumConnections)", reason: "must be at least 1")
        }
        let addresses = try await endpoint.socketAddresses()
        var lastError: (any Error)?
        for address in addresses {
            do {
                if transport == .udp {
                    let channel = try await DatagramBootstrap(group: group)
                        .channelInitializer { channel in
                            parameters.channelOptions(for: .udp, role: .initiating).applyAllChannelOptions(to: channel)
                                .flatMapThrowing {
                                    try channel.pipeline.syncOperations.addHandler(DatagramTrafficCounter(statistics))
                                }
                                .flatMap { initializer(channel) }
                        }
                        .bind(to: address).get()
                    return Server(
                        transport: .udp, channel: channel, parameters: parameters, maximumConnections: nil,
                        tracker: nil, connections: connections, statistics: statistics
                    )
                }
                let loop = group.next()
                let tracker = try await loop.submit {
                    NIOLoopBound(ConnectionTracker(maximumConnections: maximumConnections), eventLoop: loop)
                }.get()
                let bootstrap = ServerBootstrap(group: loop, childGroup: group)
                    .serverChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(tracker.value)
                        }.flatMap {
                            parameters.channelOptions(for: transport, role: .listening).applyAllChannelOptions(
                                to: channel)
                        }
                    }
                    .childChannelInitializer { channel in
                        parameters.channelOptions(for: transport, role: .accepted).applyAllChannelOptions(to: channel)
                            .flatMapThrowing {
                                try channel.pipeline.syncOperations.addHandler(StreamTrafficCounter(statistics))
                                if let idle = parameters.idleTimeout {
                                    try channel.pipeline.syncOperations.addHandlers(IdleTimeout.handlers(idle))
                                }
                            }
                            .flatMap { initializer(channel) }
                    }
                let channel: any Channel
                if case .unix(let path) = endpoint {
                    channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
                        .get()
                } else {
                    channel = try await bootstrap.bind(to: address).get()
                }
                return Server(
                    transport: transport, channel: channel, parameters: parameters,
                    maximumConnections: maximumConnections, tracker: tracker, connections: connections,
                    statistics: statistics
                )
            } catch {
                lastError = error
                // The IPv6 wildcard fails on hosts without IPv6; the IPv4 wildcard that follows may still work.
                if case .host(.any, _) = endpoint, address.protocol == .inet6 { continue }
                break
            }
        }
        throw SocketError.binding(endpoint, transport: transport, lastError ?? SocketError.closed)
    }

    /// How many connections are open now.
    public var activeConnections: Int {
        get async {
            guard let tracker else { return 0 }
            return (try? await channel.eventLoop.submit { tracker.value.activeCount }.get()) ?? 0
        }
    }

    /// The transport parameters of the bound socket as the kernel applied them.
    public func appliedParameters() async throws -> AppliedParameters {
        try await AppliedParameters.read(from: channel, transport: transport, requested: parameters)
    }

    /// Stops accepting, lets in-flight connections finish, and closes those still open after `gracePeriod`.
    ///
    /// Connections receive NIO's `ChannelShouldQuiesceEvent` first, so protocol handlers can finish the
    /// message in hand and close by themselves.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        guard let tracker else {
            try? await channel.close()
            return
        }
        let deadline = NIODeadline.now() + TimeAmount(gracePeriod)
        let loop = channel.eventLoop
        let finished = loop.flatSubmit { tracker.value.shutdown(deadline: deadline, eventLoop: loop) }
        try? await finished.get()
        try? await channel.closeFuture.get()
        if case .unix(let path) = localEndpoint, !path.isEmpty { _ = unlink(path) }
    }

    /// Waits until the server's socket has closed.
    public func closed() async {
        try? await channel.closeFuture.get()
    }
}
