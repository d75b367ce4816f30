// One connection to a remote peer: the handshake, then BEP 3 messages in both directions.

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

    init(key: PeerKey, channel: any Channel, address: String, pieceCount: Int) {
        self.key = key
        self.channel = channel
        self.address = address
        bitfield = Bitfield(count: pieceCount)
        connectedAt = .now()
        lastReceived = .now()
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

/// Reads a peer's handshake and messages and hands them to the swarm; writes go straight to the channel.
final class PeerChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let swarm: Swarm
    private var handshake: [UInt8] = []
    private var decoder: PeerMessageDecoder?
    private var link: PeerLink?

    init(swarm: Swarm) {
        self.swarm = swarm
    }

    func channelActive(context: ChannelHandlerContext) {
        // Both sides send their handshake at once; the listener knows the torrent already (one per listener).
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: swarm.handshake.bytes)), promise: nil)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let link { swarm.disconnected(link) }
        link = nil
        context.fireChannelInactive()
    }

    /// A peer that stops sending has left: BitTorrent has no use for half a connection.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if decoder == nil {
            let needed = PeerHandshake.length - handshake.count
            handshake += buffer.readBytes(length: min(needed, buffer.readableBytes)) ?? []
            guard handshake.count == PeerHandshake.length else { return }
            do {
                let theirs = try PeerHandshake(parsing: handshake[...])
                guard let link = swarm.connected(theirs, channel: context.channel) else {
                    context.close(promise: nil)
                    return
                }
                self.link = link
                decoder = PeerMessageDecoder(
                    pieceCount: swarm.metainfo.pieceCount, fastExtension: link.fastExtension)
            } catch {
                swarm.log("peer \(Self.address(context.channel)): \(error)")
                context.close(promise: nil)
                return
            }
        }
        guard let link else { return }
        decoder!.append(Array(buffer.readableBytesView)[...])
        do {
            while let message = try decoder!.next() {
                swarm.received(message, from: link)
                if !link.channel.isActive { return }
            }
        } catch {
            // A malformed message ends this peer only.
            swarm.log("peer \(link.address): \(error); disconnecting")
            context.close(promise: nil)
        }
        link.flush()
    }

    static func address(_ channel: any Channel) -> String {
        channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
    }
}
