// The Bitfield value type: wire layout, counting, and refusal of bad payloads.

import DoorwayTorrent
import Testing

@Test func bitfieldValueType() throws {
    var bits = Bitfield(count: 10)
    #expect(bits.bytes == [0, 0])
    bits[0] = true
    bits[9] = true
    bits[9] = true
    #expect(bits.bytes == [0x80, 0x40])
    #expect(bits.setCount == 2)
    #expect(bits[0] && bits[9] && !bits[5])
    bits[0] = false
    #expect(bits.setCount == 1)
    #expect(!bits.isComplete)

    let full = Bitfield(count: 10, repeating: true)
    #expect(full.bytes == [0xFF, 0xC0])
    #expect(full.isComplete && full.setCount == 10)
    #expect(try Bitfield(bytes: [0xFF, 0xC0], count: 10) == full)
    #expect(throws: PeerWireError.bitfieldSpareBitsSet(message: "bitfield")) {
        try Bitfield(bytes: [0xFF, 0xE0], count: 10)
    }
    #expect(throws: PeerWireError.bitfieldLengthMismatch(message: "bitfield", byteCount: 1, expected: 2)) {
        try Bitfield(bytes: [0xFF], count: 10)
    }
    #expect(Bitfield(count: 0).isComplete)
    #expect(Bitfield(count: 16, repeating: true).bytes == [0xFF, 0xFF])
}
