// Incremental SHA-1 over the torrent byte stream, cut at piece boundaries regardless of file boundaries or of how
// the caller chunks its reads; the caller owns all I/O.

import Crypto

/// Hashes a torrent's byte stream piece by piece.
///
/// Feed the files' bytes in torrent order, in chunks of any size; each completed piece's SHA-1 is returned as
/// soon as its last byte arrives. ``finish()`` hashes the final, shorter piece. To hash in parallel instead, give
/// each worker a range of pieces and use ``hash(piece:)``.
///
/// ```swift
/// var hasher = PieceHasher(pieceLength: 256 * 1024)
/// for chunk in chunks { hasher.update(chunk) }
/// hasher.finish()
/// let pieces = hasher.pieceHashes
/// ```
public struct PieceHasher: Sendable {
    public let pieceLength: Int
    /// Every piece hash produced so far, in order.
    public private(set) var pieceHashes: [[UInt8]] = []
    /// Bytes fed so far.
    public private(set) var byteCount: Int64 = 0

    private var hasher = Insecure.SHA1()
    private var bytesInPiece = 0

    public init(pieceLength: Int) {
        precondition(pieceLength > 0, "piece length must be positive, got \(pieceLength)")
        self.pieceLength = pieceLength
    }

    /// The SHA-1 of one piece's bytes.
    public static func hash(piece: ArraySlice<UInt8>) -> [UInt8] {
        var hasher = Insecure.SHA1()
        piece.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize())
    }

    /// Feeds the next bytes of the stream; returns the hashes of the pieces this completed.
    @discardableResult
    public mutating func update(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// Feeds the next bytes of the stream; returns the hashes of the pieces this completed.
    @discardableResult
    public mutating func update(_ bytes: ArraySlice<UInt8>) -> [[UInt8]] {
        bytes.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// Feeds the next bytes of the stream; returns the hashes of the pieces this completed.
    @discardableResult
    public mutating func update(bufferPointer: UnsafeRawBufferPointer) -> [[UInt8]] {
        var emitted: [[UInt8]] = []
        var rest = bufferPointer[...]
        while !rest.isEmpty {
            let take = min(rest.count, pieceLength - bytesInPiece)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: rest.prefix(take)))
            rest = rest.dropFirst(take)
            bytesInPiece += take
            byteCount += Int64(take)
            if bytesInPiece == pieceLength {
                emitted.append(completePiece())
            }
        }
        return emitted
    }

    /// Hashes the final partial piece, if any bytes are pending; returns what it completed (zero or one hash).
    @discardableResult
    public mutating func finish() -> [[UInt8]] {
        bytesInPiece > 0 ? [completePiece()] : []
    }

    private mutating func completePiece() -> [UInt8] {
        let digest = Array(hasher.finalize())
        hasher = Insecure.SHA1()
        bytesInPiece = 0
        pieceHashes.append(digest)
        return digest
    }
}
