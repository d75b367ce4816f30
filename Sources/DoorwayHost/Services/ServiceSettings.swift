// What each kind of service is configured with beyond where it listens.

import DoorwayServices

/// The settings of one service that only its kind has.
///
/// Paths are kept as written; a relative path is relative to the data folder (see
/// ``HostConfiguration/path(_:in:)``).
///
/// ```swift
/// if case .web(let web) = service.settings {
///     let root = HostConfiguration.path(web.root, in: configuration.dataFolder)
/// }
/// ```
public enum ServiceSettings: Sendable, Hashable {
    case web(Web)
    case smtp(SMTP)
    case pop3(POP3)
    case tracker(Tracker)
    case seed(Seed)
    case exec(Exec)
    /// The simple services (echo, discard, daytime, chargen, qotd, time) take no settings of their own.
    case plain

    /// The Web server's settings.
    public struct Web: Sendable, Hashable {
        /// The folder served (`root`), "public" by default.
        public var root: String
        /// Whether a folder without an index page is answered with a listing (`list-folders`).
        public var listFolders: Bool
        /// Whether files and folders whose names start with "." are served (`hidden-files`).
        public var hiddenFiles: Bool

        public init(root: String = "public", listFolders: Bool = false, hiddenFiles: Bool = false) {
            self.root = root
            self.listFolders = listFolders
            self.hiddenFiles = hiddenFiles
        }
    }

    /// The mail exchanger's settings.
    public struct SMTP: Sendable, Hashable {
        /// The maildir mail is delivered into (`maildir`), "mail" by default.
        public var maildir: String
        /// The name the server greets with (`hostname`); the machine's name when unset.
        public var hostname: String?
        /// The domains mail is accepted for (`domains`); any when empty.
        public var domains: [String]
        /// The largest message accepted, in bytes (`max-size`), 25 MiB by default.
        public var maximumMessageSize: Int
        /// The most recipients of one message (`max-recipients`), 100 by default.
        public var maximumRecipients: Int
        /// Whether lines must end in CR LF, refusing a bare LF (`strict-line-endings`).
        public var strictLineEndings: Bool

        public init(
            maildir: String = "mail", hostname: String? = nil, domains: [String] = [],
            maximumMessageSize: Int = 25 * 1024 * 1024, maximumRecipients: Int = 100,
            strictLineEndings: Bool = false
        ) {
            self.maildir = maildir
            self.hostname = hostname
            self.domains = domains
            self.maximumMessageSize = maximumMessageSize
            self.maximumRecipients = maximumRecipients
            self.strictLineEndings = strictLineEndings
        }
    }

    /// The post office's settings.
    public struct POP3: Sendable, Hashable {
        /// The maildir mail is read from (`maildir`), "mail" by default.
        public var maildir: String
        /// The file of users and passwords (`users`); ``usersFile`` when unset.
        public var users: String?

        public init(maildir: String = "mail", users: String? = nil) {
            self.maildir = maildir
            self.users = users
        }

        /// The users file in effect: `users`, or `.users` inside the maildir.
        public var usersFile: String { users ?? maildir + "/.users" }
    }

    /// The BitTorrent tracker's settings.
    public struct Tracker: Sendable, Hashable {
        /// How long peers wait between announces (`interval`, whole seconds), 30 minutes by default.
        public var interval: Duration
        /// The most torrents tracked (`max-torrents`), 100 000 by default.
        public var maximumTorrents: Int
        /// The most peers tracked per torrent (`max-peers`), 10 000 by default.
        public var maximumPeers: Int

        public init(
            interval: Duration = .seconds(1800), maximumTorrents: Int = 100_000, maximumPeers: Int = 10_000
        ) {
            self.interval = interval
            self.maximumTorrents = maximumTorrents
            self.maximumPeers = maximumPeers
        }
    }

    /// The seeds' settings: one seed per torrent file, the first on the service's port, each further one on
    /// the next port.
    public struct Seed: Sendable, Hashable {
        /// The folder of `.torrent` files and their content (`torrents`), "torrents" by default.
        public var torrents: String

        public init(torrents: String = "torrents") {
            self.torrents = torrents
        }
    }

    /// The settings of a service that runs a program per connection.
    public struct Exec: Sendable, Hashable {
        /// The command line to run (`program`), such as "/usr/games/fortune -s"; split at spaces, with
        /// double or single quotes keeping a word together.
        public var program: String

        public init(program: String) {
            self.program = program
        }

        /// The program's path and arguments, as split from ``program`` by ``Program/init(commandLine:)``
        /// (spaces separate words; quotes and backslashes keep them together); empty if it cannot be split.
        public var arguments: [String] {
            guard let program = try? Program(commandLine: program) else { return [] }
            return [program.executable] + program.arguments
        }
    }

    /// The settings a kind starts from when its table gives none.
    static func defaults(for kind: ServiceKind) -> ServiceSettings {
        switch kind {
        case .web: .web(Web())
        case .smtp: .smtp(SMTP())
        case .pop3: .pop3(POP3())
        case .tracker: .tracker(Tracker())
        case .seed: .seed(Seed())
        case .exec: .exec(Exec(program: ""))
        case .echo, .discard, .daytime, .chargen, .qotd, .time: .plain
        }
    }
}
