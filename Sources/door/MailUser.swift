// `door mail user add|remove|list`: who may read their mailbox over POP3.

import ArgumentParser
import DoorwayMail

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
        @Option(help: ArgumentHelp("The mail store (default: door-data/mail).", valueName: "DIR"))
        var maildir = "door-data/mail"

        @Option(help: ArgumentHelp("The users file (default: MAILDIR/.users).", valueName: "FILE"))
        var users: String?

        var file: MailUsers { MailUsers(path: users ?? maildir + "/.users") }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user, or set a new password. The password comes from the terminal or standard input."
        )

        @Argument(help: "The mailbox address, e.g. ann@example.test.")
        var address: String

        @OptionGroup var location: Location

        func run() throws {
            let password = try Password.read(prompt: "Password for \(address): ")
            do {
                try location.file.add(address, password: password)
            } catch {
                throw fail(error.description)
            }
            print("door: \(address.lowercased()) can now log in over POP3")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user; their mail stays.")

        @Argument(help: "The mailbox address.")
        var address: String

        @OptionGroup var location: Location

        func run() throws {
            do {
                guard try location.file.remove(address) else { throw fail("no user \(address.lowercased())") }
            } catch let error as MailUsersError {
                throw fail(error.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users.")

        @OptionGroup var location: Location

        func run() throws {
            do {
                for user in try location.file.list() { print(user) }
            } catch {
                throw fail(error.description)
            }
        }
    }
}

/// Reads a password without echoing it on a terminal (asked twice), or as the first line of piped input.
enum Password {
    static func read(prompt: String) throws -> [UInt8] {
        guard isatty(0) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw fail("no password on standard input")
            }
            return Array(line.utf8)
        }
        let first = try readHidden(prompt)
        let second = try readHidden("Again: ")
        guard first == second else { throw fail("the passwords differ") }
        guard !first.isEmpty else { throw fail("the password is empty") }
        return first
    }

    private static func readHidden(_ prompt: String) throws -> [UInt8] {
        printError(prompt, newline: false)
        var saved = termios()
        tcgetattr(0, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &silent)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            printError("")
        }
        guard let line = readLine(strippingNewline: true) else { throw fail("no password given") }
        return Array(line.utf8)
    }
}
