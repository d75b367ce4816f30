// What the piece picker made of a received block, telling the caller whether to verify a piece or send cancels.

/// The result of `PiecePicker.blockReceived(_:from:)`.
public enum BlockOutcome: Sendable, Equatable {
    /// The block is new and stored; its piece still misses blocks. `cancel` lists other peers that were also asked
    /// for this block (endgame) and should now get a `cancel` message.
    case accepted(cancel: [PeerKey])
    /// The block completed its piece: the caller checks the piece's SHA-1, then calls `markHave` or `pieceFailed`.
    case pieceComplete(Int, cancel: [PeerKey])
    /// The block was already received, or its piece is already verified: drop the data.
    case duplicate
    /// No such block exists in this torrent (bad offset, length or piece): drop the data; a peer doing this
    /// repeatedly is misbehaving.
    case unexpected

    /// The peers to send `cancel` to, whatever the case.
    public var peersToCancel: [PeerKey] {
        switch self {
        case .accepted(let cancel), .pieceComplete(_, let cancel): return cancel
        case .duplicate, .unexpected: return []
        }
    }
}
