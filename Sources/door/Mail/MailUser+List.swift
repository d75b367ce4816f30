// `door mail user list`: who may log in over POP3.

import ArgumentParser
import DoorwayMail

extension MailUser {
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
