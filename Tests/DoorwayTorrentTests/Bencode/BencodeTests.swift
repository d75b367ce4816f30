// Strict bencode decoding: each rule with exact input bytes and the exact error and offset it must produce.

import DoorwayTorrent
import Testing

struct BencodeTests {
    let decoder = BencodeDecoder()

    func error(_ input: String, decoder: BencodeDecoder = BencodeDecoder()) -> BencodeError? {
        error(bytes(input), decoder: decoder)
    }

    func error(_ input: [UInt8], decoder: BencodeDecoder = BencodeDecoder()) -> BencodeError? {
        do {
            _ = try decoder.decode(input)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesEveryType() throws {
        #expect(try decoder.decode(bytes("i42e")) == .integer(42))
        #expect(try decoder.decode(bytes("i-42e")) == .integer(-42))
        #expect(try decoder.decode(bytes("i0e")) == .integer(0))
        #expect(try decoder.decode(bytes("4:spam")) == .bytes(bytes("spam")))
        #expect(try decoder.decode(bytes("0:")) == .bytes([]))
        #expect(try decoder.decode(bytes("l4:spami42ee")) == .list(["spam", 42]))
        #expect(try decoder.decode(bytes("le")) == .list([]))
        #expect(try decoder.decode(bytes("de")) == .dictionary([:]))
        let value = try decoder.decode(bytes("d3:bar4:spam3:fooi42ee"))
        #expect(value == .dictionary(["bar": "spam", "foo": 42]))
        #expect(value["bar"]?.string == "spam")
        #expect(value["foo"]?.integer == 42)
        #expect(value["missing"] == nil)
        #expect(value.list == nil)
    }

    @Test func integerLimits() throws {
        #expect(try decoder.decode(bytes("i9223372036854775807e")) == .integer(Int64.max))
        #expect(try decoder.decode(bytes("i-9223372036854775808e")) == .integer(Int64.min))
        #expect(error("i9223372036854775808e") == BencodeError(.integerOverflow, at: 1))
        #expect(error("i-9223372036854775809e") == BencodeError(.integerOverflow, at: 2))
        #expect(error("i99999999999999999999999999999e") == BencodeError(.integerOverflow, at: 1))
    }

    @Test func rejectsMalformedIntegers() {
        #expect(error("i03e") == BencodeError(.leadingZero, at: 1))
        #expect(error("i-03e") == BencodeError(.leadingZero, at: 2))
        #expect(error("i00e") == BencodeError(.leadingZero, at: 1))
        #expect(error("i-0e") == BencodeError(.negativeZero, at: 1))
        #expect(error("ie") == BencodeError(.missingDigits, at: 1))
        #expect(error("i-e") == BencodeError(.missingDigits, at: 2))
        #expect(error("i12") == BencodeError(.unexpectedEnd, at: 3))
        #expect(error("i1.5e") == BencodeError(.unexpectedByte(UInt8(ascii: ".")), at: 2))
        #expect(error("i+5e") == BencodeError(.unexpectedByte(UInt8(ascii: "+")), at: 1))
        #expect(error("i--5e") == BencodeError(.unexpectedByte(UInt8(ascii: "-")), at: 2))
        #expect(error("i 5e") == BencodeError(.unexpectedByte(UInt8(ascii: " ")), at: 1))
    }

    @Test func rejectsMalformedByteStrings() {
        #expect(error("03:abc") == BencodeError(.leadingZero, at: 0))
        #expect(error("00:") == BencodeError(.leadingZero, at: 0))
        #expect(error("5:abc") == BencodeError(.lengthExceedsInput(declared: "5", remaining: 3), at: 0))
        let declared = "99999999999"
        #expect(error(declared + ":") == BencodeError(.lengthExceedsInput(declared: declared, remaining: 0), at: 0))
        let huge = "999999999999999999999999999999:x"
        #expect(
            error(huge)
                == BencodeError(.lengthExceedsInput(declared: "999999999999999999999999…", remaining: 1), at: 0)
        )
        #expect(error("l\(declared):e") == BencodeError(.lengthExceedsInput(declared: declared, remaining: 1), at: 1))
        #expect(error("3abc") == BencodeError(.unexpectedByte(UInt8(ascii: "a")), at: 1))
        #expect(error("3") == BencodeError(.unexpectedEnd, at: 1))
        #expect(error("-3:abc") == BencodeError(.unexpectedByte(UInt8(ascii: "-")), at: 0))
    }

    @Test func rejectsBadDictionaries() {
        #expect(
            error("d1:bi1e1:ai2ee") == BencodeError(.unsortedKey(key: "a", previous: "b"), at: 7)
        )
        #expect(error("d1:ai1e1:ai2ee") == BencodeError(.duplicateKey("a"), at: 7))
        #expect(error("di1ei2ee") == BencodeError(.keyNotByteString, at: 1))
        #expect(error("dle1:ae") == BencodeError(.keyNotByteString, at: 1))
        #expect(error("d1:ae") == BencodeError(.missingValue(key: "a"), at: 4))
        #expect(error("d1:a") == BencodeError(.unexpectedEnd, at: 4))
        #expect(error("d") == BencodeError(.unexpectedEnd, at: 1))
        // Raw-byte order: "ab" < "b", and 0x7F < 0xFF even though neither is ASCII text ordering by locale.
        #expect(error("d2:abi1e1:bi2ee") == nil)
        #expect(error([0x64, 0x31, 0x3A, 0xFF, 0x69, 0x31, 0x65, 0x31, 0x3A, 0x7F, 0x69, 0x32, 0x65, 0x65]) != nil)
        #expect(error([0x64, 0x31, 0x3A, 0x7F, 0x69, 0x31, 0x65, 0x31, 0x3A, 0xFF, 0x69, 0x32, 0x65, 0x65]) == nil)
        // A prefix sorts first.
        #expect(error("d1:ai1e2:aai2ee") == nil)
        #expect(error("d2:aai1e1:ai2ee") == BencodeError(.unsortedKey(key: "a", previous: "aa"), at: 8))
    }

