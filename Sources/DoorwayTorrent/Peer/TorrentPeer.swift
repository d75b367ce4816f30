// This process as a peer of one torrent: a server when it uploads, a client when it downloads.

import Doorway
import DoorwayHTTP
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Downloads and seeds one torrent.
///
/// ```swift
/// let peer = TorrentPeer(metainfo: metainfo, root: "downloads")
/// try await peer.start(verifying: { done, total in print(done, "/", total) })
/// try await peer.waitUntilComplete()     // every piece SHA-1 verified and written
/// await peer.stop()                      // tells the tracker, closes every connection
/// ```
///
/// It waits for peers on its listen endpoint and connects to the peers its trackers name. All of a
/// torrent's connections share one event loop with its `Swarm`; disk I/O and hashing run on a thread pool.
public final class TorrentPeer: Sendable {
    public struct Configuration: Sendable {
        /// Where other peers connect to us (default: any address, port 6881 as BitTorrent customarily uses).
        public var listen: Endpoint = .host(.any, port: Port(6881))
        public var maximumPeers = 50
        /// Peers we upload to at once, besides the optimistic unchoke (BEP 3's choking: 4).
        public var uploadSlots = 4
        /// Requests a peer may queue with us before it is dropped.
        public var maximumQueuedRequests = 500
        /// Extra trackers to the torrent's own, and whether to use the torrent's.
        public var trackers: [String] = []
        /// Peers to connect to directly, as `host:port` (tests, and trackerless use).
        public var peers: [Endpoint] = []
        /// Seconds between choking rounds.
        public var tickInterval: Duration = .seconds(10)
        /// Threads for disk reads, writes and hashing.
        public var storageThreads = 4

        public init() {}
    }

    /// How far the torrent is, for a progress display.
    public struct Progress: Sendable, Equatable {
        public var piecesHave: Int
        public var pieceCount: Int
        public var bytesHave: Int64
        public var totalBytes: Int64
        public var peers: Int
        /// Payload bytes since start.
        public var downloaded: Int
        public var uploaded: Int
        /// Bytes per second over the last choking round.
        public var downloadRate: Double
        public var uploadRate: Double
        public var corruptPieces: Int
        public var bannedPeers: Int

        public var isComplete: Bool { piecesHave == pieceCount }
    }

    public let metainfo: Metainfo
    public let storage: TorrentStorage
    public let configuration: Configuration
    public let peerID: [UInt8]
    private let loop: any EventLoop
    private let threads: NIOThreadPool
    private let state: NIOLoopBoundBox<Running?>
    private let logger: Logger

    /// What exists once started.
    final class Running {
        let swarm: Swarm
        var server: Server?
        var timer: RepeatedTask?
        var announcer: Task<Void, Never>?

        init(swarm: Swarm) {
            self.swarm = swarm
        }
    }

    /// - Parameters:
    ///   - metainfo: the torrent to download and seed.
    ///   - root: the folder that holds the torrent's file or folder (see ``TorrentStorage``).
    ///   - writable: false to seed files that must not be changed.
    ///   - configuration: where to listen, how many peers and upload slots, extra trackers and peers.
    ///   - group: the event loop group that one loop is taken from for all of this torrent's connections.
    ///   - logger: where peer and tracker events are reported (by default, nowhere).
    public init(
        metainfo: Metainfo, root: String, writable: Bool = true, configuration: Configuration = Configuration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "doorway.torrent", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.metainfo = metainfo
        storage = TorrentStorage(metainfo: metainfo, root: root, writable: writable)
        self.configuration = configuration
        // Azureus-style: -DW0001- and 12 random bytes.
        var generator = SystemRandomNumberGenerator()
        peerID = Array("-DW0001-".utf8) + (0..<12).map { _ in UInt8.random(in: 0x30...0x7A, using: &generator) }
        loop = group.next()
        threads = NIOThreadPool(numberOfThreads: max(1, configuration.storageThreads))
        threads.start()
        state = NIOLoopBoundBox.makeEmptyBox(valueType: Running.self, eventLoop: loop)
        self.logger = logger
    }

