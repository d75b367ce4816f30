// What each kind of service is configured with beyond where it listens: the application's own configuration.

import DoorwayMail
import DoorwayTorrent
import DoorwayWeb

/// The settings of one service that only its kind has, held in the application's own configuration type.
///
/// Paths are kept as written; a relative path is relative to the data folder (see
/// ``HostConfiguration/path(_:in:)``), and is resolved when the service starts.
///
/// ```swift
/// if case .web(let web) = service.settings {
///     let root = HostConfiguration.path(web.root, in: configuration.dataFolder)
/// }
/// ```
///
/// Two settings are equal when a configuration file writes them the same: what the file cannot say (a Web
/// server's limits, a mail server's timeouts) keeps the application's defaults and is not compared.
public enum ServiceSettings: Sendable, Hashable {
    /// The Web server: `root` and the `list-folders` and `hidden-files` policy.
    case web(WebServer.Configuration)
    /// The mail exchanger: `maildir` and the SMTP session's configuration. Its hostname is empty when the
    /// file names none: the server then greets with the machine's name.
    case smtp(MailServer.Configuration)
    /// The post office: `maildir` and `users` (by default `.users` in the maildir).
    case pop3(MailServer.Configuration)
    /// The BitTorrent tracker's limits: `interval`, `max-torrents` and `max-peers`.
    case tracker(TrackerState.Limits)
    /// The seeds' folder of torrents.
    case seed(HostSeeds.Configuration)
    /// The program run for each connection.
    case exec(Exec)
    /// The simple services (echo, discard, daytime, chargen, qotd, time) take no settings of their own.
    case plain

    /// The kind whose settings these are; nil for the simple services, which have none.
    private var kind: ServiceKind? {
        switch self {
        case .web: .web
        case .smtp: .smtp
        case .pop3: .pop3
        case .tracker: .tracker
        case .seed: .seed
        case .exec: .exec
        case .plain: nil
        }
    }

    /// The kind and each key with its TOML value, as the file writes them.
    private var written: [String?] {
        guard let kind else { return [] }
        return [kind.rawValue] + kind.definition.values(of: self).flatMap { [$0.key, $0.value] }
    }

    public static func == (lhs: ServiceSettings, rhs: ServiceSettings) -> Bool {
        lhs.written == rhs.written
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(written)
    }
}
