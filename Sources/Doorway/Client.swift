// A client initiates: it resolves the peer's name, tries each address, and connects within a timeout.

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The process that initiates contact.
///
/// A client resolves the endpoint's name, tries every address it gets (IPv6 and IPv4, raced as Happy
/// Eyeballs does), applies its transport parameters before connecting, and gives up after the connect
/// timeout.
///
/// ```swift
/// let client = Client(parameters: TransportParameters(noDelay: true, connectTimeout: .seconds(3)))
/// let connection = try await client.connect(to: try Endpoint(parsing: "localhost:echo"), framing: .lines())
/// ```
public struct Client: Sendable {
    public var parameters: TransportParameters
    /// Use only IPv4 or only IPv6 addresses; both when nil.
    public var family: AddressFamily?
    public var group: any EventLoopGroup
    /// Turns a host endpoint into the addresses to try; `getaddrinfo` unless a test supplies its own answer.
    var resolve: @Sendable (Endpoint, AddressFamily?) async throws -> [SocketAddress] = { endpoint, family in
        try await endpoint.socketAddresses(family: family)
    }

    public init(
        parameters: TransportParameters = TransportParameters(),
        family: AddressFamily? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.parameters = parameters
        self.family = family
        self.group = group
    }

    /// Connects to `endpoint` and returns the connection, framed as asked.
    ///
    /// - Throws: ``ParameterError``, or ``SocketError`` for a name that does not resolve, a refused connection
    ///   or a timeout, each naming the endpoint and the fix.
    public func connect(to endpoint: Endpoint, framing: Framing = .raw) async throws -> Connection {
        try framing.validate()
        let transport: Transport = if case .unix = endpoint { .unix } else { .tcp }
        let parameters = self.parameters
        // Happy Eyeballs may set up several channels; keep each one's connection and return the winner's.
        let attempts = NIOLockedValueBox<[ObjectIdentifier: Connection]>([:])
        let channel = try await connect(to: endpoint) { channel in
            channel.eventLoop.makeCompletedFuture {
                let connection = try Connection(
                    wrapping: channel, transport: transport, framing: framing, parameters: parameters)
                attempts.withLockedValue { $0[ObjectIdentifier(channel)] = connection }
            }
        }
        guard let connection = attempts.withLockedValue({ $0[ObjectIdentifier(channel)] }) else {
            throw SocketError.closed
        }
        return connection
    }

    /// Connects to `endpoint`, installing an application's handlers through `initializer` first.
    ///
    /// This is the seam for application protocols: the client still resolves, applies options, honours the
    /// connect timeout and reports errors, while the protocol owns the pipeline.
    public func connect(to endpoint: Endpoint, initializer: @escaping Server.Initializer) async throws -> any Channel {
        let transport: Transport = if case .unix = endpoint { .unix } else { .tcp }
        try parameters.validate(for: transport)
        let timeout = parameters.connectTimeout ?? TransportParameters.defaultConnectTimeout
        let parameters = self.parameters
        let loop = group.next()
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                parameters.channelOptions(for: transport, role: .initiating).applyAllChannelOptions(to: channel)
                    .flatMapThrowing {
                        if let idle = parameters.idleTimeout {
                            try channel.pipeline.syncOperations.addHandlers(IdleTimeout.handlers(idle))
                        }
                    }
                    .flatMap { initializer(channel) }
            }
        do {
            switch endpoint {
            case .unix(let path):
                return try await bootstrap.connect(unixDomainSocketPath: path).get()
            case .host(let host, let port):
                let addresses = try await resolve(endpoint, family)
                return try await bootstrap.resolver(ResolvedAddresses(addresses: addresses, eventLoop: loop))
                    .connect(host: host.resolvableText ?? "localhost", port: Int(port.rawValue)).get()
            }
        } catch {
            throw SocketError.connecting(endpoint, timeout: timeout, error)
        }
    }
}
