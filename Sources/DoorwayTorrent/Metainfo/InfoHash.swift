// The 20-byte BitTorrent v1 info-hash that identifies a torrent on trackers and between peers.

import Crypto
import DoorwayBasics

/// SHA-1 of the bencoded `info` dictionary, exactly as it appears in the .torrent file.
///
/// ```swift
/// let hash = InfoHash(hex: "f401a7ba3b7e41d8444c445ee7e9bf406f9f87ac")!
/// print(hash)    // lowercase hex
/// ```
public struct InfoHash: Sendable, Hashable, CustomStringConvertible {
    /// Always 20 bytes.
    public let bytes: [UInt8]

    /// Nil unless `bytes` holds exactly 20 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 20 else { return nil }
        self.bytes = bytes
    }

    /// Parses 40 hexadecimal digits (either case).
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 20 else { return nil }
        self.bytes = bytes
    }

    /// The SHA-1 of `infoBytes`, which must be the original encoding of the `info` value.
    public init(hashing infoBytes: ArraySlice<UInt8>) {
        self.bytes = PieceHasher.hash(piece: infoBytes)
    }

    /// 40 lowercase hex digits.
    public var description: String {
        Hex.encode(bytes)
    }
}
