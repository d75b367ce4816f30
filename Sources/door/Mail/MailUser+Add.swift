// `door mail user add`: let an address log in over POP3, or give it a new password.

import ArgumentParser
import DoorwayMail

extension MailUser {
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
}
