// `door status`: what a running `door serve` runs, from its admin endpoint.

import ArgumentParser
import Doorway
import DoorwayHost

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the services of a running door serve: endpoint, state, connections and bytes.",
        discussion: "Reads the admin endpoint's JSON API (GET /_door/api/services)."
    )

    @Option(help: ArgumentHelp("The admin endpoint of door serve.", valueName: "ENDPOINT"))
    var admin = "127.0.0.1:8099"

    @Option(help: "The admin token, when the admin endpoint has one.")
    var token: String?

    @Flag(help: "Print the API's JSON as it is.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let endpoint = try Endpoint(parsing: admin)
            let client = AdminClient(admin: endpoint, token: token)
            do {
                if json {
                    printNow(String(decoding: try await client.json("/_door/api/services"), as: UTF8.self))
                    return
                }
                let rows = try await client.services().map { status in
                    [
                        status.name, status.kind, status.transport, status.endpoint,
                        status.problem.map { "failed: \($0)" } ?? status.state, "\(status.activeConnections)",
                        "\(status.totalConnections)", "\(status.bytesIn)", "\(status.bytesOut)", "\(status.errors)",
                    ]
                }
                printNow(
                    ServiceTable.render(
                        header: [
                            "SERVICE", "KIND", "TRANSPORT", "ENDPOINT", "STATE", "ACTIVE", "TOTAL", "IN", "OUT",
                            "ERRORS",
                        ],
                        rows: rows))
            } catch let error as HostError {
                throw fail(error.description)
            } catch {
                throw fail(
                    "cannot reach door serve's admin endpoint \(admin): \(error); is door serve running, with --admin \(admin)?"
                )
            }
        }
    }
}
