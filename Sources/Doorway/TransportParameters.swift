// The few transport parameters an application may tune, checked before any socket is made.

/// Typed transport parameters: buffer sizes, segment size, no-delay, keepalive and the server and client
/// settings around them.
///
/// Every parameter left `nil` keeps the kernel's (or NIO's) default. ``validate(for:)`` refuses values that
/// make no sense, or make no sense on the chosen transport, before a socket exists:
///
/// ```swift
/// var parameters = TransportParameters()
/// parameters.receiveBufferSize = 256 * 1024
/// parameters.noDelay = true
/// try parameters.validate(for: .tcp)
/// ```
public struct TransportParameters: Hashable, Sendable {
    /// `SO_SNDBUF` in bytes as requested; Linux doubles it (see ``AppliedParameters``).
    public var sendBufferSize: Int?
    /// `SO_RCVBUF` in bytes as requested; Linux doubles it.
    public var receiveBufferSize: Int?
    /// `TCP_MAXSEG`: the largest TCP segment payload this end will send and advertise (TCP only).
    public var maximumSegmentSize: Int?
    /// `TCP_NODELAY`: send small segments at once rather than waiting to coalesce them (TCP only).
    public var noDelay: Bool?
    /// TCP keepalive probes (TCP only).
    public var keepAlive: KeepAlive?
    /// `SO_REUSEADDR` on a server's socket; servers use `true` when unset.
    public var reuseAddress: Bool?
    /// How many completed connections may wait to be accepted; servers use 256 when unset (stream only).
    public var backlog: Int?
    /// How long a client waits for a connection to one address; 10 seconds when unset.
    public var connectTimeout: Duration?
    /// Close a connection on which nothing was read or written for this long; never when unset.
    public var idleTimeout: Duration?
    /// How long closing a connection waits for messages already sent to reach the peer (as `SO_LINGER` does
    /// for the kernel's queue, here for the application's); 30 seconds when unset (stream only).
    public var lingerTimeout: Duration?

    /// TCP keepalive: after `idle` without traffic, probe every `interval`, give up after `count` probes.
    public struct KeepAlive: Hashable, Sendable {
        public var idle: Duration
        public var interval: Duration
        public var count: Int

        public init(idle: Duration = .seconds(60), interval: Duration = .seconds(10), count: Int = 5) {
            self.idle = idle
            self.interval = interval
            self.count = count
        }
    }

    public init(
        sendBufferSize: Int? = nil,
        receiveBufferSize: Int? = nil,
        maximumSegmentSize: Int? = nil,
        noDelay: Bool? = nil,
        keepAlive: KeepAlive? = nil,
        reuseAddress: Bool? = nil,
        backlog: Int? = nil,
        connectTimeout: Duration? = nil,
        idleTimeout: Duration? = nil,
        lingerTimeout: Duration? = nil
    ) {
        self.sendBufferSize = sendBufferSize
        self.receiveBufferSize = receiveBufferSize
        self.maximumSegmentSize = maximumSegmentSize
        self.noDelay = noDelay
        self.keepAlive = keepAlive
        self.reuseAddress = reuseAddress
        self.backlog = backlog
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.lingerTimeout = lingerTimeout
    }

    /// Linux accepts `TCP_MAXSEG` from 88 (`TCP_MIN_MSS`) to 32767 (`MAX_TCP_WINDOW`).
    public static let segmentSizeRange = 88...32767
    /// Linux accepts keepalive idle and interval times of 1–32767 seconds and 1–127 probes.
    public static let keepAliveSecondsRange = 1...32767
    public static let keepAliveCountRange = 1...127
    /// The largest buffer size a socket option can carry (an `int`).
    public static let bufferSizeRange = 1...Int(Int32.max)

    /// Room for a burst of clients connecting at once (a browser opens several, a load test hundreds); a
    /// short queue drops SYNs that are retried only a second later. nginx uses 511.
    static let defaultBacklog = 1024
    static let acceptsPerWakeUp: UInt = 64
    static let defaultConnectTimeout = Duration.seconds(10)
    static let defaultLingerTimeout = Duration.seconds(30)

    /// Checks every parameter, and that it makes sense on `transport`.
    /// - Throws: ``ParameterError`` naming the parameter, the value and the fix.
    public func validate(for transport: Transport) throws {
        func fail(_ name: String, _ value: some CustomStringConvertible, _ reason: String) -> ParameterError {
            ParameterError(parameter: name, value: value.description, reason: reason)
        }
        if let size = sendBufferSize, !Self.bufferSizeRange.contains(size) {
            throw fail("send buffer size", size, "must be a positive number of bytes")
        }
        if let size = receiveBufferSize, !Self.bufferSizeRange.contains(size) {
            throw fail("receive buffer size", size, "must be a positive number of bytes")
        }
        if let mss = maximumSegmentSize {
            guard transport == .tcp else {
                throw fail("maximum segment size", mss, "is a TCP parameter and \(transport) has no segments; drop it")
            }
            guard Self.segmentSizeRange.contains(mss) else {
                throw fail(
                    "maximum segment size", mss,
                    "must be \(Self.segmentSizeRange.lowerBound)–\(Self.segmentSizeRange.upperBound) bytes")
            }
        }
        if let noDelay, transport != .tcp {
            throw fail("no-delay", noDelay, "is a TCP parameter; \(transport) has no Nagle algorithm to turn off")
        }
        if let keepAlive {
            guard transport == .tcp else {
                throw fail("keepalive", "on", "is a TCP parameter; \(transport) sends no keepalive probes")
            }
            for (name, duration) in [("keepalive idle", keepAlive.idle), ("keepalive interval", keepAlive.interval)] {
                let seconds = duration.components.seconds
                guard duration.components.attoseconds == 0, Self.keepAliveSecondsRange.contains(Int(seconds)) else {
                    throw fail(name, duration, "must be a whole number of seconds, 1–32767")
                }
            }
            guard Self.keepAliveCountRange.contains(keepAlive.count) else {
                throw fail("keepalive count", keepAlive.count, "must be 1–127 probes")
            }
        }
        if let backlog {
            guard transport.isStream else {
                throw fail("backlog", backlog, "is for stream servers; UDP has no connections to queue")
            }
            guard (1...65535).contains(backlog) else {
                throw fail("backlog", backlog, "must be 1–65535")
            }
        }
        if let connectTimeout, connectTimeout <= .zero {
            throw fail("connect timeout", connectTimeout, "must be longer than zero")
        }
        if let idleTimeout, idleTimeout <= .zero {
            throw fail("idle timeout", idleTimeout, "must be longer than zero")
        }
        if let lingerTimeout {
            guard transport.isStream else {
                throw fail("linger timeout", lingerTimeout, "is for streams; UDP queues nothing to wait for")
            }
            guard lingerTimeout >= .zero else { throw fail("linger timeout", lingerTimeout, "must not be negative") }
        }
    }
}

/// A transport parameter whose value makes no sense, or makes no sense on the chosen transport.
public struct ParameterError: Error, Hashable, Sendable, CustomStringConvertible {
    public var parameter: String
    public var value: String
    public var reason: String

    public init(parameter: String, value: String, reason: String) {
        self.parameter = parameter
        self.value = value
        self.reason = reason
    }

    public var description: String { "\(parameter) \(value) \(reason)" }
}