    /// Prepares the files, verifies what is already there (`verifying` is told pieces checked so far), starts
    /// waiting for peers, announces to the trackers and connects to the peers they name.
    public func start(verifying: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws {
        let fresh = try await threads.runIfActive { [storage] in try storage.prepare() }
        let have = try await TorrentVerifier.verify(
            storage: storage, skipping: fresh, threads: threads, progress: verifying)
        let swarm = try await loop.submit { [self] in
            let swarm = Swarm(
                metainfo: metainfo, storage: storage, have: have, peerID: peerID, loop: loop, storageThreads: threads,
                configuration: configuration, logger: logger)
            state.value = Running(swarm: swarm)
            return NIOLoopBound(swarm, eventLoop: loop)
        }.get()
        let server = try await Server.bind(
            configuration.listen, transport: .tcp, maximumConnections: configuration.maximumPeers, group: loop,
            initializer: Self.initializer(swarm))
        try await loop.submit { [self] in
            let running = state.value!
            running.server = server
            running.timer = loop.scheduleRepeatedTask(
                initialDelay: TimeAmount(configuration.tickInterval), delay: TimeAmount(configuration.tickInterval)
            ) { _ in swarm.value.tick() }
        }.get()
        for endpoint in configuration.peers { connect(to: endpoint) }
        let trackers = configuration.trackers + metainfo.trackers
        if !trackers.isEmpty {
            let announcer = Task { await announce(to: trackers, port: server.localEndpoint.port?.rawValue ?? 0) }
            try await loop.submit { [self] in state.value?.announcer = announcer }.get()
        }
    }

    /// The endpoint we listen on, once started.
    public var listenEndpoint: Endpoint? {
        get async { try? await loop.submit { [self] in state.value?.server?.localEndpoint }.get() }
    }

    public var progress: Progress {
        get async throws {
            try await loop.submit { [self] () -> Progress in
                guard let running = state.value else { throw TorrentPeerError("not started") }
                return running.swarm.snapshot
            }.get()
        }
    }

    /// Returns once every piece is verified and written; throws if the download cannot go on (a full disk).
    /// Cancelling the waiting task ends the wait with `CancellationError` (the download goes on).
    public func waitUntilComplete() async throws {
        let loop = self.loop
        let (waiting, cancel) = try await loop.submit {
            [self] () -> (EventLoopFuture<Void>, NIOLoopBound<() -> Void>) in
            guard let running = state.value else { throw TorrentPeerError("not started") }
            // A promise of our own, so a cancelled wait can end without touching the swarm's.
            let promise = loop.makePromise(of: Void.self)
            let settled = NIOLoopBoundBox(false, eventLoop: loop)
            running.swarm.whenComplete().whenComplete { result in
                guard !settled.value else { return }
                settled.value = true
                promise.completeWith(result)
            }
            let cancel = {
                guard !settled.value else { return }
                settled.value = true
                promise.fail(CancellationError())
            }
            return (promise.futureResult, NIOLoopBound(cancel, eventLoop: loop))
        }.get()
        try await withTaskCancellationHandler {
            try await waiting.get()
        } onCancel: {
            loop.execute { cancel.value() }
        }
    }

    /// Connects to a peer at `endpoint` (they will get our handshake at once).
    public func connect(to endpoint: Endpoint) {
        let loop = self.loop
        let client = Client(parameters: TransportParameters(noDelay: true, connectTimeout: .seconds(10)), group: loop)
        let state = self.state
        Task { [logger] in
            do {
                let swarm = try await loop.submit { () -> NIOLoopBound<Swarm>? in
                    state.value.map { NIOLoopBound($0.swarm, eventLoop: loop) }
                }.get()
                guard let swarm else { return }
                _ = try await client.connect(to: endpoint, initializer: Self.initializer(swarm))
            } catch {
                logger.info("peer \(endpoint): \(error)")
            }
        }
    }

    /// Tells the trackers we leave, closes every connection and stops listening.
    public func stop() async {
        let running = try? await loop.submit { [self] () -> (Server?, Task<Void, Never>?) in
            guard let running = state.value else { return (nil, nil) }
            running.timer?.cancel()
            running.swarm.closeAll()
            return (running.server, running.announcer)
        }.get()
        if let announcer = running?.1 {
            announcer.cancel()
            // The goodbye (`event=stopped`) gets a few seconds; a tracker that does not answer is not waited for.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await announcer.value }
                group.addTask { try? await Task.sleep(for: .seconds(3)) }
                await group.next()
                group.cancelAll()
            }
        }
        await running?.0?.shutdown(gracePeriod: .zero)
        try? await threads.shutdownGracefully()
    }

    private static func initializer(_ swarm: NIOLoopBound<Swarm>) -> Server.Initializer {
        { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(PeerChannelHandler(swarm: swarm.value))
            }
        }
    }

    // MARK: Trackers

    /// Announces `started`, then again at each interval, `completed` when done, `stopped` when cancelled.
    private func announce(to trackers: [String], port: UInt16) async {
        let http = HTTPClient(timeout: .seconds(30))
        defer { Task { await http.shutdown() } }
        var event = AnnounceRequest.Event.started
        var reportedComplete = (try? await progress.isComplete) ?? false
        var failures = 0
        while !Task.isCancelled {
            var interval = 1800
            var answered = false
            let progress = try? await self.progress
            for tracker in trackers {
                let request = AnnounceRequest(
                    infoHash: metainfo.infoHash.bytes, peerID: peerID, port: port,
                    uploaded: Int64(progress?.uploaded ?? 0), downloaded: Int64(progress?.downloaded ?? 0),
                    left: (progress.map { $0.totalBytes - $0.bytesHave }) ?? metainfo.totalLength, event: event)
                do {
                    let answer = try await TrackerClient.announce(request, to: tracker, using: http)
                    interval = max(30, min(interval, answer.interval))
                    answered = true
                    // A peer we already have, or ourselves, is dropped after its handshake (same peer id).
                    for peer in answer.peers { connect(to: peer) }
                } catch {
                    logger.warning("tracker \(tracker): \(error)")
                }
            }
            if answered {
                failures = 0
                event = .none
            } else {
                // No tracker answered (one starting up beside us, a network still coming up): try again
                // soon, backing off 10 s, 20 s, 40 s … up to the usual interval, and keep the event.
                interval = min(interval, 10 << min(failures, 8))
                failures += 1
            }
            // Wake early to report completion.
            var waited = 0
            while waited < interval && !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                waited += 1
                if !reportedComplete, (try? await self.progress.isComplete) == true {
                    reportedComplete = true
                    event = .completed
                    break
                }
            }
        }
        // Cancelled: say goodbye, in a task of its own, since this one's cancellation would cancel the request.
        let left = (try? await self.progress).map { $0.totalBytes - $0.bytesHave } ?? metainfo.totalLength
        let goodbye = AnnounceRequest(
            infoHash: metainfo.infoHash.bytes, peerID: peerID, port: port, left: left, event: .stopped)
        await Task {
            for tracker in trackers { _ = try? await TrackerClient.announce(goodbye, to: tracker, using: http) }
        }.value
    }
}

/// A peer-level failure: not started, or the download cannot go on.
public struct TorrentPeerError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
