// `door mail show`: print one of the store's messages, decoded for the terminal.

import ArgumentParser
import DoorwayMail
import Foundation

struct MailShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a message: its header decoded and its text, from quoted-printable or base64.",
        discussion: "ID is from `door mail inbox`. --raw prints the bytes as stored."
    )

    @OptionGroup var store: MailStoreOption

    @Flag(help: "Print the stored message unchanged.")
    var raw = false

    @Argument(help: "The message's id.")
    var id: String

    func run() throws {
        let maildir = try store.existing()
        let reader = MailboxReader(store: maildir)
        let bytes: [UInt8]
        do {
            guard let entry = try reader.entry(id) else {
                throw fail("no message \(id) in \(maildir); see `door mail inbox`")
            }
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
            if let value = message.decodedField(name) {
                print("\(name): \(Self.printable(value, keepingNewlines: false))")
            }
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
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    if scalar == "\t" || (keepingNewlines && scalar == "\n") { return scalar }
                    if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { return "\u{FFFD}" }
                    return scalar
                }))
    }
}
