// The post office as a service of the host: its keys, defaults, reading, writing, port and launch.

import Doorway
import DoorwayMail
import Logging

/// `kind = "pop3"`: a ``MailServer`` handing out the mail of a folder of Maildirs to the users of a file,
/// `.users` in that folder by default.
struct POP3Service: ServiceKindDefinition {
    private static let defaults = MailServer.Configuration(
        maildir: SMTPService.defaultMaildir, smtp: SMTPConfiguration(hostname: ""))

    let keys = [
        SMTPService.maildirKey,
        ConfigurationKey(
            "users", "The users and passwords file (default: .users in the maildir).", example: "\"mail/.users\""),
    ]

    var defaultSettings: ServiceSettings { .pop3(Self.defaults) }

    func defaultPort(plan: PortPlan) -> Port? { plan.pop3Port }

    func read(_ table: ConfigurationTable) throws(ConfigurationError) -> ServiceSettings {
        // The maildir first: the users file defaults to one inside it.
        var mail = MailServer.Configuration(
            maildir: try table.text("maildir") ?? Self.defaults.maildir, smtp: Self.defaults.smtp)
        if let users = try table.text("users") { mail.users = MailUsers(path: users) }
        return .pop3(mail)
    }

    func values(of settings: ServiceSettings) -> [(key: String, value: String?)] {
        guard case .pop3(let mail) = settings else { return [] }
        let usersGiven = mail.users.path != MailServer.Configuration(maildir: mail.maildir, smtp: mail.smtp).users.path
        return [
            ("maildir", TOMLText.quoted(mail.maildir)),
            ("users", usersGiven ? TOMLText.quoted(mail.users.path) : nil),
        ]
    }

    func launch(
        _ service: ServiceConfiguration, in host: HostConfiguration, logger: Logger
    ) async throws
        -> StartedService
    {
        guard case .pop3(let settings) = service.settings else { throw HostError.settings(of: service) }
        var configuration = MailServer.Configuration(
            maildir: HostConfiguration.path(settings.maildir, in: host.dataFolder),
            smtp: SMTPConfiguration(hostname: MaildirStore.hostName))
        configuration.users = MailUsers(path: HostConfiguration.path(settings.users.path, in: host.dataFolder))
        return try await SMTPService.bind(service, configuration, initializer: \.pop3Initializer)
    }

    func welcomeHint(port: String) -> String {
        "mailboxes, for users of <code>door mail user add</code>"
    }

    func mailStore(of settings: ServiceSettings) -> String? {
        guard case .pop3(let mail) = settings else { return nil }
        return mail.maildir
    }
}
