// The Web server process: serves a folder's files over HTTP/1.1 through the core's servers.

import Doorway
import NIOCore
import NIOHTTP1
import NIOPosix

/// A static file server: a browser's requests in, the files of one folder out.
///
/// The server owns the folder, its content cache and its access log; the core's `Server` owns the
/// sockets. Bind it on as many endpoints as needed:
///
/// ```swift
/// let web = try WebServer(configuration: .init(root: "public"))
/// let server = try await web.serve(on: try Endpoint(parsing: ":8080"))
/// // …
/// await server.shutdown(gracePeriod: .seconds(5))
/// ```
///
/// Each connection runs NIO's HTTP/1.1 request decoder, Doorway's guards (backpressure, header and
/// keep-alive timeouts, parser errors as status codes) and the file responder, all on the connection's event
/// loop: no request hops to another thread.
public final class WebServer: Sendable {
    public let configuration: Configuration
    /// The folder, its cache, policy and limits: all that deciding a response needs.
    let site: ServedSite
    let accessLog: AccessLog?
    let requestMetrics: RequestMetrics

    /// Opens the root folder and the access log.
    ///
    /// - Parameters:
    ///   - configuration: the folder, policy, limits and log.
    ///   - service: the name that labels the `door_http_requests_total` metric.
    /// - Throws: ``WebServerError`` when the root is not a readable folder or the log cannot be opened.
    public init(configuration: Configuration, service: String = "web") throws {
        try configuration.limits.validate()
        self.configuration = configuration
        self.site = try ServedSite(configuration: configuration)
        self.accessLog = try configuration.accessLog.map(AccessLog.init(destination:))
        self.requestMetrics = RequestMetrics(service: service)
    }

    /// Installs the HTTP codec and the file responder in a new connection's pipeline.
    ///
    /// Pass it to `Server.bind(_:transport:parameters:maximumConnections:service:group:initializer:)` to run
    /// the Web server under a host of your own.
    public var initializer: Server.Initializer {
        { [self] channel in
            channel.eventLoop.makeCompletedFuture {
                try self.installHandlers(in: channel)
            }
        }
    }

    /// Binds `endpoint` with the configured connection cap and serves until the returned server is shut down.
    public func serve(
        on endpoint: Endpoint,
        parameters: TransportParameters = TransportParameters(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Server {
        try await Server.bind(
            endpoint, transport: .tcp, parameters: parameters,
            maximumConnections: configuration.limits.maximumConnections, group: group, initializer: initializer
        )
    }

    /// The content cache, shared by every connection.
    var cache: ContentCache { site.cache }

    private func installHandlers(in channel: any Channel) throws {
        let limits = configuration.limits
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        // llhttp counts the request target as one field, so the per-field limit is the request line's.
        decoderLimits.maxHeaderFieldSize = limits.requestLineLength
        decoderLimits.maxHeaderListSize = limits.headerSectionSize
        let pipeline = channel.pipeline.syncOperations
        let guardHandler = RequestHeadGuard(
            headerTimeout: TimeAmount(limits.headerTimeout), keepAliveTimeout: TimeAmount(limits.keepAliveTimeout),
            requestLineLimit: limits.requestLineLength, metrics: requestMetrics
        )
        // Responses are queued at once (a file region per request), so a client that pipelines requests and
        // never reads must be stopped: no reading while the socket's send queue is over its high-water mark.
        try pipeline.addHandler(BackPressureHandler())
        try pipeline.addHandler(guardHandler)
        // NIO's decoder parses requests. Responses are written as bytes by the responder itself: it answers
        // each request synchronously, in the order they arrive, so pipelined responses leave in request
        // order without NIO's pipelining handler, and one buffer per head saves the encoder's pass.
        try pipeline.addHandler(
            ByteToMessageHandler(
                HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: decoderLimits))
        )
        try pipeline.addHandler(ParserErrorResponder(headGuard: guardHandler, metrics: requestMetrics))
        try pipeline.addHandler(StaticFileResponder(server: self, headGuard: guardHandler))
    }
}

/// Why a Web server could not start.
public struct WebServerError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) { self.description = description }
}
