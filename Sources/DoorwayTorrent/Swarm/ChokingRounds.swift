// What each periodic choking round of a swarm decides: rates, snubbed peers, keep-alives and who is unchoked.
// Pure, with the time passed in, so rounds are tested with a simulated clock instead of waiting.

import NIOCore

/// The swarm's periodic round (every 10 s), pure: the caller lists its connections with their counters and the
/// time, and carries out the returned ``Round``.
///
/// Each round measures every peer's rates over the round, snubs the peers that sent nothing at all (not even a
/// keep-alive) for ``snubInterval``, sends keep-alives every ``keepAliveRounds``-th round, and runs the
/// ``Choker`` over the others; peers connected within ``newPeerWindow`` count as new in its optimistic draw.
///
/// ```swift
/// var rounds = ChokingRounds(interval: .seconds(10), uploadSlots: 4, seed: seed)
/// // every 10 s:
/// let round = rounds.round(connections.map(\.roundPeer), at: clock(), seeding: picker.isComplete)
/// for key in round.snubbed { disconnect(key) }
/// // when an interested peer finds a free slot between rounds:
/// let unchoked = rounds.refresh(connections.map(\.roundPeer), at: clock(), seeding: picker.isComplete)
/// ```
struct ChokingRounds {
    /// A peer that has sent nothing for longer than this is snubbed: the swarm drops it.
    static let snubInterval = TimeAmount.minutes(3)
    /// Keep-alives go out on every this-many-th round (90 s at 10 s, within the 2 minutes peers allow).
    static let keepAliveRounds = 9
    /// A peer connected for less than this is new, and three times as likely to get the optimistic unchoke.
    static let newPeerWindow = TimeAmount.seconds(60)

    /// One connection as a round sees it.
    struct Peer {
        var key: PeerKey
        var isInterested: Bool
        var connectedAt: NIODeadline
        /// When the peer last sent anything.
        var lastReceived: NIODeadline
        /// Payload bytes each way since the last round: a round's rates.
        var downloadedSinceRound = 0
        var uploadedSinceRound = 0
        /// The rates the last round measured: what ``ChokingRounds/refresh(_:at:seeding:)`` ranks by.
        var downloadRate: Double = 0
        var uploadRate: Double = 0
    }

    /// What one round decided.
    struct Round {
        /// Every listed peer's rates over the round just ended, in bytes per second.
        var rates: [PeerKey: (download: Double, upload: Double)]
        /// Peers silent for longer than ``ChokingRounds/snubInterval``: drop them, before anything else is sent.
        var snubbed: Set<PeerKey>
        /// Whether the peers not snubbed get a keep-alive this round.
        var sendsKeepAlives: Bool
        /// The peers to have unchoked from now on; every other remaining peer is choked.
        var unchoked: Set<PeerKey>
    }

    let interval: TimeAmount
    /// Rounds run so far.
    private(set) var count = 0
    private var choker: Choker

    init(interval: TimeAmount, uploadSlots: Int, seed: UInt64) {
        self.interval = interval
        choker = Choker(uploadSlots: uploadSlots, seed: seed)
    }

    /// The periodic round at time `now`; every third one also rotates the optimistic unchoke (see ``Choker``).
    mutating func round(_ peers: [Peer], at now: NIODeadline, seeding: Bool) -> Round {
        count += 1
        let seconds = Double(interval.nanoseconds) / 1e9
        var round = Round(rates: [:], snubbed: [], sendsKeepAlives: count % Self.keepAliveRounds == 0, unchoked: [])
        var remaining: [Peer] = []
        for var peer in peers {
            peer.downloadRate = Double(peer.downloadedSinceRound) / seconds
            peer.uploadRate = Double(peer.uploadedSinceRound) / seconds
            round.rates[peer.key] = (peer.downloadRate, peer.uploadRate)
            if Self.isSnubbed(peer, at: now) {
                round.snubbed.insert(peer.key)
            } else {
                remaining.append(peer)
            }
        }
        round.unchoked = choker.recompute(peers: Self.chokerPeers(remaining, at: now), seeding: seeding)
        return round
    }

    /// The same choice between rounds, after a peer came or became interested, without advancing the rotation.
    mutating func refresh(_ peers: [Peer], at now: NIODeadline, seeding: Bool) -> Set<PeerKey> {
        choker.refresh(peers: Self.chokerPeers(peers, at: now), seeding: seeding)
    }

    /// Whether an interested peer we choke may take a slot now rather than wait for the next round.
    func hasFreeSlot(unchokedCount: Int) -> Bool {
        unchokedCount < choker.uploadSlots
    }

    static func isSnubbed(_ peer: Peer, at now: NIODeadline) -> Bool {
        now - peer.lastReceived > snubInterval
    }

    static func chokerPeers(_ peers: [Peer], at now: NIODeadline) -> [ChokerPeer] {
        peers.map { peer in
            ChokerPeer(
                key: peer.key, isInterested: peer.isInterested, downloadRate: peer.downloadRate,
                uploadRate: peer.uploadRate, connectedRecently: now - peer.connectedAt < newPeerWindow)
        }
    }
}
