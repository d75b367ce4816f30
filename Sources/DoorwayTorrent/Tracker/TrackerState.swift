// An open tracker's memory: which peers are in which swarm, pure and bounded, with time passed in.

/// The swarms an HTTP tracker knows, keyed by info-hash.
///
/// ```swift
/// var state = TrackerState()
/// let answer = try state.announce(request, from: TrackerPeer.Address(ipv4: [192, 0, 2, 1]), now: 0)
/// ```
/// A peer that has not announced for ``TrackerState/Limits/peerLifetime`` seconds is dropped, as are swarms
/// left empty. The number of swarms and of peers per swarm is capped, so announces for made-up info-hashes
/// cannot fill memory.
public struct TrackerState: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Seconds between a client's announces (`interval`); 30 minutes, as opentracker.
        public var interval: Int = 1800
        /// Seconds after its last announce that a peer is forgotten: two intervals and a little.
        public var peerLifetime: Int = Limits.peerLifetime(interval: 1800)
        public var maximumSwarms: Int = 100_000
        public var maximumPeersPerSwarm: Int = 10_000

        public init() {}

        /// The peer lifetime for clients that announce every `interval` seconds: two intervals and a little.
        public static func peerLifetime(interval: Int) -> Int { 2 * interval + 60 }
    }

    struct Swarm: Sendable {
        var peers: [[UInt8]: TrackerPeer] = [:]
        /// Completed downloads seen (`event=completed`), for scrape's `downloaded`.
        var completed = 0
    }

    public let limits: Limits
    private(set) var swarms: [[UInt8]: Swarm] = [:]

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Records `request` from `address` at time `now` (seconds, any epoch) and answers with other peers.
    public mutating func announce(
        _ request: AnnounceRequest, from address: TrackerPeer.Address, now: Double
    )
        throws(TrackerFailure) -> AnnounceAnswer
    {
        expire(now: now)
        if swarms[request.infoHash] == nil {
            guard request.event != .stopped else {
                return AnnounceAnswer(interval: limits.interval, complete: 0, incomplete: 0, peers: [])
            }
            guard swarms.count < limits.maximumSwarms else {
                throw TrackerFailure("tracker is full: too many torrents")
            }
            swarms[request.infoHash] = Swarm()
        }
        var swarm = swarms[request.infoHash]!
        defer { swarms[request.infoHash] = swarm.peers.isEmpty ? nil : swarm }
        if request.event == .stopped {
            swarm.peers[request.peerID] = nil
            let (complete, incomplete) = Self.counts(swarm)
            return AnnounceAnswer(interval: limits.interval, complete: complete, incomplete: incomplete, peers: [])
        }
        if swarm.peers[request.peerID] == nil, swarm.peers.count >= limits.maximumPeersPerSwarm {
            throw TrackerFailure("tracker is full: too many peers in this torrent")
        }
        if request.event == .completed { swarm.completed += 1 }
        let peer = TrackerPeer(
            peerID: request.peerID, address: address, port: request.port, left: request.left, lastSeen: now)
        swarm.peers[request.peerID] = peer
        // Seeds need no other seeds; everyone else gets anyone. The order is random, so load spreads.
        var others = swarm.peers.values.filter { $0.peerID != request.peerID && !(request.left == 0 && $0.left == 0) }
        others.shuffle()
        let (complete, incomplete) = Self.counts(swarm)
        return AnnounceAnswer(
            interval: limits.interval, complete: complete, incomplete: incomplete,
            peers: Array(others.prefix(request.wanted)))
    }

    /// What scrape reports for each asked info-hash it knows (all of them when `infoHashes` is empty).
    public func scrape(
        _ infoHashes: [[UInt8]]
    ) -> [(infoHash: [UInt8], complete: Int, downloaded: Int, incomplete: Int)] {
        let keys = infoHashes.isEmpty ? Array(swarms.keys) : infoHashes
        return keys.compactMap { key in
            guard let swarm = swarms[key] else { return nil }
            let (complete, incomplete) = Self.counts(swarm)
            return (key, complete, swarm.completed, incomplete)
        }
    }

    /// Forgets peers silent for longer than the lifetime, and empty swarms.
    public mutating func expire(now: Double) {
        let oldest = now - Double(limits.peerLifetime)
        for key in Array(swarms.keys) {
            swarms[key]!.peers = swarms[key]!.peers.filter { $0.value.lastSeen >= oldest }
            if swarms[key]!.peers.isEmpty { swarms[key] = nil }
        }
    }

    public var swarmCount: Int { swarms.count }

    private static func counts(_ swarm: Swarm) -> (complete: Int, incomplete: Int) {
        let seeds = swarm.peers.values.filter { $0.left == 0 }.count
        return (seeds, swarm.peers.count - seeds)
    }
}

/// A peer as the tracker knows it.
public struct TrackerPeer: Sendable, Equatable {
    /// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
    public struct Address: Sendable, Hashable, CustomStringConvertible {
        public let bytes: [UInt8]

        public init(ipv4 bytes: [UInt8]) {
            precondition(bytes.count == 4)
            self.bytes = bytes
        }

        /// An IPv6 address; an IPv4-mapped one (`::ffff:a.b.c.d`) becomes IPv4.
        public init(ipv6 bytes: [UInt8]) {
            precondition(bytes.count == 16)
            let mapped = Array(repeating: UInt8(0), count: 10) + [0xFF, 0xFF]
            self.bytes = Array(bytes.prefix(12)) == mapped ? Array(bytes.suffix(4)) : bytes
        }

        public var isIPv4: Bool { bytes.count == 4 }

        public var description: String {
            if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
            return stride(from: 0, to: 16, by: 2).map {
                String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
            }
            .joined(separator: ":")
        }
    }

    public var peerID: [UInt8]
    public var address: Address
    public var port: UInt16
    public var left: Int64
    public var lastSeen: Double
}

/// The tracker's answer to one announce, before encoding.
public struct AnnounceAnswer: Sendable, Equatable {
    public var interval: Int
    /// Seeds and leechers in the swarm.
    public var complete: Int
    public var incomplete: Int
    public var peers: [TrackerPeer]
}
