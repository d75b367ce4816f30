// Turns the byte stream after the handshake into validated peer messages, refusing oversized or malformed ones.

/// An incremental, I/O-free decoder for the peer wire protocol: append bytes as they arrive, then call `next()`
/// until it returns nil.
///
/// Every length limit is enforced from the 5-byte header (length prefix and id), so a peer declaring a huge
/// message is refused before its body is buffered. After an error the decoder stays failed and keeps throwing the
/// same error; the caller closes that connection.
///
/// ```swift
/// var decoder = PeerMessageDecoder(pieceCount: metainfo.pieceCount, fastExtension: negotiatedFast)
/// decoder.append(received[...])
/// while let message = try decoder.next() {
///     handle(message)
/// }
/// ```
public struct PeerMessageDecoder: Sendable {
    /// No block length is accepted above this, whatever `maximumBlockLength` says: clients request 16 KiB blocks and
    /// mainline drops requests over 128 KiB.
    public static let absoluteMaximumBlockLength = 128 * 1024
    /// The largest BEP 10 message (id byte, extended id and payload) we buffer; metadata pieces are 16 KiB.
    public static let maximumExtendedLength = 1024 * 1024

    /// The largest block a `request` may ask for and a `piece` may carry.
    public let maximumBlockLength: Int
    public let pieceCount: Int
    /// Whether BEP 6 was negotiated (both handshakes had the bit); otherwise BEP 6 ids are errors.
    public let fastExtension: Bool

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var failure: PeerWireError?

    /// - Parameters:
    ///   - maximumBlockLength: 1...131072; larger requests and pieces are errors.
    ///   - pieceCount: the torrent's piece count; bitfield sizes and piece indices are checked against it.
    ///   - fastExtension: true when both handshakes set the BEP 6 bit.
    public init(maximumBlockLength: Int = 16 * 1024, pieceCount: Int, fastExtension: Bool) {
        precondition(
            (1...Self.absoluteMaximumBlockLength).contains(maximumBlockLength),
            "PeerMessageDecoder: maximumBlockLength must be 1...\(Self.absoluteMaximumBlockLength)"
        )
        precondition(pieceCount >= 0, "PeerMessageDecoder: negative piece count")
        self.maximumBlockLength = maximumBlockLength
        self.pieceCount = pieceCount
        self.fastExtension = fastExtension
    }

    /// Bytes received but not yet returned as messages; at most one message's worth plus what the caller appended,
    /// so a caller that stops reading while this is large bounds memory.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        // Compact lazily: only when the consumed prefix dominates, so each byte is moved O(1) times on average.
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 4096, readIndex * 2 > buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer += bytes
    }

    /// The next complete message, or nil when more bytes are needed.
    public mutating func next() throws(PeerWireError) -> PeerMessage? {
        if let failure { throw failure }
        do {
            return try decode()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func decode() throws(PeerWireError) -> PeerMessage? {
        let available = buffer.count - readIndex
        guard available >= 4 else { return nil }
        let length = Int(readUInt32(at: readIndex))
        if length == 0 {
            readIndex += 4
            return .keepAlive
        }
        guard available >= 5 else { return nil }
        let id = buffer[readIndex + 4]
        try checkHeader(id: id, length: length)
        guard available >= 4 + length else { return nil }
        let payloadStart = readIndex + 5
        let payloadEnd = readIndex + 4 + length
        let message = try parse(id: id, payload: payloadStart..<payloadEnd)
        readIndex = payloadEnd
        return message
    }

    /// Everything that can be judged from the id and the declared length, before any of the body is waited for.
    private func checkHeader(id: UInt8, length: Int) throws(PeerWireError) {
        let name = PeerMessage.name(ofID: id)
        func exactly(_ expected: Int) throws(PeerWireError) {
            guard length == expected else { throw .wrongLength(message: name, length: length, expected: expected) }
        }
        func within(_ allowed: ClosedRange<Int>) throws(PeerWireError) {
            guard allowed.contains(length) else {
                throw .lengthOutOfRange(message: name, length: length, allowed: allowed)
            }
        }
        switch id {
        case 0, 1, 2, 3: try exactly(1)
        case 4: try exactly(5)
        case 5: try exactly((pieceCount + 7) / 8 + 1)
        case 6, 8: try exactly(13)
        case 7: try within(10...(9 + maximumBlockLength))
        case 9: try exactly(3)
        case 0x0D...0x11:
            guard fastExtension else { throw .fastExtensionNotNegotiated(message: name) }
            switch id {
            case 0x0E, 0x0F: try exactly(1)
            case 0x10: try exactly(13)
            default: try exactly(5)
            }
        case 20: try within(2...Self.maximumExtendedLength)
        default: throw .unknownMessageID(id)
        }
    }

    private func parse(id: UInt8, payload: Range<Int>) throws(PeerWireError) -> PeerMessage {
        let name = PeerMessage.name(ofID: id)
        let start = payload.lowerBound
        func piece(at index: Int) throws(PeerWireError) -> UInt32 {
            let value = readUInt32(at: index)
            guard Int(value) < pieceCount else {
                throw .pieceIndexOutOfRange(message: name, piece: value, pieceCount: pieceCount)
            }
            return value
        }
        switch id {
        case 0: return .choke
        case 1: return .unchoke
        case 2: return .interested
        case 3: return .notInterested
        case 4: return .have(piece: try piece(at: start))
        case 5:
            let bytes = Array(buffer[payload])
            if pieceCount % 8 != 0, let last = bytes.last, last & UInt8(0xFF >> (pieceCount % 8)) != 0 {
                throw .bitfieldSpareBitsSet(message: name)
            }
            return .bitfield(bytes)
        case 6, 8, 0x10:
            let index = try piece(at: start)
            let offset = readUInt32(at: start + 4)
            let length = readUInt32(at: start + 8)
            // Only requests are bounded: a cancel or reject with an odd length matches nothing and is harmless.
            if id == 6, length == 0 || Int(length) > maximumBlockLength {
                throw .invalidRequestLength(message: name, length: length, maximum: maximumBlockLength)
            }
            switch id {
            case 6: return .request(piece: index, offset: offset, length: length)
            case 8: return .cancel(piece: index, offset: offset, length: length)
            default: return .reject(piece: index, offset: offset, length: length)
            }
        case 7:
            let index = try piece(at: start)
            let block = Array(buffer[start + 8..<payload.upperBound])
            return .piece(piece: index, offset: readUInt32(at: start + 4), block: block)
        case 9: return .port(UInt16(buffer[start]) << 8 | UInt16(buffer[start + 1]))
        case 0x0D: return .suggest(try piece(at: start))
        case 0x0E: return .haveAll
        case 0x0F: return .haveNone
        case 0x11: return .allowedFast(try piece(at: start))
        default: return .extended(id: buffer[start], payload: Array(buffer[start + 1..<payload.upperBound]))
        }
    }

    private func readUInt32(at index: Int) -> UInt32 {
        UInt32(buffer[index]) << 24 | UInt32(buffer[index + 1]) << 16 | UInt32(buffer[index + 2]) << 8
            | UInt32(buffer[index + 3])
    }
}
