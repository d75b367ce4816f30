// One connection to a remote peer as the swarm keeps it: what each side has told the other, and the counters.

import NIOCore

/// What we know about one connected peer, and what each side has told the other. Lives on the torrent's
/// event loop, like everything of ``Swarm``.
final class PeerLink {
    let key: PeerKey
    let channel: any Channel
    let address: String
    var peerID: [UInt8] = []
    var bitfield: Bitfield
    var fastExtension = false
    /// Whether we refuse to upload to them, and they to us (both start choked, BEP 3).
    var amChoking = true
    var peerChoking = true
    var amInterested = false
    var peerInterested = false
    /// Blocks we asked them for and have not received.
    var outstanding = Set<BlockRequest>()
    /// Their requests we are serving, and how many disk reads are under way for them.
    var queued: [BlockRequest] = []
    var readsInFlight = 0
    /// Payload bytes in each direction: since the last choking round, and in all.
    var downloadedSinceTick = 0
    var uploadedSinceTick = 0
    var downloadRate: Double = 0
    var uploadRate: Double = 0
    var downloaded = 0
    var uploaded = 0
    let connectedAt: NIODeadline
    var lastReceived: NIODeadline

    init(key: PeerKey, channel: any Channel, address: String, pieceCount: Int, connectedAt: NIODeadline) {
        self.key = key
        self.channel = channel
        self.address = address
        bitfield = Bitfield(count: pieceCount)
        self.connectedAt = connectedAt
        lastReceived = connectedAt
    }

    /// This connection as the choking rounds see it.
    var roundPeer: ChokingRounds.Peer {
        ChokingRounds.Peer(
            key: key, isInterested: peerInterested, connectedAt: connectedAt, lastReceived: lastReceived,
            downloadedSinceRound: downloadedSinceTick, uploadedSinceRound: uploadedSinceTick,
            downloadRate: downloadRate, uploadRate: uploadRate)
    }

    func send(_ message: PeerMessage) {
        channel.write(ByteBuffer(bytes: message.bytes), promise: nil)
    }

    func send(_ messages: [PeerMessage]) {
        guard !messages.isEmpty else { return }
        var buffer = channel.allocator.buffer(capacity: messages.count * 17)
        for message in messages { buffer.writeBytes(message.bytes) }
        channel.write(buffer, promise: nil)
    }

    func flush() {
        channel.flush()
    }
}
