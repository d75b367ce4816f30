// `door mail user remove`: take an address's POP3 login away; its mail stays.

import ArgumentParser
import DoorwayMail

extension MailUser {
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
}
