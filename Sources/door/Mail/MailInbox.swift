// `door mail inbox`: list the store's mail from the terminal.

import ArgumentParser
import DoorwayMail
import Foundation

struct MailInbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "List the messages in a mailbox, or in every mailbox.",
        discussion: """
            One line per message, oldest first: id, date, from, subject, size, and N for not yet seen.
            `door mail show ID` prints one.
            """
    )

    @OptionGroup var store: MailStoreOption

    @Flag(help: "Print JSON: an array of {id, mailbox, path, date, from, subject, size, seen}.")
    var json = false

    @Argument(help: ArgumentHelp("The mailbox's address (default: every mailbox).", valueName: "MAILBOX"))
    var mailbox: String?

    func run() throws {
        let maildir = try store.existing()
        let entries: [MailboxEntry]
        do {
            entries = try MailboxReader(store: maildir).entries(in: mailbox)
        } catch {
            throw fail(error.description)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        if entries.isEmpty {
            printError("door: no messages in \(mailbox.map { "\(maildir)/\($0)" } ?? maildir)")
            return
        }
        for entry in entries {
            let mark = entry.seen ? " " : "N"
            let who = mailbox == nil ? "\(entry.mailbox)  " : ""
            print(
                "\(entry.id) \(mark) \(who)\(Self.cell(entry.date, 31))  \(Self.cell(entry.from, 28))  \(Self.cell(entry.subject, 40))  \(entry.size)"
            )
        }
    }

    /// Fixed width, so the columns line up.
    static func cell(_ text: String, _ width: Int) -> String {
        let flat = text.replacingOccurrences(of: "\t", with: " ")
        if flat.count > width { return String(flat.prefix(width - 1)) + "…" }
        return flat + String(repeating: " ", count: width - flat.count)
    }
}
