// Choosing a piece length for a new torrent, the way mainstream torrent creators do.

/// Piece-length selection for new torrents.
public enum PieceSize {
    public static let minimum = 16 * 1024
    public static let maximum = 16 * 1024 * 1024
    /// The piece count the automatic choice stays at or below (unless the maximum piece size forces more).
    public static let targetPieceCount = 2048

    /// The smallest power of two between 16 KiB and 16 MiB that cuts `totalLength` into at most 2048 pieces.
    ///
    /// Equivalently: `ceil(totalLength / 2048)` rounded up to a power of two, clamped to 16 KiB...16 MiB. Between
    /// 32 MiB and 32 GiB of data this gives 1025...2048 pieces, the range libtorrent and Transmission aim for:
    /// few enough that the metadata stays small, many enough to share pieces early.
    ///
    /// ```swift
    /// PieceSize.automatic(forTotalLength: 700 * 1024 * 1024)   // 512 KiB: 1400 pieces
    /// ```
    public static func automatic(forTotalLength totalLength: Int64) -> Int {
        guard totalLength > Int64(minimum) * Int64(targetPieceCount) else { return minimum }
        let perPiece = (totalLength - 1) / Int64(targetPieceCount) + 1
        var size = Int64(minimum)
        while size < perPiece && size < Int64(maximum) {
            size *= 2
        }
        return Int(size)
    }
}
