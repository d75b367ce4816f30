// The mail exchanger as a service of the host: its keys, defaults, reading, writing, port and launch.

import Doorway
import DoorwayMail
import Logging

/// `kind = "smtp"`: a ``MailServer`` receiving mail over SMTP into a folder of Maildirs, `mail` by default.
struct SMTPService: ServiceKindDefinition {
    /// The folder of Maildirs when `maildir` is not given; shared with the post office.
    static let defaultMaildir = "mail"
    /// The `maildir` key, which the post office has too.
    static let maildirKey = ConfigurationKey(
        "maildir", "The maildir of the mail (default \"\(defaultMaildir)\").", example: "\"mail\"")
    /// The mail server's own defaults; an empty hostname stands for the machine's name.
    static let defaults = MailServer.Configuration(maildir: defaultMaildir, smtp: SMTPConfiguration(hostname: ""))

    let keys: [ConfigurationKey] = {
        let smtp = SMTPService.defaults.smtp
        let size = smtp.maximumMessageSize
        return [
            SMTPService.maildirKey,
            ConfigurationKey(
                "hostname", "The name the server greets with (default: the machine's name).",
                example: "\"mail.example.org\""),
            ConfigurationKey(
                "domains", "The domains mail is accepted for (default [], any).", example: "[\"example.org\"]"),
            ConfigurationKey(
                "max-size", "The largest message in bytes (default \(size), \(size >> 20) MiB).", example: "\(size)"),
            ConfigurationKey(
                "max-recipients", "The most recipients of one message (default \(smtp.maximumRecipients)).",
                example: "100"),
            ConfigurationKey(
                "strict-line-endings", "Refuse lines that end in a bare LF (default \(smtp.strictLineEndings)).",
                example: "true"),
        ]
    }()

    var defaultSettings: ServiceSettings { .smtp(Self.defaults) }

    func defaultPort(plan: PortPlan) -> Port? { plan.smtpPort }

    func read(_ table: ConfigurationTable) throws(ConfigurationError) -> ServiceSettings {
        var mail = Self.defaults
        mail.maildir = try table.text("maildir") ?? mail.maildir
        mail.smtp.hostname = try table.text("hostname") ?? mail.smtp.hostname
        if let domains = try table.strings("domains") {
            if let empty = domains.firstIndex(of: "") {
                throw table.error("domains", "domain \(empty + 1) is empty", fix: table.example("domains"))
            }
            mail.smtp.domains = domains
        }
        mail.smtp.maximumMessageSize = try table.limit("max-size") ?? mail.smtp.maximumMessageSize
        mail.smtp.maximumRecipients = try table.limit("max-recipients") ?? mail.smtp.maximumRecipients
        mail.smtp.strictLineEndings = try table.bool("strict-line-endings") ?? mail.smtp.strictLineEndings
        return .smtp(mail)
    }

    func values(of settings: ServiceSettings) -> [(key: String, value: String?)] {
        guard case .smtp(let mail) = settings else { return [] }
        let smtp = mail.smtp
        return [
            ("maildir", TOMLText.quoted(mail.maildir)),
            ("hostname", smtp.hostname.isEmpty ? nil : TOMLText.quoted(smtp.hostname)),
            ("domains", TOMLText.array(smtp.domains)),
            ("max-size", String(smtp.maximumMessageSize)),
            ("max-recipients", String(smtp.maximumRecipients)),
            ("strict-line-endings", String(smtp.strictLineEndings)),
        ]
    }

    func launch(
        _ service: ServiceConfiguration, in host: HostConfiguration, logger: Logger
    ) async throws
        -> StartedService
    {
        guard case .smtp(let settings) = service.settings else { throw HostError.settings(of: service) }
        var smtp = settings.smtp
        if smtp.hostname.isEmpty { smtp.hostname = MaildirStore.hostName }
        let configuration = MailServer.Configuration(
            maildir: HostConfiguration.path(settings.maildir, in: host.dataFolder), smtp: smtp)
        return try await Self.bind(service, configuration, initializer: \.smtpInitializer)
    }

    /// Starts a mail server for `service` and binds the protocol that `initializer` picks (SMTP or POP3).
    static func bind(
        _ service: ServiceConfiguration, _ configuration: MailServer.Configuration,
        initializer: KeyPath<MailServer, Server.Initializer>
    ) async throws -> StartedService {
        var configuration = configuration
        if let maximum = service.maximumConnections { configuration.maximumConnections = maximum }
        let mail = try MailServer(configuration: configuration, service: service.name)
        return try await StartedService.bind(
            service, initializer: mail[keyPath: initializer], finish: { await mail.shutdown() })
    }

    func welcomeHint(port: String) -> String {
        "mail, stored in <code>mail/</code>: <code>swaks --server HOST:\(port) --to you@example.test</code>"
    }

    func mailStore(of settings: ServiceSettings) -> String? {
        guard case .smtp(let mail) = settings else { return nil }
        return mail.maildir
    }
}
