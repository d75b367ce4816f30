// `door ports`: look up the service registry.

import ArgumentParser
import Foundation
import Doorway

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
        for service in entries {
            if json {
                let aliases = service.aliases.map { "\"\(escape($0))\"" }.joined(separator: ",")
                print(
                    "{\"name\":\"\(escape(service.name))\",\"port\":\(service.port),\"transport\":\"\(service.transport)\","
                        + "\"aliases\":[\(aliases)],\"description\":\"\(escape(service.summary))\"}"
                )
                continue
            }
            let aliases = service.aliases.isEmpty ? "" : " (\(service.aliases.joined(separator: ", ")))"
            let spec = "\(service.port)/\(service.transport)"
            if byNumber {
                print(pad(service.name, 18) + pad(spec, 12) + service.summary + aliases)
            } else {
                print(pad(spec, 12) + pad(service.name, 18) + service.summary + aliases)
            }
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
