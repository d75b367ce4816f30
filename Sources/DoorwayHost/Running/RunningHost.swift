// One host's configured services, running: started together, reported on, reloaded and stopped.

import Doorway
import DoorwayMail
import DoorwayTorrent
import Logging
import Synchronization

/// The services of one host, started from a ``HostConfiguration``.
///
/// ```swift
/// let host = try await RunningHost.start(HostConfiguration.defaults(plan: .current))
/// print(await host.table())
/// await host.reload(try HostConfiguration.load(file: "door.toml", plan: .current))
/// await host.shutdown(gracePeriod: .seconds(5))
/// ```
///
/// Each service binds every endpoint it lists, over each of its transports. A service that cannot start
/// stops the whole start (the ones already bound are closed again) unless `keepGoing` is set, when it is
/// reported as failed and the others run.
public actor RunningHost: HostStatusSource {
    public private(set) var configuration: HostConfiguration
    private var started: [StartedService]
    private var admin: StartedService?
    // Copies of what `mailStore` and `adminEndpoint` read, so those can answer without awaiting the actor.
    private let store = Mutex<String?>(nil)
    private let boundAdmin = Mutex<Endpoint?>(nil)
    private let metrics: @Sendable () -> String
    private let logger: Logger

    /// A logger that drops every message, for a host nobody reads the log of.
    public static let silentLogger = Logger(label: "doorway.host") { _ in SwiftLogNoOpLogHandler() }

    private init(
        configuration: HostConfiguration, started: [StartedService], metrics: @escaping @Sendable () -> String,
        logger: Logger
    ) {
        self.configuration = configuration
        self.started = started
        self.metrics = metrics
        self.logger = logger
        store.withLock { $0 = Self.mailStore(of: configuration) }
    }

    /// Starts every service of `configuration`, and the admin endpoint unless `admin` is false.
    ///
    /// - Parameters:
    ///   - configuration: the services to start, with the data folder and the admin endpoint's settings.
    ///   - keepGoing: a service that cannot start is reported as failed instead of stopping the start.
    ///   - admin: false to start the services without the admin endpoint.
    ///   - metrics: the Prometheus text of every metric, for `/metrics`.
    ///   - logger: where the services report what happens (a seed's peers, a torrent that cannot be seeded).
    /// - Throws: ``HostError`` naming the service, its endpoint and the fix, when one cannot start and
    ///   `keepGoing` is false; nothing is left running then.
    public static func start(
        _ configuration: HostConfiguration, keepGoing: Bool = false, admin: Bool = true,
        metrics: @escaping @Sendable () -> String = { "" }, logger: Logger = silentLogger
    ) async throws(HostError) -> RunningHost {
        var started: [StartedService] = []
        for service in configuration.services {
            let launched = await StartedService.launch(service, in: configuration, logger: logger)
            if let problem = launched.problem, !keepGoing {
                for service in started { await service.stop(gracePeriod: .zero) }
                throw HostError(
                    "cannot start \(service.name): \(problem); free the port, change the configuration, or run with --keep-going"
                )
            }
            started.append(launched)
        }
        let host = RunningHost(configuration: configuration, started: started, metrics: metrics, logger: logger)
        guard admin else { return host }
        let adminService = await StartedService.launchAdmin(configuration.admin, source: host)
        if let problem = adminService.problem, !keepGoing {
            for service in started { await service.stop(gracePeriod: .zero) }
            throw HostError(
                "cannot start the admin endpoint: \(problem); set [admin] listen to a free port, or run with --keep-going"
            )
        }
        await host.attach(admin: adminService)
        return host
    }

    /// The configured services and the admin endpoint.
    private var everyService: [StartedService] { started + (admin.map { [$0] } ?? []) }

    private func attach(admin: StartedService) {
        self.admin = admin
        boundAdmin.withLock { $0 = admin.servers.first?.localEndpoint }
    }

    /// What changed between the running configuration and a new one, and what became of it.
    public struct Reload: Sendable {
        public var started: [String] = []
        public var stopped: [String] = []
        public var restarted: [String] = []
        public var unchanged: [String] = []
        /// Services of the new configuration that could not start, and why.
        public var failed: [(name: String, problem: String)] = []
        /// Settings that changed in the file but keep their running values until a restart: `data`,
        /// `[admin]`.
        public var kept: [String] = []
    }

    /// Moves to `new`: services that are gone stop, new ones start, changed ones restart, and unchanged ones
    /// keep running with their connections. Every service that goes stops before any starts, so two services
    /// can swap ports. The data folder and the admin endpoint keep their first values (see
    /// ``Reload/kept``).
    @discardableResult
    public func reload(_ new: HostConfiguration, gracePeriod: Duration = .seconds(5)) async -> Reload {
        let diff = new.changedServices(from: configuration)
        // A service that could not start is tried again, even when its configuration is the same.
        let failed = Set(started.filter { $0.problem != nil }.map(\.configuration.name))
        let kept = Set(diff.unchanged).subtracting(failed)
        var report = Reload()
        report.started = diff.added
        report.stopped = diff.removed
        report.restarted = diff.changed + diff.unchanged.filter(failed.contains)
        report.unchanged = diff.unchanged.filter(kept.contains)
        var running: [String: StartedService] = [:]
        for service in started {
            if kept.contains(service.configuration.name) {
                running[service.configuration.name] = service
            } else {
                await service.stop(gracePeriod: gracePeriod)
            }
        }
        var resolved = new
        resolved.dataFolder = configuration.dataFolder
        var next: [StartedService] = []
        for service in new.services {
            if let survivor = running[service.name] {
                next.append(survivor)
                continue
            }
            let launched = await StartedService.launch(service, in: resolved, logger: logger)
            if let problem = launched.problem { report.failed.append((service.name, problem)) }
            next.append(launched)
        }
        started = next
        if new.dataFolder != configuration.dataFolder { report.kept.append("data") }
        if new.admin != configuration.admin { report.kept.append("[admin]") }
        resolved.admin = configuration.admin
        configuration = resolved
        let store = Self.mailStore(of: configuration)
        self.store.withLock { $0 = store }
        return report
    }

    /// Stops every service, giving in-flight connections `gracePeriod` to finish.
    public func shutdown(gracePeriod: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            for service in everyService {
                group.addTask { await service.stop(gracePeriod: gracePeriod) }
            }
        }
        started = []
    }

    // MARK: - What it reports

    public func services() async -> [ServiceStatus] {
        var statuses: [ServiceStatus] = []
        for service in everyService {
            statuses += await service.statuses()
        }
        return statuses
    }

    public func torrents() async -> [TorrentStatus] {
        var torrents: [TorrentStatus] = []
        for service in started {
            torrents += await service.torrentStatuses()
        }
        return torrents
    }

    public nonisolated var mailStore: String? { store.withLock { $0 } }

    public nonisolated func metricsText() -> String { metrics() }

    /// The admin endpoint as bound, when it runs.
    public nonisolated var adminEndpoint: Endpoint? { boundAdmin.withLock { $0 } }

    /// A table of service, kind, transport, endpoint and state, one row per endpoint and transport.
    public func table() async -> String {
        let rows = await services().map { status in
            [
                status.name, status.kind, status.transport, status.endpoint,
                status.problem.map { "failed: \($0)" } ?? status.state,
            ]
        }
        return ServiceTable.render(header: ["SERVICE", "KIND", "TRANSPORT", "ENDPOINT", "STATE"], rows: rows)
    }

    private static func mailStore(of configuration: HostConfiguration) -> String? {
        configuration.services.lazy.compactMap { service in service.mailStore(in: configuration.dataFolder) }.first
    }
}

/// Text tables whose columns line up, as `door serve` and `door status` print them.
public enum ServiceTable {
    public static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in
            all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max()!
        }
        return all.map { row in
            row.indices.map { column in
                column == row.count - 1 ? row[column] : row[column].padding(toLength: widths[column] + 2)
            }.joined()
        }.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
