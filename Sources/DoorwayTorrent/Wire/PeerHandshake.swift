// The 68-byte BEP 3 handshake that opens every peer connection, with the reserved bits that negotiate extensions.

/// The handshake: `\u{13}BitTorrent protocol`, 8 reserved bytes, the 20-byte info-hash and the 20-byte peer id.
///
/// ```swift
/// let ours = PeerHandshake(infoHash: infoHash, peerID: peerID, fastExtension: true)
/// channel.write(ours.bytes)
/// // once 68 bytes are in:
/// let theirs = try PeerHandshake(parsing: received[...])
/// let fast = ours.supportsFastExtension && theirs.supportsFastExtension
/// ```
public struct PeerHandshake: Sendable, Equatable {
    /// Bytes on the wire.
    public static let length = 68
    /// The length-prefixed protocol name every handshake starts with.
    static let protocolPrefix: [UInt8] = [19] + Array("BitTorrent protocol".utf8)

    /// The 8 reserved bytes; unknown bits are kept as received so nothing is lost when logging or re-encoding.
    public var reserved: [UInt8]
    /// The torrent's 20-byte SHA-1 info-hash.
    public var infoHash: [UInt8]
    /// The sender's 20-byte peer id.
    public var peerID: [UInt8]

    /// BEP 10: reserved byte 5, bit 0x10.
    public var supportsExtensionProtocol: Bool {
        get { reserved[5] & 0x10 != 0 }
        set { if newValue { reserved[5] |= 0x10 } else { reserved[5] &= ~0x10 } }
    }

    /// BEP 6: reserved byte 7, bit 0x04.
    public var supportsFastExtension: Bool {
        get { reserved[7] & 0x04 != 0 }
        set { if newValue { reserved[7] |= 0x04 } else { reserved[7] &= ~0x04 } }
    }

    /// Our handshake. `infoHash` and `peerID` must be 20 bytes each; anything else is a programming error.
    public init(infoHash: [UInt8], peerID: [UInt8], extensionProtocol: Bool = true, fastExtension: Bool = false) {
        precondition(infoHash.count == 20, "PeerHandshake: info-hash must be 20 bytes")
        precondition(peerID.count == 20, "PeerHandshake: peer id must be 20 bytes")
        self.reserved = [UInt8](repeating: 0, count: 8)
        self.infoHash = infoHash
        self.peerID = peerID
        self.supportsExtensionProtocol = extensionProtocol
        self.supportsFastExtension = fastExtension
    }

    /// Parses the first 68 bytes of `bytes`; anything after them is the peer's first messages and belongs to a
    /// `PeerMessageDecoder`. Comparing the info-hash with ours is the caller's job, because a listening side may
    /// serve several torrents.
    public init(parsing bytes: ArraySlice<UInt8>) throws(PeerWireError) {
        guard bytes.count >= Self.length else { throw .handshakeTooShort(count: bytes.count) }
        let start = bytes.startIndex
        guard bytes[start..<start + 20].elementsEqual(Self.protocolPrefix) else {
            throw .handshakeProtocolMismatch
        }
        self.reserved = Array(bytes[start + 20..<start + 28])
        self.infoHash = Array(bytes[start + 28..<start + 48])
        self.peerID = Array(bytes[start + 48..<start + 68])
    }

    /// The 68 bytes to send.
    public var bytes: [UInt8] {
        var out = Self.protocolPrefix
        out.reserveCapacity(Self.length)
        out += reserved
        out += infoHash
        out += peerID
        return out
    }
}
