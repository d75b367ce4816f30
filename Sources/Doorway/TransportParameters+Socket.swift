// Applying transport parameters through NIO channel options, and reading back what the kernel set.

import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension ChannelOptions.Types.SocketOption {
    fileprivate static func tcp(_ name: Int32) -> Self { .init(level: .tcp, name: .init(rawValue: name)) }
    fileprivate static let maximumSegmentSize = tcp(TCP_MAXSEG)
    fileprivate static let keepAliveIdle = tcp(TCP_KEEPIDLE)
    fileprivate static let keepAliveInterval = tcp(TCP_KEEPINTVL)
    fileprivate static let keepAliveCount = tcp(TCP_KEEPCNT)
}

/// The role a socket plays, which decides the options it takes.
enum SocketRole {
    /// A server's listening socket: it passes buffer sizes and segment size on to the connections it accepts.
    case listening
    /// A connection accepted by a server.
    case accepted
    /// A client's socket before it connects, or a UDP socket.
    case initiating
}

extension TransportParameters {
    /// The channel options that carry these parameters onto a socket of `transport` in `role`.
    func channelOptions(for transport: Transport, role: SocketRole) -> ChannelOptions.Storage {
        var options = ChannelOptions.Storage()
        let isTCP = transport == .tcp
        if role != .accepted {
            // Set before listen/connect so the window scale in the handshake reflects the receive buffer.
            if let size = sendBufferSize {
                options.append(key: ChannelOptions.socketOption(.so_sndbuf), value: Int(size))
            }
            if let size = receiveBufferSize {
                options.append(key: ChannelOptions.socketOption(.so_rcvbuf), value: Int(size))
            }
            if isTCP, let mss = maximumSegmentSize {
                options.append(key: ChannelOptions.Types.SocketOption.maximumSegmentSize, value: Int(mss))
            }
        }
        if role == .listening || (transport == .udp && reuseAddress != nil) {
            options.append(key: ChannelOptions.socketOption(.so_reuseaddr), value: (reuseAddress ?? true) ? 1 : 0)
        }
        if role == .listening, transport.isStream {
            options.append(key: ChannelOptions.backlog, value: Int32(backlog ?? Self.defaultBacklog))
            // Accept up to this many queued connections per wake-up (NIO's default is 4), so a burst of
            // clients is taken in quickly rather than four at a time between every other connection's I/O.
            options.append(key: ChannelOptions.maxMessagesPerRead, value: Self.acceptsPerWakeUp)
        }
        if isTCP, role != .listening {
            if let noDelay { options.append(key: ChannelOptions.socketOption(.tcp_nodelay), value: noDelay ? 1 : 0) }
            if let keepAlive {
                options.append(key: ChannelOptions.socketOption(.so_keepalive), value: 1)
                options.append(
                    key: ChannelOptions.Types.SocketOption.keepAliveIdle, value: Int(keepAlive.idle.components.seconds))
                options.append(
                    key: ChannelOptions.Types.SocketOption.keepAliveInterval,
                    value: Int(keepAlive.interval.components.seconds))
                options.append(key: ChannelOptions.Types.SocketOption.keepAliveCount, value: Int(keepAlive.count))
            }
        }
        if transport.isStream, role != .listening {
            // Needed for half-close: a peer's EOF must not close our sending side.
            options.append(key: ChannelOptions.allowRemoteHalfClosure, value: true)
        }
        return options
    }
}

/// Transport parameters as the kernel actually applied them, read back with `getsockopt` on the live socket.
///
/// Linux doubles a requested `SO_SNDBUF`/`SO_RCVBUF` to leave room for its own bookkeeping, so a request for
/// 65536 bytes reads back as 131072; ``description`` shows both.
public struct AppliedParameters: Hashable, Sendable, CustomStringConvertible {
    public var transport: Transport
    /// What was asked for.
    public var requested: TransportParameters
    public var sendBufferSize: Int?
    public var receiveBufferSize: Int?
    /// The segment size in force: on a connected socket the MSS in use (after TCP options), else the one set.
    public var maximumSegmentSize: Int?
    public var noDelay: Bool?
    /// The keepalive settings, or nil when keepalive is off.
    public var keepAlive: TransportParameters.KeepAlive?
    public var reuseAddress: Bool?

    /// Reads the parameters from a live channel's socket.
    public static func read(
        from channel: any Channel, transport: Transport, requested: TransportParameters
    )
        async throws -> AppliedParameters
    {
        try await channel.eventLoop.submit {
            try read(onEventLoop: channel, transport: transport, requested: requested)
        }.get()
    }

    static func read(
        onEventLoop channel: any Channel, transport: Transport, requested: TransportParameters
    ) throws
        -> AppliedParameters
    {
        guard let options = channel.syncOptions else { throw SocketError.closed }
        func socket(_ option: ChannelOptions.Types.SocketOption) -> Int? {
            try? options.getOption(option)
        }
        var applied = AppliedParameters(transport: transport, requested: requested)
        applied.sendBufferSize = socket(ChannelOptions.socketOption(.so_sndbuf))
        applied.receiveBufferSize = socket(ChannelOptions.socketOption(.so_rcvbuf))
        applied.reuseAddress = socket(ChannelOptions.socketOption(.so_reuseaddr)).map { $0 != 0 }
        if transport == .tcp {
            applied.maximumSegmentSize = socket(.maximumSegmentSize)
            applied.noDelay = socket(ChannelOptions.socketOption(.tcp_nodelay)).map { $0 != 0 }
            if socket(ChannelOptions.socketOption(.so_keepalive)) == 1,
                let idle = socket(.keepAliveIdle), let interval = socket(.keepAliveInterval),
                let count = socket(.keepAliveCount)
            {
                applied.keepAlive = .init(idle: .seconds(idle), interval: .seconds(interval), count: count)
            }
        }
        return applied
    }

    /// One line per parameter: `name: applied (requested …)`.
    public var lines: [String] {
        var lines: [String] = []
        func buffer(_ name: String, _ applied: Int?, _ requested: Int?) {
            guard let applied else { return }
            if let requested {
                let note = applied == 2 * requested ? ", Linux doubles the request for its bookkeeping" : ""
                lines.append("\(name): \(applied) bytes (requested \(requested)\(note))")
            } else {
                lines.append("\(name): \(applied) bytes (kernel default)")
            }
        }
        buffer("send buffer", sendBufferSize, requested.sendBufferSize)
        buffer("receive buffer", receiveBufferSize, requested.receiveBufferSize)
        if let mss = maximumSegmentSize {
            lines.append(
                "maximum segment size: \(mss) bytes" + (requested.maximumSegmentSize.map { " (requested \($0))" } ?? "")
            )
        }
        if let noDelay { lines.append("no-delay: \(noDelay ? "on" : "off")") }
        if transport == .tcp {
            if let keepAlive {
                lines.append(
                    "keepalive: on (idle \(keepAlive.idle.components.seconds)s, interval "
                        + "\(keepAlive.interval.components.seconds)s, \(keepAlive.count) probes)"
                )
            } else {
                lines.append("keepalive: off")
            }
        }
        if let reuseAddress { lines.append("reuse-address: \(reuseAddress ? "on" : "off")") }
        return lines
    }

    public var description: String { lines.joined(separator: "; ") }
}
