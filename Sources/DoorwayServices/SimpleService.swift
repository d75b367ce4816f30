// The RFC simple services, as NIO handlers that plug into Doorway's servers.

import Doorway
import NIOCore

/// One of the simple services of RFCs 862–868.
public enum SimpleService: String, CaseIterable, Sendable, CustomStringConvertible {
    /// RFC 862: sends back whatever it receives.
    case echo
    /// RFC 863: throws away whatever it receives.
    case discard
    /// RFC 864: sends lines of characters until the client goes away (TCP); one datagram of up to 512 (UDP).
    case chargen
    /// RFC 865: sends a short quotation, then closes.
    case qotd
    /// RFC 867: sends the date and time as text, then closes.
    case daytime
    /// RFC 868: sends the seconds since 1900 as a 32-bit big-endian number, then closes.
    case time

    public var description: String { rawValue }

    /// The service's well-known port.
    public var port: Port {
        switch self {
        case .echo: .echo
        case .discard: .discard
        case .chargen: .chargen
        case .qotd: .qotd
        case .daytime: .daytime
        case .time: .time
        }
    }

    /// The RFC that defines the service.
    public var rfc: Int {
        switch self {
        case .echo: 862
        case .discard: 863
        case .chargen: 864
        case .qotd: 865
        case .daytime: 867
        case .time: 868
        }
    }

    /// Installs the service's handler in a new connection (TCP, Unix) or datagram socket (UDP).
    ///
    /// Pass this to `Server.bind(_:transport:parameters:maximumConnections:service:group:initializer:)`:
    ///
    /// ```swift
    /// let server = try await Server.bind(endpoint, transport: .udp,
    ///                                    initializer: SimpleService.echo.initializer(transport: .udp))
    /// ```
    public func initializer(
        transport: Transport, quotes: QuoteBook = .standard, limits: DatagramLimits = .init()
    )
        -> Server.Initializer
    {
        let service = self
        return { channel in
            channel.eventLoop.makeCompletedFuture {
                let handler: any ChannelHandler =
                    transport == .udp
                    ? DatagramServiceHandler(service: service, quotes: quotes, limits: limits)
                    : service.streamHandler(quotes: quotes)
                try channel.pipeline.syncOperations.addHandler(handler)
            }
        }
    }

    func streamHandler(quotes: QuoteBook) -> any ChannelHandler {
        switch self {
        case .echo: EchoHandler()
        case .discard: DiscardHandler()
        case .chargen: ChargenHandler()
        case .qotd: AnswerThenCloseHandler { quotes.next() }
        case .daytime: AnswerThenCloseHandler { ByteBuffer(string: Daytime.text()) }
        case .time: AnswerThenCloseHandler { Daytime.timeProtocolBytes() }
        }
    }

    /// The answer to one UDP datagram, or nil for none.
    func datagramAnswer(to request: ByteBuffer, quotes: QuoteBook, chargenOffset: inout Int) -> ByteBuffer? {
        switch self {
        case .echo: return request
        case .discard: return nil
        case .chargen:
            // RFC 864: "a datagram containing a random number (between 0 and 512) of characters".
            let count = Int.random(in: 0...512)
            defer { chargenOffset = (chargenOffset + 1) % Chargen.characters.count }
            return Chargen.block(startingAt: chargenOffset, count: count)
        case .qotd: return quotes.next()
        case .daytime: return ByteBuffer(string: Daytime.text())
        case .time: return Daytime.timeProtocolBytes()
        }
    }
}

/// Limits on what a UDP service sends, so that it cannot be turned into an amplifier.
public struct DatagramLimits: Sendable, Hashable {
    /// Answers per second across all senders; datagrams past it get no answer.
    public var answersPerSecond: Int
    /// Source ports whose datagrams are never answered: the simple services' own ports, so that two services
    /// cannot be set to answer each other forever (the classic echo–chargen loop), and port 0.
    public var ignoredSourcePorts: Set<Port>

    public init(
        answersPerSecond: Int = 1000,
        ignoredSourcePorts: Set<Port> = [0, .echo, .discard, .daytime, .qotd, .chargen, .time]
    ) {
        self.answersPerSecond = answersPerSecond
        self.ignoredSourcePorts = ignoredSourcePorts
    }
}
