// Serving a swarm's peers: their requests queued and read from disk off the loop, the blocks sent back in any
// order while the peer stays unchoked.

import Logging
import NIOCore
import NIOPosix

extension Swarm {
    /// A request from a peer we unchoked: queued, or the peer dropped if it asks for what we cannot give.
    func serve(_ block: BlockRequest, to link: PeerLink) {
        guard !link.amChoking else { return }
        guard block.piece < metainfo.pieceCount, have[block.piece], block.length > 0,
            block.length <= picker.blockLength,
            block.offset >= 0, block.offset + block.length <= metainfo.length(ofPiece: block.piece)
        else {
            drop(link, because: "requested a block we cannot give (\(block))")
            return
        }
        guard link.queued.count < configuration.maximumQueuedRequests else {
            drop(link, because: "more than \(configuration.maximumQueuedRequests) requests queued")
            return
        }
        link.queued.append(block)
        readQueued(link)
    }

    /// Keeps up to 16 disk reads in flight per peer (a 256 KiB window); pieces may leave in any order.
    private func readQueued(_ link: PeerLink) {
        while link.readsInFlight < 16, !link.queued.isEmpty {
            let block = link.queued.removeFirst()
            link.readsInFlight += 1
            let storage = self.storage
            let bound = NIOLoopBound((self, link), eventLoop: loop)
            storageThreads.runIfActive(eventLoop: loop) {
                try storage.read(piece: block.piece, offset: block.offset, length: block.length)
            }.whenComplete { result in
                bound.value.0.served(block, result, to: bound.value.1)
            }
        }
    }

    private func served(_ block: BlockRequest, _ result: Result<[UInt8], any Error>, to link: PeerLink) {
        link.readsInFlight -= 1
        guard link.channel.isActive, links[link.key] != nil else { return }
        switch result {
        case .success(let bytes):
            if link.amChoking { return }
            link.send(.piece(piece: UInt32(block.piece), offset: UInt32(block.offset), block: bytes))
            link.uploadedSinceTick += bytes.count
            link.uploaded += bytes.count
            uploadedBytes += bytes.count
            link.flush()
            readQueued(link)
        case .failure(let error):
            logger.error("cannot read piece \(block.piece): \(error)")
        }
    }
}
