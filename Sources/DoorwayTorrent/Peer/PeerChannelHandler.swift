// One connection to a remote peer: the handshake, then BEP 3 messages in both directions, handed to the swarm.

import Logging
import NIOCore

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
                swarm.logger.info("peer \(Self.address(context.channel)): \(error)")
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
            swarm.logger.info("peer \(link.address): \(error); disconnecting")
            context.close(promise: nil)
        }
        link.flush()
    }

    static func address(_ channel: any Channel) -> String {
        channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
    }
}
