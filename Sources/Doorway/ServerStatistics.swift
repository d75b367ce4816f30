// What a server has carried: connections, bytes each way and errors, for dashboards and metrics.

import Metrics
import NIOCore
import Synchronization

/// Counts a server's traffic as it passes the socket.
///
/// Every server keeps one, readable through ``Server/statistics``. When the server has a service name, the
/// same counts also go to swift-metrics (and so to whatever backend the program bootstrapped, such as
/// Prometheus), labelled with the service and transport:
///
/// | metric | kind |
/// |---|---|
/// | `door_connections_total` | counter |
/// | `door_connections_active` | gauge |
/// | `door_bytes_received_total`, `door_bytes_sent_total` | counters |
/// | `door_socket_errors_total` | counter |
///
/// Errors are those the socket raised (a reset, a refused write, a timeout), not protocol errors, which
/// each application counts in its own terms.
public final class ServerStatistics: Sendable {
    /// The counts at one moment.
    public struct Snapshot: Sendable, Hashable, Codable {
        public var activeConnections: Int
        /// Connections accepted since the server started (for UDP, always 0: datagrams have none).
        public var totalConnections: Int
        public var bytesIn: Int
        public var bytesOut: Int
        public var errors: Int

        public init(
            activeConnections: Int = 0, totalConnections: Int = 0, bytesIn: Int = 0, bytesOut: Int = 0, errors: Int = 0
        ) {
            self.activeConnections = activeConnections
            self.totalConnections = totalConnections
            self.bytesIn = bytesIn
            self.bytesOut = bytesOut
            self.errors = errors
        }
    }

    private let active = Atomic<Int>(0)
    private let total = Atomic<Int>(0)
    private let bytesIn = Atomic<Int>(0)
    private let bytesOut = Atomic<Int>(0)
    private let errors = Atomic<Int>(0)
    private let metrics: ServerMetrics?

    /// - Parameters:
    ///   - service: the name that labels the metrics; `nil` keeps the counts to this object.
    ///   - transport: the second label.
    public init(service: String? = nil, transport: Transport = .tcp) {
        metrics = service.map { ServerMetrics(service: $0, transport: transport) }
    }

    public var snapshot: Snapshot {
        Snapshot(
            activeConnections: active.load(ordering: .relaxed), totalConnections: total.load(ordering: .relaxed),
            bytesIn: bytesIn.load(ordering: .relaxed), bytesOut: bytesOut.load(ordering: .relaxed),
            errors: errors.load(ordering: .relaxed)
        )
    }

    func connectionOpened() {
        active.add(1, ordering: .relaxed)
        total.add(1, ordering: .relaxed)
        metrics?.connections.increment()
        metrics?.active.increment()
    }

    func connectionClosed() {
        active.subtract(1, ordering: .relaxed)
        metrics?.active.decrement()
    }

    func received(_ count: Int) {
        bytesIn.add(count, ordering: .relaxed)
        metrics?.received.increment(by: count)
    }

    func sent(_ count: Int) {
        bytesOut.add(count, ordering: .relaxed)
        metrics?.sent.increment(by: count)
    }

    func failed() {
        errors.add(1, ordering: .relaxed)
        metrics?.errors.increment()
    }
}

private struct ServerMetrics: Sendable {
    let connections: Counter
    let active: Meter
    let received: Counter
    let sent: Counter
    let errors: Counter

    init(service: String, transport: Transport) {
        let labels = [("service", service), ("transport", transport.rawValue)]
        connections = Counter(label: "door_connections_total", dimensions: labels)
        active = Meter(label: "door_connections_active", dimensions: labels)
        received = Counter(label: "door_bytes_received_total", dimensions: labels)
        sent = Counter(label: "door_bytes_sent_total", dimensions: labels)
        errors = Counter(label: "door_socket_errors_total", dimensions: labels)
    }
}

/// First in each accepted connection's pipeline, next to the socket: counts what crosses it.
final class StreamTrafficCounter: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = IOData

    private let statistics: ServerStatistics
    private var open = false

    init(_ statistics: ServerStatistics) { self.statistics = statistics }

    func handlerAdded(context: ChannelHandlerContext) {
        open = true
        statistics.connectionOpened()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if open {
            open = false
            statistics.connectionClosed()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        statistics.received(unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        statistics.sent(unwrapOutboundIn(data).readableBytes)
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        statistics.failed()
        context.fireErrorCaught(error)
    }
}

/// First in a UDP socket's pipeline: counts datagram bytes each way.
final class DatagramTrafficCounter: ChannelDuplexHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundIn = AddressedEnvelope<ByteBuffer>

    private let statistics: ServerStatistics

    init(_ statistics: ServerStatistics) { self.statistics = statistics }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        statistics.received(unwrapInboundIn(data).data.readableBytes)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        statistics.sent(unwrapOutboundIn(data).data.readableBytes)
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        statistics.failed()
        context.fireErrorCaught(error)
    }
}
