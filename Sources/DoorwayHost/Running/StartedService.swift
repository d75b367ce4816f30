// One configured service once started: its servers, or why it did not start.

import Doorway
import DoorwayHTTP
import DoorwayTorrent
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A service of the host, started: a server for each endpoint and transport it listens on (or, for a seed,
/// a peer for each torrent), or the reason it is not running.
final class StartedService: Sendable {
    let configuration: ServiceConfiguration
    /// The kind shown in tables: the configured kind, or `admin` for the admin endpoint.
    let kind: String
    let servers: [Server]
    let seeds: HostSeeds?
    let problem: String?
    /// Work after the servers close, such as stopping a mail store's threads.
    private let finish: @Sendable () async -> Void

    init(
        configuration: ServiceConfiguration, kind: String? = nil, servers: [Server] = [], seeds: HostSeeds? = nil,
        problem: String? = nil, finish: @escaping @Sendable () async -> Void = {}
    ) {
        self.configuration = configuration
        self.kind = kind ?? configuration.kind.rawValue
        self.servers = servers
        self.seeds = seeds
        self.problem = problem
        self.finish = finish
    }

    /// Starts `service`, with paths relative to `host`'s data folder. Never throws: a service that cannot
    /// start comes back with its ``problem`` and nothing left bound.
    static func launch(
        _ service: ServiceConfiguration, in host: HostConfiguration, logger: Logger
    ) async
        -> StartedService
    {
        _ = mkdir(host.dataFolder, 0o755)
        do {
            return try await service.kind.definition.launch(service, in: host, logger: logger)
        } catch {
            return StartedService(configuration: service, problem: "\(error)")
        }
    }

    /// Starts the admin endpoint, reading from `source`.
    static func launchAdmin(_ admin: AdminConfiguration, source: any HostStatusSource) async -> StartedService {
        let server = AdminServer(source: source, token: admin.token)
        let service = ServiceConfiguration(
            name: "admin", kind: .web, listen: [admin.listen], transports: [.tcp],
            maximumConnections: server.maximumConnections)
        do {
            return try await bind(
                service, kind: "admin", parameters: server.parameters, initializer: server.initializer)
        } catch {
            return StartedService(configuration: service, kind: "admin", problem: "\(error)")
        }
    }

    static func bind(
        _ service: ServiceConfiguration, kind: String? = nil, parameters: TransportParameters? = nil,
        initializer: @escaping Server.Initializer, finish: @escaping @Sendable () async -> Void = {}
    ) async throws -> StartedService {
        try await bind(service, kind: kind, parameters: parameters, finish: finish) { _ in initializer }
    }

    /// Binds every endpoint over every transport, with `parameters` in place of the configured ones if given;
    /// on a failure closes what was bound and throws.
    static func bind(
        _ service: ServiceConfiguration, kind: String? = nil, parameters: TransportParameters? = nil,
        finish: @escaping @Sendable () async -> Void = {},
        initializer: (Transport) -> Server.Initializer
    ) async throws -> StartedService {
        var servers: [Server] = []
        do {
            for (endpoint, transport) in service.bindings {
                servers.append(
                    try await Server.bind(
                        endpoint, transport: transport, parameters: parameters ?? service.parameters,
                        maximumConnections: transport == .udp ? nil : service.maximumConnections,
                        service: service.name, initializer: initializer(transport)))
            }
        } catch {
            for server in servers { await server.shutdown(gracePeriod: .zero) }
            await finish()
            throw error
        }
        return StartedService(configuration: service, kind: kind, servers: servers, finish: finish)
    }

    func stop(gracePeriod: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { await server.shutdown(gracePeriod: gracePeriod) } }
        }
        await seeds?.stop()
        await finish()
    }

    /// One row per endpoint and transport (a seed: one per torrent).
    func statuses() async -> [ServiceStatus] {
        if let problem {
            return configuration.bindings.map { binding in
                ServiceStatus(
                    name: configuration.name, kind: kind, transport: binding.transport.rawValue,
                    endpoint: binding.endpoint.description, state: "failed", problem: problem)
            }
        }
        if let seeds {
            var rows: [ServiceStatus] = []
            for seed in seeds.seeds {
                let progress = try? await seed.peer.progress
                rows.append(
                    ServiceStatus(
                        name: configuration.name, kind: kind, transport: "tcp", endpoint: seed.endpoint.description,
                        state: "running", activeConnections: progress?.peers ?? 0,
                        totalConnections: progress?.peers ?? 0, bytesIn: progress?.downloaded ?? 0,
                        bytesOut: progress?.uploaded ?? 0))
            }
            if rows.isEmpty, let first = configuration.listen.first {
                rows.append(
                    ServiceStatus(
                        name: configuration.name, kind: kind, transport: "tcp", endpoint: first.description,
                        state: "idle"))
            }
            return rows
        }
        return servers.map { server in
            let counts = server.statistics.snapshot
            return ServiceStatus(
                name: configuration.name, kind: kind, transport: server.transport.rawValue,
                endpoint: server.localEndpoint.description, state: "running",
                activeConnections: counts.activeConnections, totalConnections: counts.totalConnections,
                bytesIn: counts.bytesIn, bytesOut: counts.bytesOut, errors: counts.errors)
        }
    }

    func torrentStatuses() async -> [TorrentStatus] {
        guard let seeds else { return [] }
        var rows: [TorrentStatus] = []
        for seed in seeds.seeds {
            guard let progress = try? await seed.peer.progress else { continue }
            let metainfo = seed.peer.metainfo
            rows.append(
                TorrentStatus(
                    torrent: seed.torrent, name: metainfo.name, infoHash: metainfo.infoHash.description,
                    endpoint: seed.endpoint.description, totalBytes: progress.totalBytes,
                    bytesHave: progress.bytesHave, piecesHave: progress.piecesHave, pieceCount: progress.pieceCount,
                    peers: progress.peers, uploaded: progress.uploaded, downloaded: progress.downloaded,
                    uploadRate: progress.uploadRate, downloadRate: progress.downloadRate,
                    bannedPeers: progress.bannedPeers))
        }
        return rows
    }
}

extension ServiceConfiguration {
    /// The folder of Maildirs this service stores into or reads from, if it is a mail service.
    func mailStore(in dataFolder: String) -> String? {
        kind.definition.mailStore(of: settings).map { HostConfiguration.path($0, in: dataFolder) }
    }
}
