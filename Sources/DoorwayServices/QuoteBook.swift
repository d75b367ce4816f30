// The quotations that the quote-of-the-day service (RFC 865) hands out.

import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The quotations for QOTD; one per day, as the service's name says.
public struct QuoteBook: Sendable, Hashable {
    /// RFC 865 asks that a quote be under 512 characters; longer ones are cut there.
    public static let maximumLength = 511

    public var quotes: [String]

    public init(quotes: [String]) {
        self.quotes = quotes.isEmpty ? QuoteBook.standard.quotes : quotes
    }

    /// Today's quotation, ended with CR LF.
    public func next(at seconds: Int = time(nil)) -> ByteBuffer {
        let day = seconds / 86_400
        let quote = String(quotes[day % quotes.count].utf8.prefix(Self.maximumLength - 2)) ?? ""
        return ByteBuffer(string: quote + "\r\n")
    }

    public static let standard = QuoteBook(quotes: [
        "The network is the computer. -- John Gage",
        "Be conservative in what you do, be liberal in what you accept from others. -- Jon Postel, RFC 761",
        "We reject kings, presidents and voting. We believe in rough consensus and running code. -- David Clark",
        "A distributed system is one in which the failure of a computer you didn't even know existed can render "
            + "your own computer unusable. -- Leslie Lamport",
        "Never underestimate the bandwidth of a station wagon full of tapes hurtling down the highway. -- Andrew Tanenbaum",
    ])
}
