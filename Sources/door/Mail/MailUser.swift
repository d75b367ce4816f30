// `door mail user add|remove|list`: who may read their mailbox over POP3.

import ArgumentParser
import DoorwayMail

struct MailUser: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the POP3 users: their names are their mailbox addresses.",
        discussion: """
            Passwords are stored as salted scrypt hashes in MAILDIR/.users (or --users FILE). A running
            server reads the file at each login, so changes apply at once.
            Example:
              door mail user add ann@example.test          (asks for the password twice)
              echo secret | door mail user add ann@example.test
            """,
        subcommands: [Add.self, Remove.self, List.self]
    )

    struct Location: ParsableArguments {
        @OptionGroup var store: MailStoreOption

        @Option(help: ArgumentHelp("The users file (default: MAILDIR/.users).", valueName: "FILE"))
        var users: String?

        var file: MailUsers { MailUsers(path: users ?? store.maildir + "/.users") }
    }
}
