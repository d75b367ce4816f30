// `door mail`: the mail commands, a server and its clients.

import ArgumentParser

struct Mail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mail: an SMTP and POP3 server on Maildirs, and clients to send, list and read mail.",
        subcommands: [MailServe.self, MailSend.self, MailInbox.self, MailShow.self, MailUser.self]
    )
}
