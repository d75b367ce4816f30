// What a small in-memory HTTP server (the tracker, the admin endpoint) provides, and how it listens.

import Doorway
import NIOCore
import NIOPosix

/// A server whose connections are each answered by an ``HTTPResponder``. It says how a connection is set up,
/// how many are served at once and how long a silent one is kept; listening is then the same for every such
/// server.
///
/// ```swift
/// let server = try await TrackerServer().serve(on: try Endpoint(parsing: ":6969"))
/// ```
public protocol HTTPRespondingServer: Sendable {
    /// Installs the server in a new connection's pipeline.
    var initializer: Server.Initializer { get }
    /// Connections served at once.
    var maximumConnections: Int { get }
    /// A connection silent this long is closed, so idle clients cannot hold every slot.
    var idleTimeout: Duration { get }
}

extension HTTPRespondingServer {
    /// The transport parameters the server's listener needs: the idle timeout.
    public var parameters: TransportParameters {
        TransportParameters(idleTimeout: idleTimeout)
    }

    /// Binds `endpoint` and serves until the returned server is shut down.
    public func serve(
        on endpoint: Endpoint, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Server {
        try await Server.bind(
            endpoint, transport: .tcp, parameters: parameters, maximumConnections: maximumConnections, group: group,
            initializer: initializer)
    }
}
