// `door ports`: look up the service registry.

import ArgumentParser
import Doorway
import Foundation

struct Ports: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look up well-known ports and service names (door ports smtp, door ports 80).",
        discussion: "The registry is IANA's, compiled into Doorway; nothing is read from /etc/services."
    )

    @Argument(help: "A service name or a port number; none lists the whole registry.")
    var query: String?

    @Flag(help: "Print JSON, one object per entry.")
    var json = false

    func run() throws {
        let registry = ServiceRegistry.shared
        let entries: [Service]
        let byNumber: Bool
        if let query {
            if let number = UInt32(query) {
                guard number <= 65535 else { throw fail("cannot look up port \(query): port must be 0–65535") }
                entries = registry.services(port: Port(UInt16(number)))
                byNumber = true
                if entries.isEmpty { throw fail("no service is registered on port \(number)") }
            } else {
                entries = registry.services(named: query)
                byNumber = false
                if entries.isEmpty {
                    throw fail("unknown service name \"\(query)\"; run `door ports` for the list")
                }
            }
        } else {
            entries = registry.services
            byNumber = true
        }
        if json {
            // One JSON object per line, so that scripts can stream it.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for service in entries {
                let entry = Entry(
                    name: service.name, port: service.port.rawValue, transport: service.transport.rawValue,
                    aliases: service.aliases, description: service.summary
                )
                print(String(decoding: try encoder.encode(entry), as: UTF8.self))
            }
            return
        }
        for service in entries {
            let aliases = service.aliases.isEmpty ? "" : " (\(service.aliases.joined(separator: ", ")))"
            let spec = "\(service.port)/\(service.transport)"
            if byNumber {
                print(pad(service.name, 18) + pad(spec, 12) + service.summary + aliases)
            } else {
                print(pad(spec, 12) + pad(service.name, 18) + service.summary + aliases)
            }
        }
    }

    private struct Entry: Encodable {
        var name: String
        var port: UInt16
        var transport: String
        var aliases: [String]
        var description: String
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
