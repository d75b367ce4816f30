// The torrent's geometry as the picker sees it: how long each piece is and how it splits into blocks.

extension PiecePicker {
    /// The length of `piece`: every piece is `pieceLength` long but the last, which is `lastPieceLength`.
    public func length(ofPiece piece: Int) -> Int {
        piece == pieceCount - 1 ? lastPieceLength : pieceLength
    }

    /// How many blocks of `blockLength` `piece` splits into, the last one possibly short.
    public func blockCount(ofPiece piece: Int) -> Int {
        (length(ofPiece: piece) + blockLength - 1) / blockLength
    }

    /// Block `index` of `piece`; only the last block of the last piece is short.
    public func block(_ index: Int, ofPiece piece: Int) -> BlockRequest {
        let offset = index * blockLength
        return BlockRequest(piece: piece, offset: offset, length: min(blockLength, length(ofPiece: piece) - offset))
    }
}
