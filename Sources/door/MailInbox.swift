// `door mail inbox` and `door mail show`: read the store's mail from the terminal.

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

    @Option(help: ArgumentHelp("The mail store (default: door-data/mail).", valueName: "DIR"))
    var maildir = "door-data/mail"

    @Flag(help: "Print JSON: an array of {id, mailbox, path, date, from, subject, size, seen}.")
    var json = false

    @Argument(help: ArgumentHelp("The mailbox's address (default: every mailbox).", valueName: "MAILBOX"))
    var mailbox: String?

    func run() throws {
        try requireStore(maildir)
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
            print("\(entry.id) \(mark) \(who)\(Self.cell(entry.date, 31))  \(Self.cell(entry.from, 28))  \(Self.cell(entry.subject, 40))  \(entry.size)")
        }
    }

    /// Fixed width, so the columns line up.
    static func cell(_ text: String, _ width: Int) -> String {
        let flat = text.replacingOccurrences(of: "\t", with: " ")
        if flat.count > width { return String(flat.prefix(width - 1)) + "…" }
        return flat + String(repeating: " ", count: width - flat.count)
    }
}

/// A missing store is a mistake (a typo in --maildir, or no server has run here yet), not an empty inbox.
func requireStore(_ maildir: String) throws {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: maildir, isDirectory: &isFolder), isFolder.boolValue else {
        throw fail("no mail store at \(maildir): give --maildir DIR, or run door mail serve or door serve first")
    }
}

struct MailShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a message: its header decoded and its text, from quoted-printable or base64.",
        discussion: "ID is from `door mail inbox`. --raw prints the bytes as stored."
    )

    @Option(help: ArgumentHelp("The mail store (default: door-data/mail).", valueName: "DIR"))
    var maildir = "door-data/mail"

    @Flag(help: "Print the stored message unchanged.")
    var raw = false

    @Argument(help: "The message's id.")
    var id: String

    func run() throws {
        try requireStore(maildir)
        let reader = MailboxReader(store: maildir)
        let bytes: [UInt8]
        do {
            guard let entry = try reader.entry(id) else { throw fail("no message \(id) in \(maildir); see `door mail inbox`") }
            bytes = try reader.load(entry)
        } catch let error as MailStoreError {
            throw fail(error.description)
        }
        if raw {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        let message = MailMessage(bytes)
        for name in ["Date", "From", "To", "Cc", "Subject"] {
            if let value = message.decodedField(name) { print("\(name): \(Self.printable(value, keepingNewlines: false))") }
        }
        print("")
        if let text = message.text {
            let body = Self.printable(text.body, keepingNewlines: true)
            print(body, terminator: body.hasSuffix("\n") ? "" : "\n")
            if text.mediaType != "text/plain" { printError("door: (shown from \(text.mediaType))") }
        } else {
            printError("door: this message has no text part")
        }
        for name in message.attachmentNames { print("[attachment: \(name)]") }
    }

    /// Mail is written by strangers: control characters (a terminal's escape sequences among them) are shown
    /// as U+FFFD rather than sent to the terminal.
    static func printable(_ text: String, keepingNewlines: Bool) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            if scalar == "\t" || (keepingNewlines && scalar == "\n") { return scalar }
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { return "\u{FFFD}" }
            return scalar
        }))
    }
}
