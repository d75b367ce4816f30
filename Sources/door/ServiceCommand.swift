// `door service`: one simple service.

import ArgumentParser
import Doorway
import DoorwayHost
import DoorwayServices

struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Run one simple service: echo, discard, chargen, qotd, daytime or time.",
        discussion: "door service echo --listen 127.0.0.1:7007 --udp"
    )

    @Argument(help: "echo, discard, chargen, qotd, daytime or time.")
    var name: String

    @Option(help: "Where to listen (default: every interface, on the service's port as root, else 10000 + it).")
    var listen: String?

    @Flag(help: "Serve over UDP instead of TCP.")
    var udp = false

    @Option(name: .customLong("max-conns"), help: "Connections served at once (TCP).")
    var maximumConnections: Int = 256

    func run() async throws {
        try await reportingErrors {
            guard let service = SimpleService(rawValue: name.lowercased()) else {
                throw fail(
                    "unknown service \"\(name)\"; choose one of \(SimpleService.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let transport: Transport = udp ? .udp : .tcp
            let endpoint =
                try listen.map { try Endpoint(parsing: $0, transport: transport) }
                ?? .host(.any, port: PortPlan.current.port(for: service))
            let server = try await Server.bind(
                endpoint, transport: transport, maximumConnections: udp ? nil : maximumConnections,
                initializer: service.initializer(transport: transport)
            )
            printNow("\(service) (RFC \(service.rfc)) on \(server.localEndpoint) (\(server.transport))")
            await serveUntilSignalled([server], gracePeriod: .seconds(5), announcing: false)
        }
    }
}
