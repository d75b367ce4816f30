// `door mail send`: compose a message (or take a finished one) and hand it to an SMTP server.

import ArgumentParser
import Doorway
import DoorwayHost
import DoorwayMail
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

struct MailSend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a message over SMTP.",
        discussion: """
            The text comes from FILE or standard input. door builds an RFC 5322 message around it (Date,
            Message-ID, MIME, an encoded Subject when it is not ASCII); with --raw, FILE is already a whole
            message and is sent as it is. Exits non-zero with the server's reply when it refuses.
            Example:
              echo 'Hello!' | door mail send --server 127.0.0.1:2525 --from me@example.test --to you@example.test --subject Hi
            """
    )

    @Option(
        help: ArgumentHelp(
            "The SMTP server (default: localhost on 25 as root, else 2525; port 25 if none given).",
            valueName: "ENDPOINT"))
    var server: String?

    @Option(help: ArgumentHelp("The sender (default: USER@this host).", valueName: "ADDR"))
    var from: String?

    @Option(name: .customLong("to"), help: ArgumentHelp("A recipient; repeatable.", valueName: "ADDR"))
    var recipients: [String] = []

    @Option(help: "The subject.")
    var subject: String?

    @Flag(help: "FILE is a complete message (headers and body): send it unchanged.")
    var raw = false

    @Option(help: "Seconds to wait for each reply.")
    var timeout: Double = 300

    @Argument(
        help: ArgumentHelp("The text, or with --raw the message; - or nothing for standard input.", valueName: "FILE"))
    var file: String?

    func validate() throws {
        if recipients.isEmpty { throw ValidationError("give at least one --to ADDR") }
        if raw && subject != nil {
            throw ValidationError("--subject and --raw do not mix: a raw message has its own header")
        }
        if !(timeout > 0) { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        try await reportingErrors {
            let input = try readInput()
            let sender = from ?? "\(ProcessInfo.processInfo.environment["USER"] ?? "door")@\(MaildirStore.hostName)"
            let message: [UInt8]
            if raw {
                message = input
            } else {
                guard let text = String(validating: input, as: UTF8.self) else {
                    throw fail("the text is not UTF-8; convert it, or send a finished message with --raw")
                }
                message = OutgoingMessage(from: sender, to: recipients, subject: subject, text: text).bytes
            }
            let endpointText = server ?? "localhost:\(PortPlan.current.smtpPort)"
            let endpoint = try Endpoint(parsing: Self.withDefaultPort(endpointText))
            var client = SMTPClient()
            client.replyTimeout = .milliseconds(Int64(timeout * 1000))
            let outcome = try await client.send(message, from: Self.address(sender), to: recipients, server: endpoint)
            for rejection in outcome.rejected {
                let reply = rejection.reply
                printError(
                    "door: server refused \(rejection.recipient): \(reply.code) \(reply.lines.joined(separator: " "))")
            }
            switch outcome.result {
            case .success(let reply):
                printError(
                    "door: sent to \(outcome.accepted.joined(separator: ", ")): \(reply.code) \(reply.lines.last ?? "")"
                )
                if !outcome.rejected.isEmpty { throw ExitCode(1) }
            case .failure(let error):
                throw fail(error.description)
            }
        }
    }

    private func readInput() throws -> [UInt8] {
        if let file, file != "-" {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw fail("cannot read \(file): \(String(cString: strerror(errno)))")
            }
            return Array(data)
        }
        return Array(FileHandle.standardInput.readDataToEndOfFile())
    }

    /// `host` alone means port 25, as a mail client expects.
    static func withDefaultPort(_ text: String) -> String {
        if text.hasPrefix("unix:") || text.hasPrefix("[") { return text }
        let colons = text.filter { $0 == ":" }.count
        if colons == 0 { return text + ":25" }
        if colons > 1 { return "[\(text)]:25" }
        return text
    }

    /// The bare address from `Name <addr>`, for the envelope.
    static func address(_ text: String) -> String {
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            return String(text[text.index(after: open)..<close])
        }
        return text
    }
}
