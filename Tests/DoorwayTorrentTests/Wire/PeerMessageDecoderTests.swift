// Every way a peer's message can be malformed, and that limits are enforced from the header alone.

import DoorwayTorrent
import Testing

/// Decodes exactly one message from `bytes`, returning the error it raised (nil if none).
func decodingError(
    _ bytes: [UInt8],
    pieceCount: Int = testPieceCount,
    fast: Bool = true,
    maximumBlockLength: Int = 16 * 1024
) -> PeerWireError? {
    var decoder = PeerMessageDecoder(
        maximumBlockLength: maximumBlockLength, pieceCount: pieceCount, fastExtension: fast
    )
    decoder.append(bytes[...])
    do {
        _ = try decoder.next()
        return nil
    } catch {
        return error
    }
}

func header(length: Int, id: UInt8) -> [UInt8] {
    [UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), id]
}

/// Header plus a body of the declared size, so a length error cannot be mistaken for "need more bytes". The body
/// is zero but for a final 1, so a request body asks for piece 0, offset 0, length 1 (valid).
func message(length: Int, id: UInt8) -> [UInt8] {
    var body = [UInt8](repeating: 0, count: max(0, length - 1))
    if !body.isEmpty { body[body.count - 1] = 1 }
    return header(length: length, id: id) + body
}

let fixedSizes: [(id: UInt8, name: String, length: Int)] = [
    (0, "choke", 1), (1, "unchoke", 1), (2, "interested", 1), (3, "not interested", 1), (4, "have", 5),
    (6, "request", 13), (8, "cancel", 13), (9, "port", 3), (0x0D, "suggest piece", 5), (0x0E, "have all", 1),
    (0x0F, "have none", 1), (0x10, "reject request", 13), (0x11, "allowed fast", 5),
]

@Test(arguments: fixedSizes.indices)
func fixedSizeMessagesRejectEveryOtherLength(index: Int) {
    let (id, name, length) = fixedSizes[index]
    for wrong in [1, 2, length - 1, length + 1, 100] where wrong != length && wrong >= 1 {
        let error = decodingError(message(length: wrong, id: id))
        #expect(error == .wrongLength(message: name, length: wrong, expected: length))
        #expect(error?.description.hasPrefix(name) == true)
    }
    #expect(decodingError(message(length: length, id: id)) == nil)
}

@Test func bitfieldMustHaveExactSizeAndZeroSpareBits() {
    let short = decodingError(header(length: 2, id: 5) + [0xFF])
    #expect(short == .wrongLength(message: "bitfield", length: 2, expected: 3))
    let long = decodingError(header(length: 4, id: 5) + [0, 0, 0])
    #expect(long == .wrongLength(message: "bitfield", length: 4, expected: 3))
    #expect(decodingError(header(length: 3, id: 5) + [0xFF, 0xC0]) == .bitfieldSpareBitsSet(message: "bitfield"))
    #expect(decodingError(header(length: 3, id: 5) + [0xFF, 0x01]) == .bitfieldSpareBitsSet(message: "bitfield"))
    #expect(decodingError(header(length: 3, id: 5) + [0xFF, 0x80]) == nil)
    // A multiple of eight pieces has no spare bits at all.
    #expect(decodingError(header(length: 2, id: 5) + [0xFF], pieceCount: 8) == nil)
}

@Test func pieceLengthIsBoundedByTheBlockLength() {
    let allowed = 10...(9 + 16 * 1024)
    let empty = decodingError(message(length: 9, id: 7))
    #expect(empty == .lengthOutOfRange(message: "piece", length: 9, allowed: allowed))
    #expect(
        decodingError(message(length: 9 + 16 * 1024 + 1, id: 7))
            == .lengthOutOfRange(message: "piece", length: 16_394, allowed: allowed)
    )
    #expect(decodingError(message(length: 9 + 16 * 1024, id: 7)) == nil)
    #expect(decodingError(message(length: 9 + 128 * 1024, id: 7), maximumBlockLength: 128 * 1024) == nil)
}

