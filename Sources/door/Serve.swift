// `door serve`: the main job — this host's applications, each on its port.

import ArgumentParser
import Doorway
import DoorwayHost
import DoorwayMail
import DoorwayTorrent
import DoorwayWeb
import UnixSignals

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run this host's network applications on their ports until SIGINT or SIGTERM.",
        discussion: """
            Runs the Web server, serving the data folder's public/ (made with a welcome page if missing), an
            SMTP mail catcher storing into the data folder's mail/ (25 as root, else 2525) with POP3 (110,
            else 1110), a BitTorrent tracker (6969) and a seed for each torrent in torrents/ whose data lies
            beside it (6881 up), and the simple services (echo, discard, chargen, qotd, daytime, time) over
            TCP and UDP. As root they
            take their well-known ports (web 80); otherwise web takes 8080 and each simple service port 10000
            plus its well-known one (echo 10007, discard 10009, daytime 10013, qotd 10017, chargen 10019,
            time 10037).
            """
    )

    @Option(help: "The address to bind (default: every interface).")
    var address: String = ""

    @Option(name: .customLong("data"), help: ArgumentHelp("The data folder; the Web serves its public/.", valueName: "DIR"))
    var dataFolder = "door-data"

    @Option(name: .customLong("grace"), help: "Seconds in-flight connections get to finish at shutdown.")
    var gracePeriod: Double = 5

    func run() async throws {
        try await reportingErrors {
            let host = try Host(parsing: address)
            let plan = PortPlan.current
            let web: HostedApplication
            let mail: [HostedApplication]
            do {
                web = try RunningHost.web(bindingTo: host, plan: plan, dataFolder: dataFolder)
                mail = try RunningHost.mail(bindingTo: host, plan: plan, dataFolder: dataFolder)
            } catch let error as HostError {
                throw fail(error.description)
            } catch let error as WebServerError {
                throw fail(error.description)
            } catch let error as MailStoreError {
                throw fail(error.description)
            }
            let running = try await RunningHost.start(
                [web] + mail + [RunningHost.tracker(bindingTo: host, plan: plan)]
                    + RunningHost.simpleServices(bindingTo: host, plan: plan)
            )
            printNow(running.table)
            let seeds = await HostSeeds.start(dataFolder: dataFolder, bindingTo: host, plan: plan, log: { printError("door: \($0)") })
            for seed in seeds.seeds { printNow("seed     tcp        \(seed.endpoint)  \(seed.torrent)") }
            for skipped in seeds.skipped { printError("door: not seeding \(skipped.torrent): \(skipped.reason)") }
            printNow(plan.privileged ? "(well-known ports: running as root)" : "(unprivileged ports: web 8080, smtp 2525, pop3 1110, the rest 10000 + well-known port; run as root for the well-known ones)")
            for await signal in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                printError("door: \(signal), shutting down")
                break
            }
            await seeds.stop()
            await running.shutdown(gracePeriod: .milliseconds(Int64(gracePeriod * 1000)))
        }
    }
}
