// Hex digits: two per byte in either case, so different bytes never give the same text, and strict decoding.

import DoorwayBasics
import Testing

@Suite struct HexTests {
    @Test("every byte is two digits, so [0x1, 0x23] and [0x12, 0x3] differ")
    func twoDigitsPerByte() {
        #expect(Hex.encode([0x01, 0x23]) == "0123")
        #expect(Hex.encode([0x12, 0x03]) == "1203")
        #expect(Hex.encode([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(Hex.encode([0x00, 0xAB, 0xFF], uppercase: true) == "00ABFF")
        #expect(Hex.encode([UInt8]()) == "")
    }

    @Test("a 64-bit value is sixteen digits, most significant first")
    func sixteenDigits() {
        #expect(Hex.encode(UInt64(0x1F)) == "000000000000001f")
        #expect(Hex.encode(UInt64.max, uppercase: true) == "FFFFFFFFFFFFFFFF")
    }

    @Test("appending one byte, as percent-encoding does")
    func append() {
        var output = Array("%".utf8)
        Hex.append(0x0A, to: &output, uppercase: true)
        #expect(String(decoding: output, as: UTF8.self) == "%0A")
    }

    @Test("decoding takes either case and refuses odd lengths and other characters")
    func decode() {
        #expect(Hex.decode("00abFF") == [0x00, 0xAB, 0xFF])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("") == [])
        #expect(Hex.value(of: UInt8(ascii: "F")) == 15 && Hex.value(of: UInt8(ascii: "z")) == nil)
        let bytes = (0...255).map { UInt8($0) }
        #expect(Hex.decode(Hex.encode(bytes)) == bytes)
    }
}