@Test func extendedLengthIsBounded() {
    let allowed = 2...(1024 * 1024)
    let bare = decodingError(message(length: 1, id: 20))
    #expect(bare == .lengthOutOfRange(message: "extended", length: 1, allowed: allowed))
    #expect(
        decodingError(header(length: 1024 * 1024 + 1, id: 20))
            == .lengthOutOfRange(message: "extended", length: 1024 * 1024 + 1, allowed: allowed)
    )
}

@Test func overlongDeclaredLengthIsRejectedFromTheHeaderAlone() throws {
    for (length, id) in [(0xFFFF_FFFF, UInt8(7)), (0x7FFF_FFFF, 20), (1 << 20 + 2, 20), (0x10000, 5), (14, 6)] {
        var decoder = PeerMessageDecoder(pieceCount: testPieceCount, fastExtension: true)
        let bytes = header(length: length, id: id)
        decoder.append(bytes[..<4])
        #expect(try decoder.next() == nil)  // the id is needed to judge the length
        decoder.append(bytes[4...])
        #expect(throws: PeerWireError.self) { try decoder.next() }
        #expect(decoder.bufferedByteCount == 5)
    }
}

@Test func requestLengthMustBeOneToMaximumBlockLength() {
    func request(length: UInt32) -> [UInt8] { PeerMessage.request(piece: 0, offset: 0, length: length).bytes }
    #expect(decodingError(request(length: 0)) == .invalidRequestLength(message: "request", length: 0, maximum: 16_384))
    let large = decodingError(request(length: 16_385))
    #expect(large == .invalidRequestLength(message: "request", length: 16_385, maximum: 16_384))
    #expect(decodingError(request(length: 1)) == nil)
    #expect(decodingError(request(length: 16_384)) == nil)
    #expect(decodingError(request(length: 65_536), maximumBlockLength: 65_536) == nil)
}

@Test func unknownIDsAreErrors() {
    for id: UInt8 in [10, 11, 12, 18, 19, 21, 0xFF] {
        #expect(decodingError(message(length: 1, id: id)) == .unknownMessageID(id))
    }
    #expect(PeerWireError.unknownMessageID(42).description == "message id 42 is unknown")
}

@Test func fastExtensionMessagesNeedNegotiation() {
    let fast: [PeerMessage] = [
        .haveAll, .haveNone, .suggest(1), .reject(piece: 1, offset: 0, length: 16_384), .allowedFast(1),
    ]
    for message in fast {
        let error = decodingError(message.bytes, fast: false)
        guard case .fastExtensionNotNegotiated = error else {
            Issue.record("\(message) without BEP 6: \(String(describing: error))")
            continue
        }
        #expect(decodingError(message.bytes, fast: true) == nil)
    }
}

@Test func pieceIndicesMustBeInRange() {
    let outOfRange: [(PeerMessage, String)] = [
        (.have(piece: 9), "have"), (.request(piece: 9, offset: 0, length: 1), "request"),
        (.piece(piece: 100, offset: 0, block: [1]), "piece"), (.cancel(piece: 9, offset: 0, length: 1), "cancel"),
        (.suggest(9), "suggest piece"), (.reject(piece: 0xFFFF_FFFF, offset: 0, length: 1), "reject request"),
        (.allowedFast(9), "allowed fast"),
    ]
    for (message, name) in outOfRange {
        let error = decodingError(message.bytes)
        guard case .pieceIndexOutOfRange(name, _, 9) = error else {
            Issue.record("\(message): \(String(describing: error))")
            continue
        }
        #expect(error?.description.contains("out of range") == true)
    }
}

@Test func decoderStaysFailedAfterAnError() {
    var decoder = PeerMessageDecoder(pieceCount: testPieceCount, fastExtension: false)
    decoder.append((message(length: 1, id: 99) + PeerMessage.choke.bytes)[...])
    #expect(throws: PeerWireError.unknownMessageID(99)) { try decoder.next() }
    #expect(throws: PeerWireError.unknownMessageID(99)) { try decoder.next() }
}