    @Test func rejectsStructuralErrors() {
        #expect(error("") == BencodeError(.unexpectedEnd, at: 0))
        #expect(error("l") == BencodeError(.unexpectedEnd, at: 1))
        #expect(error("li1e") == BencodeError(.unexpectedEnd, at: 4))
        #expect(error("e") == BencodeError(.unexpectedByte(UInt8(ascii: "e")), at: 0))
        #expect(error("x") == BencodeError(.unexpectedByte(UInt8(ascii: "x")), at: 0))
        #expect(error("i1ei2e") == BencodeError(.trailingData(count: 3), at: 3))
        #expect(error("lee") == BencodeError(.trailingData(count: 1), at: 2))
        #expect(error("4:spam\n") == BencodeError(.trailingData(count: 1), at: 6))
    }

    @Test func errorDescriptionsNameProblemAndOffset() {
        #expect(error("i03e")?.description == "bencode: leading zero in integer at offset 1")
        #expect(
            error("d1:bi1e1:ai2ee")?.description
                == "bencode: dictionary keys not sorted: \"a\" after \"b\" at offset 7"
        )
        #expect(
            error("99999999999:")?.description
                == "bencode: byte string length 99999999999 exceeds the 0 bytes remaining at offset 0"
        )
        #expect(error("i1ex")?.description == "bencode: 1 trailing bytes after the value at offset 3")
        #expect(error([0x00])?.description == "bencode: unexpected byte 0x00 at offset 0")
    }

    @Test func depthIsBounded() {
        let deep = [UInt8](repeating: UInt8(ascii: "l"), count: 100_000)
        #expect(error(deep) == BencodeError(.depthExceeded(maximum: 64), at: 64))
        let deepDictionaries = [UInt8](repeating: 0, count: 50_000).flatMap { _ in bytes("d1:a") }
        #expect(error(deepDictionaries) == BencodeError(.depthExceeded(maximum: 64), at: 64 * 4))

        let exactly64 = bytes(String(repeating: "l", count: 64) + String(repeating: "e", count: 64))
        #expect(error(exactly64) == nil)
        let sixtyFive = bytes(String(repeating: "l", count: 65) + String(repeating: "e", count: 65))
        #expect(error(sixtyFive) == BencodeError(.depthExceeded(maximum: 64), at: 64))
        let flat = BencodeDecoder(maximumDepth: 0)
        #expect(error("li1ee", decoder: flat) == BencodeError(.depthExceeded(maximum: 0), at: 0))
        #expect(error("i1e", decoder: flat) == nil)
    }

    @Test func inputLengthIsBounded() {
        let small = BencodeDecoder(maximumLength: 8)
        #expect(error("4:spam", decoder: small) == nil)
        #expect(error("7:abcdefg", decoder: small) == BencodeError(.inputTooLong(count: 9, maximum: 8), at: 0))
        #expect(BencodeDecoder().maximumLength == 16 * 1024 * 1024)
        #expect(BencodeDecoder().maximumDepth == 64)
    }

    @Test func canonicalInputsRoundTrip() throws {
        let samples = [
            "i0e", "i-1e", "i9223372036854775807e", "0:", "3:\u{0}\u{1}\u{2}", "le", "de", "lli1eelee",
            "d1:ad1:bl1:ceee", "d8:announce3:url4:infod6:lengthi5e4:name1:xee",
        ]
        for sample in samples {
            let value = try decoder.decode(bytes(sample))
            #expect(value.encoded == bytes(sample), "\(sample)")
        }
    }

    @Test func encodingSortsKeysByRawBytes() {
        let value = BencodeValue.dictionary([
            "zeta": 1,
            "alpha": "x",
            BencodeKey(bytes: [0xFF]): .list([]),
            "Zeta": .dictionary([:]),
        ])
        var expected = bytes("d4:Zetade5:alpha1:x4:zetai1e1:")
        expected.append(0xFF)
        expected += bytes("lee")
        #expect(value.encoded == expected)
    }

    @Test func accessorsRespectTypesAndUTF8() {
        let invalid = BencodeValue.bytes([0xC3, 0x28])
        #expect(invalid.string == nil)
        #expect(invalid.bytes == [0xC3, 0x28])
        #expect(BencodeValue.string("héllo").string == "héllo")
        #expect(BencodeValue.integer(3).string == nil)
        #expect(BencodeValue.integer(3).bytes == nil)
        #expect(BencodeValue.list([1]).list == [1])
        #expect(BencodeValue.list([1])["a"] == nil)
        #expect(BencodeValue.dictionary(["a": 1]).dictionary == ["a": 1])
        #expect(BencodeKey(bytes: [0xFF]).string == nil)
        #expect(BencodeKey(bytes: [0xFF]).description == "<ff>")
    }

    @Test func reportsRawRangesOfTopLevelValues() throws {
        let input = bytes("d4:infod1:ai1ee3:zzzli1ei2eee")
        let (value, ranges) = try decoder.decodeWithRanges(input)
        #expect(value["info"] == .dictionary(["a": 1]))
        #expect(ranges["info"] == 7..<15)
        #expect(Array(input[ranges["info"]!]) == bytes("d1:ai1ee"))
        #expect(Array(input[ranges["zzz"]!]) == bytes("li1ei2ee"))
        #expect(try decoder.rawRange(ofKey: "info", inTopLevelDictionaryOf: input) == 7..<15)
        #expect(try decoder.rawRange(ofKey: "nope", inTopLevelDictionaryOf: input) == nil)
        #expect(try decoder.rawRange(ofKey: "info", inTopLevelDictionaryOf: bytes("li1ee")) == nil)
        // Nested keys with the same name do not leak into the top-level ranges.
        let nested = bytes("d1:ad4:infoi1eee")
        #expect(try decoder.decodeWithRanges(nested).ranges == ["a": 4..<15])
        #expect(throws: BencodeError.self) {
            try decoder.rawRange(ofKey: "info", inTopLevelDictionaryOf: bytes("d4:infoi1e"))
        }
    }
}
