// The 68-byte handshake: exact layout, parsing, reserved-bit negotiation and malformed input.

import DoorwayTorrent
import Testing

let sampleInfoHash = [UInt8](1...20)
let samplePeerID = Array("-DW0010-abcdefghijkl".utf8)

@Test func handshakeHasTheBEP3Layout() throws {
    let ours = PeerHandshake(infoHash: sampleInfoHash, peerID: samplePeerID)
    let expected: [UInt8] =
        [19] + Array("BitTorrent protocol".utf8) + [0, 0, 0, 0, 0, 0x10, 0, 0]
        + sampleInfoHash + samplePeerID
    #expect(ours.bytes == expected)
    #expect(ours.bytes.count == PeerHandshake.length)
    #expect(ours.supportsExtensionProtocol)
    #expect(!ours.supportsFastExtension)
    #expect(try PeerHandshake(parsing: expected[...]) == ours)
}

@Test func handshakeReservedBitsNegotiateExtensions() throws {
    let both = PeerHandshake(
        infoHash: sampleInfoHash, peerID: samplePeerID, extensionProtocol: true, fastExtension: true
    )
    #expect(both.reserved == [0, 0, 0, 0, 0, 0x10, 0, 0x04])
    let neither = PeerHandshake(infoHash: sampleInfoHash, peerID: samplePeerID, extensionProtocol: false)
    #expect(neither.reserved == [UInt8](repeating: 0, count: 8))

    // Unknown bits from the peer (here DHT, 0x01 in byte 7) are kept and do not disturb ours.
    var bytes = neither.bytes
    bytes[20 + 7] = 0x05
    let parsed = try PeerHandshake(parsing: bytes[...])
    #expect(parsed.supportsFastExtension)
    #expect(!parsed.supportsExtensionProtocol)
    #expect(parsed.reserved[7] == 0x05)
    #expect(parsed.bytes == bytes)
}

@Test func handshakeParsingIgnoresFollowingMessages() throws {
    let ours = PeerHandshake(infoHash: sampleInfoHash, peerID: samplePeerID)
    let stream = [0xAA] + ours.bytes + PeerMessage.interested.bytes
    let parsed = try PeerHandshake(parsing: stream[1...])
    #expect(parsed.infoHash == sampleInfoHash)
    #expect(parsed.peerID == samplePeerID)
}

@Test func malformedHandshakesAreRejected() {
    let good = PeerHandshake(infoHash: sampleInfoHash, peerID: samplePeerID).bytes
    #expect(throws: PeerWireError.handshakeTooShort(count: 67)) { try PeerHandshake(parsing: good.dropLast()) }
    #expect(throws: PeerWireError.handshakeTooShort(count: 0)) { try PeerHandshake(parsing: [][...]) }
    var wrongName = good
    wrongName[1] = UInt8(ascii: "b")
    #expect(throws: PeerWireError.handshakeProtocolMismatch) { try PeerHandshake(parsing: wrongName[...]) }
    var wrongLength = good
    wrongLength[0] = 18
    #expect(throws: PeerWireError.handshakeProtocolMismatch) { try PeerHandshake(parsing: wrongLength[...]) }
    let http = Array("GET /announce HTTP/1.1\r\nHost: x\r\n\r\n".utf8) + [UInt8](repeating: 0, count: 40)
    #expect(throws: PeerWireError.handshakeProtocolMismatch) { try PeerHandshake(parsing: http[...]) }
}
