// Which peers we upload to: tit-for-tat on the fastest peers plus one rotating optimistic unchoke (BEP 3, mainline).

import DoorwayBasics

/// The choking algorithm, pure: give it the peers every 10 seconds with `recompute`, and with `refresh` when peers
/// come, go or change interest in between; unchoke exactly the returned set.
///
/// Regular slots go to the `uploadSlots` interested peers with the best rate: the rate at which they upload to us
/// when leeching (reciprocation), the rate at which we upload to them when seeding (they can take the most, so the
/// torrent spreads fastest). One more slot, the optimistic unchoke, goes to a random interested peer among the
/// rest, newly connected peers weighted 3×; it rotates every third call (30 s), or sooner if its peer leaves,
/// loses interest or earns a regular slot. Peers that are not interested never take a slot.
///
/// ```swift
/// var choker = Choker(seed: seed)
/// // every 10 s:
/// let unchoked = choker.recompute(peers: connections.map(\.chokerPeer), seeding: picker.isComplete)
/// for connection in connections { connection.setChoked(!unchoked.contains(connection.key)) }
/// // when a peer connects, disconnects or changes interest:
/// let now = choker.refresh(peers: connections.map(\.chokerPeer), seeding: picker.isComplete)
/// ```
public struct Choker: Sendable {
    /// Weight of a recently connected peer in the optimistic draw, relative to 1 for the others.
    public static let newPeerWeight = 3
    /// The optimistic unchoke rotates on every this-many-th call.
    public static let optimisticRotationInterval = 3

    public let uploadSlots: Int
    /// The current optimistic unchoke, if any.
    public private(set) var optimisticUnchoke: PeerKey?

    private var random: SplitMix64
    private var calls = 0

    public init(uploadSlots: Int = 4, seed: UInt64) {
        precondition(uploadSlots >= 0, "Choker: negative upload slots")
        self.uploadSlots = uploadSlots
        self.random = SplitMix64(seed: seed)
    }

    /// The periodic (10 s) decision: the set of peers to have unchoked from now on; every other peer is choked.
    /// Every third call (30 s) moves the optimistic unchoke to another peer.
    public mutating func recompute(peers: [ChokerPeer], seeding: Bool) -> Set<PeerKey> {
        defer { calls += 1 }
        return decide(peers: peers, seeding: seeding, rotationDue: calls % Self.optimisticRotationInterval == 0)
    }

    /// The same decision between periodic calls, after a peer came, went or changed interest. It does not advance
    /// the 30-second rotation, so frequent peer changes do not rotate the optimistic unchoke early; a new
    /// optimistic peer is drawn only if the current one is gone, uninterested or now holds a regular slot.
    public mutating func refresh(peers: [ChokerPeer], seeding: Bool) -> Set<PeerKey> {
        decide(peers: peers, seeding: seeding, rotationDue: false)
    }

    private mutating func decide(peers: [ChokerPeer], seeding: Bool, rotationDue: Bool) -> Set<PeerKey> {
        let interested = peers.filter(\.isInterested)
        func rate(_ peer: ChokerPeer) -> Double {
            let value = seeding ? peer.uploadRate : peer.downloadRate
            return value.isNaN ? 0 : value
        }
        // Ties broken by key so the outcome does not depend on the order the caller lists peers in.
        let ranked = interested.sorted { rate($0) != rate($1) ? rate($0) > rate($1) : $0.key < $1.key }
        let regular = ranked.prefix(uploadSlots)
        var unchoked = Set(regular.map(\.key))
        let candidates = ranked.dropFirst(uploadSlots)

        let currentStillValid = candidates.contains { $0.key == optimisticUnchoke }
        if rotationDue || !currentStillValid {
            // Rotating means moving on: keep the current peer only when it is the sole candidate.
            let others = candidates.filter { $0.key != optimisticUnchoke }
            optimisticUnchoke = pickWeighted(others.isEmpty ? Array(candidates) : others)?.key
        }
        if let optimisticUnchoke { unchoked.insert(optimisticUnchoke) }
        return unchoked
    }

    private mutating func pickWeighted(_ peers: [ChokerPeer]) -> ChokerPeer? {
        let total = peers.reduce(0) { $0 + ($1.connectedRecently ? Self.newPeerWeight : 1) }
        guard total > 0 else { return nil }
        var draw = Int.random(in: 0..<total, using: &random)
        for peer in peers {
            draw -= peer.connectedRecently ? Self.newPeerWeight : 1
            if draw < 0 { return peer }
        }
        return nil
    }
}
