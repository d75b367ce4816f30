// The messages peers exchange after the handshake (BEP 3, BEP 6 fast extension, BEP 10 extension protocol).

/// One peer wire message. `bytes` is its exact wire form; `PeerMessageDecoder` turns wire bytes back into these.
///
/// ```swift
/// channel.write(PeerMessage.request(piece: 7, offset: 16_384, length: 16_384).bytes)
/// ```
public enum PeerMessage: Sendable, Equatable {
    /// A zero length prefix and nothing else; sent every two minutes of silence.
    case keepAlive
    case choke
    case unchoke
    case interested
    case notInterested
    case have(piece: UInt32)
    /// The BEP 3 payload as received; turn it into a `Bitfield` with `Bitfield(bytes:count:)`.
    case bitfield([UInt8])
    case request(piece: UInt32, offset: UInt32, length: UInt32)
    case piece(piece: UInt32, offset: UInt32, block: [UInt8])
    case cancel(piece: UInt32, offset: UInt32, length: UInt32)
    /// BEP 5 DHT port. Decoded so a DHT-capable peer is not dropped; we have no DHT and ignore it.
    case port(UInt16)
    /// BEP 6: the sender has every piece.
    case haveAll
    /// BEP 6: the sender has no piece.
    case haveNone
    /// BEP 6: the sender suggests we download this piece.
    case suggest(UInt32)
    /// BEP 6: the sender will not serve this request.
    case reject(piece: UInt32, offset: UInt32, length: UInt32)
    /// BEP 6: we may request this piece even while choked.
    case allowedFast(UInt32)
    /// BEP 10: an extension message; id 0 is the extension handshake. The payload stays raw bytes, the bencoded
    /// handshake is parsed by `BencodeDecoder`.
    case extended(id: UInt8, payload: [UInt8])

    /// The message id byte; nil for keep-alive, which has none.
    public var id: UInt8? {
        switch self {
        case .keepAlive: return nil
        case .choke: return 0
        case .unchoke: return 1
        case .interested: return 2
        case .notInterested: return 3
        case .have: return 4
        case .bitfield: return 5
        case .request: return 6
        case .piece: return 7
        case .cancel: return 8
        case .port: return 9
        case .suggest: return 0x0D
        case .haveAll: return 0x0E
        case .haveNone: return 0x0F
        case .reject: return 0x10
        case .allowedFast: return 0x11
        case .extended: return 20
        }
    }

    /// A short name for logs and error descriptions.
    static func name(ofID id: UInt8) -> String {
        switch id {
        case 0: return "choke"
        case 1: return "unchoke"
        case 2: return "interested"
        case 3: return "not interested"
        case 4: return "have"
        case 5: return "bitfield"
        case 6: return "request"
        case 7: return "piece"
        case 8: return "cancel"
        case 9: return "port"
        case 0x0D: return "suggest piece"
        case 0x0E: return "have all"
        case 0x0F: return "have none"
        case 0x10: return "reject request"
        case 0x11: return "allowed fast"
        case 20: return "extended"
        default: return "message \(id)"
        }
    }

    /// The wire form: a 4-byte big-endian length (counting the id byte), the id, then the payload.
    public var bytes: [UInt8] {
        guard let id else { return [0, 0, 0, 0] }
        var payload: [UInt8] = []
        switch self {
        case .keepAlive, .choke, .unchoke, .interested, .notInterested, .haveAll, .haveNone:
            break
        case .have(let piece), .suggest(let piece), .allowedFast(let piece):
            Self.append(piece, to: &payload)
        case .bitfield(let bits):
            payload = bits
        case .request(let piece, let offset, let length), .cancel(let piece, let offset, let length),
            .reject(let piece, let offset, let length):
            Self.append(piece, to: &payload)
            Self.append(offset, to: &payload)
            Self.append(length, to: &payload)
        case .piece(let piece, let offset, let block):
            payload.reserveCapacity(8 + block.count)
            Self.append(piece, to: &payload)
            Self.append(offset, to: &payload)
            payload += block
        case .port(let port):
            payload = [UInt8(port >> 8), UInt8(port & 0xFF)]
        case .extended(let extensionID, let extensionPayload):
            payload.reserveCapacity(1 + extensionPayload.count)
            payload.append(extensionID)
            payload += extensionPayload
        }
        var out: [UInt8] = []
        out.reserveCapacity(5 + payload.count)
        Self.append(UInt32(1 + payload.count), to: &out)
        out.append(id)
        out += payload
        return out
    }

    static func append(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(value >> 24))
        out.append(UInt8((value >> 16) & 0xFF))
        out.append(UInt8((value >> 8) & 0xFF))
        out.append(UInt8(value & 0xFF))
    }
}
