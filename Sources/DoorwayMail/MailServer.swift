// The mail server process: SMTP in, Maildir storage, on the core's servers.

import Doorway
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A final-destination SMTP server that stores every accepted message in Maildirs. It never relays.
///
/// ```swift
/// let mail = try MailServer(configuration: .init(maildir: "mail", smtp: SMTPConfiguration(hostname: "mx.test")))
/// let server = try await mail.serveSMTP(on: try Endpoint(parsing: ":2525"))
/// ```
///
/// The SMTP dialogue is ``SMTPSession``, a pure state machine; this class connects it to sockets (on the
/// event loop) and to the store (deliveries block on `fsync`, so they run on NIO's thread pool).
public final class MailServer: Sendable {
    public struct Configuration: Sendable {
        /// The store: one Maildir per recipient under this folder.
        public var maildir: String
        public var smtp: SMTPConfiguration
        /// RFC 5321 §4.5.3.2: 5 minutes for a command, 3 minutes for each block of message data.
        public var commandTimeout: Duration = .seconds(300)
        public var dataTimeout: Duration = .seconds(180)
        /// SMTP sessions served at once; further clients wait in the listen backlog.
        public var maximumConnections: Int = 256
        /// Threads that write and fsync deliveries. More than the cores: they mostly wait on the disk, and
        /// deliveries syncing together share one folder fsync (group commit).
        public var storageThreads: Int = 16

        public init(maildir: String, smtp: SMTPConfiguration) {
            self.maildir = maildir
            self.smtp = smtp
        }
    }

    public let configuration: Configuration
    public let store: MaildirStore
    private let storage: NIOThreadPool

    public init(configuration: Configuration) throws(MailStoreError) {
        self.configuration = configuration
        store = try MaildirStore(root: configuration.maildir)
        storage = NIOThreadPool(numberOfThreads: max(1, configuration.storageThreads))
        storage.start()
    }

    /// Stops the storage threads once the deliveries under way have finished.
    public func shutdown() async {
        try? await storage.shutdownGracefully()
    }

    /// Installs an SMTP session in a new connection's pipeline.
    public var smtpInitializer: Server.Initializer {
        { [self] channel in
            channel.eventLoop.makeCompletedFuture {
                let peer = channel.remoteAddress?.ipAddress ?? "unknown"
                let session = SMTPSession(
                    configuration: configuration.smtp, peer: peer, now: MailDate.now, messageID: MailDate.uniqueID
                )
                try channel.pipeline.syncOperations.addHandler(
                    SMTPConnectionHandler(
                        session: session, store: store, storage: storage,
                        commandTimeout: TimeAmount(configuration.commandTimeout),
                        dataTimeout: TimeAmount(configuration.dataTimeout)
                    )
                )
            }
        }
    }

    /// Binds `endpoint` and serves SMTP until the returned server is shut down.
    public func serveSMTP(
        on endpoint: Endpoint,
        parameters: TransportParameters = TransportParameters(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Server {
        try await Server.bind(
            endpoint, transport: .tcp, parameters: parameters,
            maximumConnections: configuration.maximumConnections, group: group, initializer: smtpInitializer
        )
    }
}

/// Dates and ids for trace headers.
enum MailDate {
    /// Now as an RFC 5322 date-time in UTC: `Wed, 25 Nov 2026 18:00:00 +0000`.
    @Sendable static func now() -> String {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }

    /// A random 16-hex-digit id for `Received: … id`.
    @Sendable static func uniqueID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
