// `door serve`: the main job — this host's applications, each on its port, with a dashboard.

import ArgumentParser
import Doorway
import DoorwayHost
import Logging
import ServiceLifecycle
import UnixSignals

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run this host's network applications on their ports until SIGINT or SIGTERM.",
        discussion: """
            Without --config it runs the defaults: the Web server, serving the data folder's public/ (made with
            a welcome page if missing); an SMTP mail catcher storing into mail/ (25 as root, else 2525) with
            POP3 (110, else 1110); a BitTorrent tracker (6969) and a seed for each torrent in torrents/ whose
            data lies beside it (6881 up); and the simple services (echo, discard, daytime, qotd, chargen,
            time) over TCP and UDP (their well-known ports as root, else 10000 plus those: echo 10007 …).

            The dashboard is at http://127.0.0.1:8099/_door/, its JSON API under /_door/api/, and Prometheus
            metrics at /metrics; that admin endpoint listens on loopback only unless configured otherwise.

            Start from `door serve --print-config > door.toml`. SIGHUP re-reads the configuration: changed
            services restart, unchanged ones keep their connections. Exit status: 2 for a configuration error,
            1 when a service cannot start (unless --keep-going).
            """
    )

    @Option(name: .customLong("config"), help: ArgumentHelp("A TOML configuration.", valueName: "FILE"))
    var configFile: String?

    @Option(
        name: .customLong("data"),
        help: ArgumentHelp("The data folder (default: the configuration's, else door-data).", valueName: "DIR"))
    var dataFolder: String?

    @Option(help: "The address the default services bind (default: every interface); ignored with --config.")
    var address: String = ""

    @Option(
        help: ArgumentHelp(
            "Where the dashboard, API and metrics listen (default 127.0.0.1:8099).", valueName: "ENDPOINT"))
    var admin: String?

    @Flag(help: "Print the effective configuration, commented, and exit.")
    var printConfig = false

    @Flag(help: "Run the services that can start when others cannot (a port in use), reporting those as failed.")
    var keepGoing = false

    @Option(name: .customLong("grace"), help: "Seconds in-flight connections get to finish at shutdown.")
    var gracePeriod: Double = 5

    func run() async throws {
        let configuration: HostConfiguration
        do {
            configuration = try loadConfiguration()
        } catch {
            throw fail(error.description, code: 2)
        }
        if printConfig {
            printNow(configuration.rendered())
            return
        }
        let load: @Sendable () throws -> HostConfiguration = { [self] in try self.loadConfiguration() }
        let host = HostService(
            configuration: configuration, keepGoing: keepGoing, gracePeriod: .milliseconds(Int64(gracePeriod * 1000)),
            reloadConfiguration: configFile == nil ? nil : load,
            events: { event in await Self.report(event) }, logger: .door("door.serve"))
        var logger = Logger(label: "door.serve")
        logger.logLevel = .warning
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: host)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as HostError {
            throw fail(error.description)
        }
    }

    /// The configuration file (or the defaults) with the command line's overrides.
    private func loadConfiguration() throws(ConfigurationError) -> HostConfiguration {
        let plan = PortPlan.current
        var configuration: HostConfiguration
        if let configFile {
            configuration = try HostConfiguration.load(file: configFile, plan: plan)
        } else {
            do {
                configuration = HostConfiguration.defaults(plan: plan, address: try Host(parsing: address))
            } catch {
                throw ConfigurationError(
                    file: "the command line", key: "--address", message: "\(error)",
                    fix: "write --address 0.0.0.0 or leave it out")
            }
        }
        if let dataFolder { configuration.dataFolder = dataFolder }
        if let admin {
            do {
                configuration.admin.listen = try Endpoint(parsing: admin)
            } catch {
                throw ConfigurationError(
                    file: "the command line", key: "--admin", message: "\(error)", fix: "write --admin 127.0.0.1:8099")
            }
            try configuration.checkPortConflicts(
                source: configFile.map { "\($0) with --admin \(admin)" } ?? "--admin \(admin)")
        }
        return configuration
    }

    private static func report(_ event: HostService.Event) async {
        switch event {
        case .started(let host):
            printNow(await host.table())
            if let admin = host.adminEndpoint { printNow("dashboard: http://\(admin)/_door/") }
        case .reloaded(let reload, let host):
            var parts: [String] = []
            if !reload.started.isEmpty { parts.append("started \(reload.started.joined(separator: ", "))") }
            if !reload.restarted.isEmpty { parts.append("restarted \(reload.restarted.joined(separator: ", "))") }
            if !reload.stopped.isEmpty { parts.append("stopped \(reload.stopped.joined(separator: ", "))") }
            parts.append("\(reload.unchanged.count) unchanged")
            printError("door: SIGHUP, configuration reloaded: " + parts.joined(separator: "; "))
            for failure in reload.failed { printError("door: cannot start \(failure.name): \(failure.problem)") }
            if !reload.kept.isEmpty {
                printError(
                    "door: \(reload.kept.joined(separator: " and ")) changed, but keep their values until door serve restarts"
                )
            }
            printNow(await host.table())
        case .reloadFailed(let problem):
            printError("door: SIGHUP, configuration not reloaded, the old one goes on: \(problem)")
        case .stopping:
            printError("door: shutting down")
        }
    }
}
