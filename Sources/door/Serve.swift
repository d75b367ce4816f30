// `door serve`: the main job — this host's applications, each on its port.

import ArgumentParser
import Doorway
import DoorwayHost
import UnixSignals

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run this host's network applications on their ports until SIGINT or SIGTERM.",
        discussion: """
            Runs the simple services (echo, discard, chargen, qotd, daytime, time) over TCP and UDP. As root
            they take their well-known ports; otherwise port 10000 plus the well-known one (echo 10007,
            discard 10009, daytime 10013, qotd 10017, chargen 10019, time 10037).
            """
    )

    @Option(help: "The address to bind (default: every interface).")
    var address: String = ""

    @Option(name: .customLong("grace"), help: "Seconds in-flight connections get to finish at shutdown.")
    var gracePeriod: Double = 5

    func run() async throws {
        try await reportingErrors {
            let host = try Host(parsing: address)
            let plan = PortPlan.current
            let running = try await RunningHost.start(RunningHost.simpleServices(bindingTo: host, plan: plan))
            printNow(running.table)
            printNow(plan.privileged ? "(well-known ports: running as root)" : "(unprivileged ports: 10000 + well-known port; run as root for the well-known ones)")
            for await signal in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                printError("door: \(signal), shutting down")
                break
            }
            await running.shutdown(gracePeriod: .milliseconds(Int64(gracePeriod * 1000)))
        }
    }
}
