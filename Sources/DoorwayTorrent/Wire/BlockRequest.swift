// The unit of transfer between peers: a block of a piece, as named in request, piece, cancel and reject messages.

/// Identifies a connection to the piece picker and the choker. The caller assigns them (a connection counter is
/// enough); the same key must not be reused while the picker still knows the peer.
public typealias PeerKey = Int

/// One block: `length` bytes at `offset` within piece `piece`. Blocks are `blockLength` (16 KiB) long except the
/// last block of the last piece.
public struct BlockRequest: Sendable, Hashable, CustomStringConvertible {
    public var piece: Int
    public var offset: Int
    public var length: Int

    public init(piece: Int, offset: Int, length: Int) {
        (self.piece, self.offset, self.length) = (piece, offset, length)
    }

    /// The wire `request` for this block.
    public var requestMessage: PeerMessage {
        .request(piece: UInt32(piece), offset: UInt32(offset), length: UInt32(length))
    }

    /// The wire `cancel` for this block.
    public var cancelMessage: PeerMessage {
        .cancel(piece: UInt32(piece), offset: UInt32(offset), length: UInt32(length))
    }

    public var description: String { "piece \(piece) offset \(offset) length \(length)" }
}
