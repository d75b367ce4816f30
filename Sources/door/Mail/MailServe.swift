// `door mail serve`: a final-destination SMTP server storing into Maildirs (a local mail catcher by default).

import ArgumentParser
import Doorway
import DoorwayHost
import DoorwayMail
import NIOPosix

struct MailServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive mail over SMTP into Maildirs and serve it over POP3, until SIGINT or SIGTERM.",
        discussion: """
            A final destination: it never relays. Without --domain it accepts every recipient, as a local mail
            catcher does; with --domain, only those domains (and postmaster). Every message is fsynced into
            MAILDIR/<recipient>/new before its 250. SMTP on port 25 as root, else 2525; POP3 on 110 as root,
            else 1110, for the users of `door mail user add`.
            Example:
              door mail serve --maildir mail --listen 127.0.0.1:2525 --pop3 127.0.0.1:1110
              swaks --server 127.0.0.1:2525 --to you@example.test
            """
    )

    @Option(
        help: ArgumentHelp(
            "The store: one Maildir per recipient (default: \(HostConfiguration.defaultMailStore)).", valueName: "DIR"))
    var maildir = HostConfiguration.defaultMailStore

    @Option(
        name: .customLong("listen"),
        help: ArgumentHelp("Where to wait, repeatable (default :25 as root, else :2525).", valueName: "ENDPOINT"))
    var endpoints: [String] = []

    @Option(
        name: .customLong("pop3"),
        help: ArgumentHelp("Where POP3 waits, repeatable (default :110 as root, else :1110).", valueName: "ENDPOINT"))
    var pop3Endpoints: [String] = []

    @Option(help: ArgumentHelp("The POP3 users file (default: MAILDIR/.users).", valueName: "FILE"))
    var users: String?

    @Option(
        name: .customLong("domain"), help: ArgumentHelp("Accept mail for this domain only; repeatable.", valueName: "D")
    )
    var domains: [String] = []

    @Option(name: .customLong("max-size"), help: "Largest message in bytes (SIZE); larger → 552.")
    var maximumSize = 25 * 1024 * 1024

    @Option(name: .customLong("max-recipients"), help: "Recipients per message (at least 100); more → 452.")
    var maximumRecipients = 100

    @Option(help: "The name in the greeting and in Received headers (default: this host's name).")
    var hostname: String?

    @Flag(name: .customLong("strict-line-endings"), help: "Reject bare LF instead of normalising it.")
    var strictLineEndings = false

    @Option(name: .customLong("grace"), help: "Seconds in-flight sessions get to finish at shutdown.")
    var gracePeriod: Double = 5

    func validate() throws {
        if maximumRecipients < 100 {
            throw ValidationError("--max-recipients \(maximumRecipients) must be at least 100 (RFC 5321 §4.5.3.1.8)")
        }
        if maximumSize < 1024 { throw ValidationError("--max-size \(maximumSize) must be at least 1024 bytes") }
    }

    func run() async throws {
        try await reportingErrors {
            var smtp = SMTPConfiguration(
                hostname: hostname ?? MailServe.hostName, domains: domains.map { $0.lowercased() })
            smtp.maximumMessageSize = maximumSize
            smtp.maximumRecipients = maximumRecipients
            smtp.strictLineEndings = strictLineEndings
            let mail: MailServer
            var configuration = MailServer.Configuration(maildir: maildir, smtp: smtp)
            if let users { configuration.users = MailUsers(path: users) }
            do {
                mail = try MailServer(configuration: configuration)
            } catch let error as MailStoreError {
                throw fail(error.description)
            }
            let endpoints = try (self.endpoints.isEmpty ? [":\(PortPlan.current.smtpPort)"] : self.endpoints)
                .map { try Endpoint(parsing: $0) }
            var servers: [Server] = []
            for endpoint in endpoints {
                let server = try await mail.serveSMTP(on: endpoint)
                servers.append(server)
                printNow("door: SMTP on \(server.localEndpoint), storing into \(maildir)")
            }
            let pop3Endpoints = try
                (self.pop3Endpoints.isEmpty ? [":\(PortPlan.current.pop3Port)"] : self.pop3Endpoints)
                .map { try Endpoint(parsing: $0) }
            for endpoint in pop3Endpoints {
                let server = try await mail.servePOP3(on: endpoint)
                servers.append(server)
                printNow("door: POP3 on \(server.localEndpoint), for the users in \(configuration.users.path)")
            }
            await serveUntilSignalled(servers, gracePeriod: .milliseconds(Int64(gracePeriod * 1000)))
            await mail.shutdown()
        }
    }

    static var hostName: String { MaildirStore.hostName }
}
