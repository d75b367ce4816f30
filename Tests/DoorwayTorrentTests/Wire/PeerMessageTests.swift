// Exact wire bytes of every message, written by hand from BEP 3 / BEP 6 / BEP 10, and their decoding.

import DoorwayTorrent
import Testing

/// Nine pieces: the bitfield is two bytes and only the top bit of the second may be set.
let testPieceCount = 9

let handWrittenMessages: [(message: PeerMessage, bytes: [UInt8])] = [
    (.keepAlive, [0, 0, 0, 0]),
    (.choke, [0, 0, 0, 1, 0]),
    (.unchoke, [0, 0, 0, 1, 1]),
    (.interested, [0, 0, 0, 1, 2]),
    (.notInterested, [0, 0, 0, 1, 3]),
    (.have(piece: 8), [0, 0, 0, 5, 4, 0, 0, 0, 8]),
    (.bitfield([0xA5, 0x80]), [0, 0, 0, 3, 5, 0xA5, 0x80]),
    (.request(piece: 1, offset: 0x4000, length: 0x4000), [0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0x40, 0, 0, 0, 0x40, 0]),
    (.piece(piece: 2, offset: 0x8000, block: [0xDE, 0xAD]), [0, 0, 0, 11, 7, 0, 0, 0, 2, 0, 0, 0x80, 0, 0xDE, 0xAD]),
    (.cancel(piece: 3, offset: 0, length: 0x100), [0, 0, 0, 13, 8, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 1, 0]),
    (.port(6881), [0, 0, 0, 3, 9, 0x1A, 0xE1]),
    (.suggest(3), [0, 0, 0, 5, 0x0D, 0, 0, 0, 3]),
    (.haveAll, [0, 0, 0, 1, 0x0E]),
    (.haveNone, [0, 0, 0, 1, 0x0F]),
    (.reject(piece: 1, offset: 0, length: 0x4000), [0, 0, 0, 13, 0x10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0]),
    (.allowedFast(5), [0, 0, 0, 5, 0x11, 0, 0, 0, 5]),
    (.extended(id: 0, payload: Array("de".utf8)), [0, 0, 0, 4, 20, 0, 0x64, 0x65]),
    (.extended(id: 3, payload: []), [0, 0, 0, 2, 20, 3]),
]

func decodeAll(_ bytes: [UInt8], chunk: Int, fast: Bool = true) throws -> [PeerMessage] {
    var decoder = PeerMessageDecoder(pieceCount: testPieceCount, fastExtension: fast)
    var messages: [PeerMessage] = []
    var index = 0
    while index < bytes.count {
        let end = min(bytes.count, index + chunk)
        decoder.append(bytes[index..<end])
        index = end
        while let message = try decoder.next() { messages.append(message) }
    }
    #expect(decoder.bufferedByteCount == 0)
    return messages
}

@Test(arguments: handWrittenMessages.indices)
func messageEncodesToHandWrittenBytes(index: Int) throws {
    let (message, bytes) = handWrittenMessages[index]
    #expect(message.bytes == bytes)
    #expect(try decodeAll(bytes, chunk: bytes.count) == [message])
}

@Test func everyChunkingDecodesTheSameMessages() throws {
    let stream = handWrittenMessages.flatMap(\.bytes)
    let expected = handWrittenMessages.map(\.message)
    for chunk in [1, 2, 3, 5, 7, 16, stream.count] {
        #expect(try decodeAll(stream, chunk: chunk) == expected)
    }
}

@Test func keepAliveNeedsOnlyFourBytes() throws {
    var decoder = PeerMessageDecoder(pieceCount: testPieceCount, fastExtension: false)
    decoder.append([0, 0, 0][...])
    #expect(try decoder.next() == nil)
    decoder.append([0, 0, 0, 0, 1][...])
    #expect(try decoder.next() == .keepAlive)
    #expect(try decoder.next() == nil)
    #expect(decoder.bufferedByteCount == 4)  // a length of 1 still needs its id
}

@Test func messageIDsAndBlockRequestHelpers() {
    #expect(PeerMessage.keepAlive.id == nil)
    #expect(PeerMessage.extended(id: 1, payload: []).id == 20)
    let block = BlockRequest(piece: 1, offset: 0x4000, length: 0x4000)
    #expect(block.requestMessage == .request(piece: 1, offset: 0x4000, length: 0x4000))
    #expect(block.cancelMessage == .cancel(piece: 1, offset: 0x4000, length: 0x4000))
}

@Test func extensionHandshakePayloadIsSortedBencode() {
    #expect(ExtensionHandshake.payload() == Array("d1:md11:ut_metadatai1ee1:v8:door 0.1e".utf8))
    #expect(ExtensionHandshake.payload(utMetadataID: nil) == Array("d1:mde1:v8:door 0.1e".utf8))
    let full = ExtensionHandshake.payload(
        utMetadataID: 2, metadataSize: 1234, listenPort: 6881, requestQueue: 250, client: "dœr"
    )
    let expected = "d1:md11:ut_metadatai2ee13:metadata_sizei1234e1:pi6881e4:reqqi250e1:v4:dœre"
    #expect(full == Array(expected.utf8))
}

@Test func requestPipelineDepthFollowsRate() {
    #expect(RequestPipeline.depth(forRate: 0) == 4)
    #expect(RequestPipeline.depth(forRate: -5) == 4)
    #expect(RequestPipeline.depth(forRate: .nan) == 4)
    #expect(RequestPipeline.depth(forRate: 16_384) == 4)
    #expect(RequestPipeline.depth(forRate: 1_000_000) == 122)
    #expect(RequestPipeline.depth(forRate: 1e9) == 250)
    #expect(RequestPipeline.depth(forRate: .infinity) == 250)
}
