// The options `listen` and `connect` share: transport, address family, framing and transport parameters.

import ArgumentParser
import Doorway

struct TransportOptions: ParsableArguments {
    @Flag(name: [.customShort("u"), .long], help: "Use UDP instead of TCP.")
    var udp = false

    @Option(name: .customLong("unix"), help: ArgumentHelp("Use a Unix stream socket at PATH.", valueName: "PATH"))
    var unixPath: String?

    @Flag(name: .customShort("4"), help: "Use IPv4 addresses only.")
    var ipv4Only = false

    @Flag(name: .customShort("6"), help: "Use IPv6 addresses only.")
    var ipv6Only = false

    @Option(
        name: [.customShort("w"), .long],
        help: ArgumentHelp("Give up connecting, or close an idle connection, after SECONDS.", valueName: "SECONDS"))
    var timeout: Double?

    @Option(help: "How messages are cut: raw, lines or length (4-byte big-endian length prefix).")
    var framing: FramingName = .raw

    @Option(name: .customLong("max-message"), help: "Largest line or length-prefixed frame, in bytes.")
    var maximumMessageSize: Int?

    @Option(name: .customLong("sndbuf"), help: "Send buffer size in bytes (SO_SNDBUF; Linux doubles it).")
    var sendBufferSize: Int?

    @Option(name: .customLong("rcvbuf"), help: "Receive buffer size in bytes (SO_RCVBUF; Linux doubles it).")
    var receiveBufferSize: Int?

    @Option(name: .customLong("mss"), help: "TCP maximum segment size in bytes (TCP_MAXSEG).")
    var maximumSegmentSize: Int?

    @Flag(name: .customLong("nodelay"), help: "Send small segments at once (TCP_NODELAY).")
    var noDelay = false

    @Flag(name: .customLong("keepalive"), help: "Send TCP keepalive probes (idle 60 s, every 10 s, 5 probes).")
    var keepAlive = false

    @Flag(name: .shortAndLong, help: "Print endpoints and the transport parameters as the kernel applied them.")
    var verbose = false

    enum FramingName: String, ExpressibleByArgument, CaseIterable {
        case raw, lines, length
    }

    func validate() throws {
        if udp, unixPath != nil {
            throw ValidationError("--udp and --unix cannot be combined: Unix datagram sockets are not supported")
        }
        if ipv4Only, ipv6Only { throw ValidationError("-4 and -6 cannot be combined; choose one address family") }
        if let timeout, !(timeout > 0) {
            throw ValidationError("--timeout \(timeout) must be a number of seconds above zero")
        }
        if udp, framing != .raw {
            throw ValidationError(
                "--framing \(framing.rawValue) is for streams; with --udp each datagram is one message")
        }
        if let maximumMessageSize, maximumMessageSize < 1 {
            throw ValidationError("--max-message \(maximumMessageSize) must be at least 1 byte")
        }
    }

    var transport: Transport { udp ? .udp : (unixPath != nil ? .unix : .tcp) }

    var family: AddressFamily? { ipv4Only ? .ipv4 : (ipv6Only ? .ipv6 : nil) }

    var messageFraming: Framing {
        switch framing {
        case .raw: .raw
        case .lines: .lines(maximumLength: maximumMessageSize ?? Framing.defaultMaximumLineLength)
        case .length: .lengthPrefixed(maximumSize: maximumMessageSize ?? Framing.defaultMaximumFrameSize)
        }
    }

    var parameters: TransportParameters {
        var parameters = TransportParameters()
        parameters.sendBufferSize = sendBufferSize
        parameters.receiveBufferSize = receiveBufferSize
        parameters.maximumSegmentSize = maximumSegmentSize
        if noDelay { parameters.noDelay = true }
        if keepAlive { parameters.keepAlive = .init() }
        if let timeout {
            let duration = Duration.milliseconds(Int64(timeout * 1000))
            parameters.connectTimeout = duration
            parameters.idleTimeout = duration
        }
        return parameters
    }

    func report(_ applied: AppliedParameters) {
        guard verbose else { return }
        for line in applied.lines { printError("  \(line)") }
    }
}
