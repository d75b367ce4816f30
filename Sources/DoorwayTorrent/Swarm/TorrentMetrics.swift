// Pieces verified and failed, and peers banned, through swift-metrics.

import Metrics

/// Counters labelled with the torrent's info-hash:
/// `door_torrent_pieces_verified_total`, `door_torrent_pieces_failed_total` (a piece whose SHA-1 did not
/// match) and `door_torrent_peers_banned_total`.
struct TorrentMetrics: Sendable {
    private let verified: Counter
    private let failed: Counter
    private let banned: Counter

    init(infoHash: InfoHash) {
        let labels = [("torrent", infoHash.description)]
        verified = Counter(label: "door_torrent_pieces_verified_total", dimensions: labels)
        failed = Counter(label: "door_torrent_pieces_failed_total", dimensions: labels)
        banned = Counter(label: "door_torrent_peers_banned_total", dimensions: labels)
    }

    func pieceVerified() { verified.increment() }
    func pieceFailed() { failed.increment() }
    func peerBanned() { banned.increment() }
}
