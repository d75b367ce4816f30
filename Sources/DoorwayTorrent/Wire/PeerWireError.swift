// Why bytes from a peer are not valid BEP 3 / BEP 6 / BEP 10 wire protocol; any of these ends that one connection.

/// A violation of the peer wire protocol found while parsing a handshake, a message or a bitfield.
///
/// Every case names the message concerned so a log line says what the peer did wrong. The caller closes the
/// offending connection; nothing here affects other peers.
public enum PeerWireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer than 68 bytes were given to `PeerHandshake(parsing:)`.
    case handshakeTooShort(count: Int)
    /// The handshake does not start with "\u{13}BitTorrent protocol".
    case handshakeProtocolMismatch
    /// A fixed-size message declared a length other than its size (the length counts the id byte).
    case wrongLength(message: String, length: Int, expected: Int)
    /// A variable-size message declared a length outside what its id allows.
    case lengthOutOfRange(message: String, length: Int, allowed: ClosedRange<Int>)
    /// The message id is not one we know (BEP 3 0...9, BEP 6 13...17, BEP 10 20).
    case unknownMessageID(UInt8)
    /// A BEP 6 message arrived although the fast extension was not negotiated in the handshake.
    case fastExtensionNotNegotiated(message: String)
    /// A piece index is not below the torrent's piece count.
    case pieceIndexOutOfRange(message: String, piece: UInt32, pieceCount: Int)
    /// A request asked for zero bytes or more than we serve in one block.
    case invalidRequestLength(message: String, length: UInt32, maximum: Int)
    /// A bitfield has a bit set past the last piece.
    case bitfieldSpareBitsSet(message: String)
    /// A bitfield's byte count does not match the piece count.
    case bitfieldLengthMismatch(message: String, byteCount: Int, expected: Int)

    public var description: String {
        subject.map { "\($0): \(problem)" } ?? problem
    }

    /// The message (or the handshake) the problem is in, when there is one to name.
    private var subject: String? {
        switch self {
        case .handshakeTooShort, .handshakeProtocolMismatch: "handshake"
        case .unknownMessageID: nil
        case .wrongLength(let message, _, _), .lengthOutOfRange(let message, _, _),
            .fastExtensionNotNegotiated(let message), .pieceIndexOutOfRange(let message, _, _),
            .invalidRequestLength(let message, _, _), .bitfieldSpareBitsSet(let message),
            .bitfieldLengthMismatch(let message, _, _):
            message
        }
    }

    private var problem: String {
        switch self {
        case .handshakeTooShort(let count): "\(count) bytes, need \(PeerHandshake.length)"
        case .handshakeProtocolMismatch: "protocol string is not \"BitTorrent protocol\""
        case .wrongLength(_, let length, let expected): "length \(length), must be exactly \(expected)"
        case .lengthOutOfRange(_, let length, let allowed):
            "length \(length), must be \(allowed.lowerBound)...\(allowed.upperBound)"
        case .unknownMessageID(let id): "message id \(id) is unknown"
        case .fastExtensionNotNegotiated: "fast extension (BEP 6) message, but the extension was not negotiated"
        case .pieceIndexOutOfRange(_, let piece, let pieceCount):
            "piece index \(piece) out of range, the torrent has \(pieceCount) pieces"
        case .invalidRequestLength(_, let length, let maximum): "block length \(length), must be 1...\(maximum)"
        case .bitfieldSpareBitsSet: "spare bits after the last piece are set"
        case .bitfieldLengthMismatch(_, let byteCount, let expected):
            "\(byteCount) bytes, must be \(expected) for the piece count"
        }
    }
}
