// What the choker needs to know about one connection; the caller measures the rates.

/// A peer as seen by `Choker.recompute(peers:seeding:)`.
public struct ChokerPeer: Sendable, Equatable {
    public var key: PeerKey
    /// Whether the peer told us `interested`; only interested peers take upload slots.
    public var isInterested: Bool
    /// Bytes per second the peer sends us (its upload, our download), over the last ~20 s.
    public var downloadRate: Double
    /// Bytes per second we send the peer, over the last ~20 s.
    public var uploadRate: Double
    /// Connected within the last minute or so: such peers are three times as likely to get the optimistic unchoke,
    /// since they have nothing yet to reciprocate with.
    public var connectedRecently: Bool

    public init(key: PeerKey, isInterested: Bool, downloadRate: Double, uploadRate: Double, connectedRecently: Bool) {
        self.key = key
        self.isInterested = isInterested
        self.downloadRate = downloadRate
        self.uploadRate = uploadRate
        self.connectedRecently = connectedRecently
    }
}
