// The mail server process: SMTP in, Maildir storage, on the core's servers.

import Doorway
import DoorwayBasics
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A final-destination SMTP server that stores every accepted message in Maildirs, and a POP3 server that
/// lets users read and delete their mailbox. It never relays.
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
        public var pop3: POP3Configuration
        /// Who may log in over POP3 (default: `.users` in the store, which no mailbox name can clash with).
        public var users: MailUsers
        /// RFC 1939 §3: the autologout timer must be at least 10 minutes.
        public var pop3Timeout: Duration = .seconds(600)
        /// How long a wrong password waits for its `-ERR`, as Dovecot's `auth_failure_delay`.
        public var failedLoginDelay: Duration = .seconds(2)

        public init(maildir: String, smtp: SMTPConfiguration) {
            self.maildir = maildir
            self.smtp = smtp
            pop3 = POP3Configuration(hostname: smtp.hostname)
            users = MailUsers(path: maildir + "/.users")
        }
    }

    public let configuration: Configuration
    public let store: MaildirStore
    /// Threads for the blocking work: deliveries, password checks, maildrop access.
    let storage: NIOThreadPool
    let metrics: MailMetrics
    private let pop3: POP3Context

    /// Opens the store and starts its storage threads.
    ///
    /// - Parameters:
    ///   - configuration: the store, both protocols' settings and the limits.
    ///   - service: the name that labels the `door_mail_messages_total` metric.
    public init(configuration: Configuration, service: String = "smtp") throws(MailStoreError) {
        self.configuration = configuration
        metrics = MailMetrics(service: service)
        store = try MaildirStore(root: configuration.maildir)
        storage = NIOThreadPool(numberOfThreads: max(1, configuration.storageThreads))
        storage.start()
        pop3 = POP3Context(
            users: configuration.users, store: store, storage: storage,
            timeout: TimeAmount(configuration.pop3Timeout), failedLoginDelay: TimeAmount(configuration.failedLoginDelay)
        )
    }

    /// Failed POP3 logins since the server started.
    public var failedLoginCount: Int { pop3.failedLoginCount }

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
                    LineProtocolDriver(session: session, delegate: SMTPConnectionDelegate(server: self))
                )
            }
        }
    }

    /// Installs a POP3 session in a new connection's pipeline.
    public var pop3Initializer: Server.Initializer {
        { [self] channel in
            channel.eventLoop.makeCompletedFuture {
                let session = POP3Session(configuration: configuration.pop3)
                try channel.pipeline.syncOperations.addHandler(
                    LineProtocolDriver(session: session, delegate: POP3ConnectionDelegate(context: pop3))
                )
            }
        }
    }

    /// Binds `endpoint` and serves SMTP until the returned server is shut down.
    public func serveSMTP(on endpoint: Endpoint) async throws -> Server {
        try await serve(smtpInitializer, on: endpoint)
    }

    /// Binds `endpoint` and serves POP3 until the returned server is shut down.
    public func servePOP3(on endpoint: Endpoint) async throws -> Server {
        try await serve(pop3Initializer, on: endpoint)
    }

    /// Binds `endpoint` and serves the protocol that `initializer` installs (``smtpInitializer`` or
    /// ``pop3Initializer``) over TCP, with the server's connection cap.
    public func serve(
        _ initializer: @escaping Server.Initializer, on endpoint: Endpoint,
        parameters: TransportParameters = TransportParameters(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Server {
        try await Server.bind(
            endpoint, transport: .tcp, parameters: parameters,
            maximumConnections: configuration.maximumConnections, group: group, initializer: initializer
        )
    }
}

/// Dates and ids for trace headers.
enum MailDate {
    /// Now as an RFC 5322 date-time in UTC: `Wed, 25 Nov 2026 18:00:00 +0000`.
    @Sendable static func now() -> String {
        CivilTime(secondsSince1970: time(nil)).imfDate(zone: "+0000")
    }

    /// A random 16-hex-digit id for `Received: … id`.
    @Sendable static func uniqueID() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode(generator.next() as UInt64, uppercase: true)
    }
}

extension OutgoingMessage {
    /// A message dated now, with a new Message-ID at this host (`<SECONDS.RANDOM@HOST>`).
    public init(from: String, to: [String], subject: String?, text: String) {
        self.init(
            from: from, to: to, subject: subject, text: text, date: MailDate.now(),
            messageID: "<\(time(nil)).\(MailDate.uniqueID())@\(MaildirStore.hostName)>")
    }
}
