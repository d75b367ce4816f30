// Seeded fuzzing of the decoder: garbage never crashes or hangs it, and valid traffic round-trips in any chunking.

import DoorwayBasics
import DoorwayTorrent
import Testing

@Test(arguments: 0..<8)
func randomBytesNeverCrashOrHang(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    for _ in 0..<300 {
        let pieceCount = Int.random(in: 0...40, using: &random)
        var decoder = PeerMessageDecoder(pieceCount: pieceCount, fastExtension: Bool.random(using: &random))
        // Half the inputs start with a plausible small length so the body parsers are reached, not just the header.
        var bytes = random.bytes(Int.random(in: 0...200, using: &random))
        if Bool.random(using: &random), bytes.count > 5 {
            bytes[0] = 0
            bytes[1] = 0
            bytes[2] = 0
            bytes[3] = UInt8.random(in: 0...20, using: &random)
            bytes[4] = UInt8.random(in: 0...21, using: &random)
        }
        var index = 0
        var decoded = 0
        feeding: while index < bytes.count {
            let end = min(bytes.count, index + Int.random(in: 1...17, using: &random))
            decoder.append(bytes[index..<end])
            index = end
            do {
                while try decoder.next() != nil {
                    decoded += 1
                    // Each message consumes at least four bytes, so more messages than that means a loop.
                    #expect(decoded <= bytes.count / 4)
                    if decoded > bytes.count { break feeding }
                }
            } catch {
                #expect(!error.description.isEmpty)
                break feeding
            }
        }
    }
}

func randomMessage(pieceCount: Int, using random: inout SplitMix64) -> PeerMessage {
    func piece() -> UInt32 { UInt32.random(in: 0..<UInt32(pieceCount), using: &random) }
    func offset() -> UInt32 { UInt32.random(in: 0...UInt32.max, using: &random) }
    func length() -> UInt32 { UInt32.random(in: 1...16_384, using: &random) }
    switch Int.random(in: 0..<17, using: &random) {
    case 0: return .keepAlive
    case 1: return .choke
    case 2: return .unchoke
    case 3: return .interested
    case 4: return .notInterested
    case 5: return .have(piece: piece())
    case 6:
        var bits = Bitfield(count: pieceCount)
        for index in 0..<pieceCount where Bool.random(using: &random) { bits[index] = true }
        return .bitfield(bits.bytes)
    case 7: return .request(piece: piece(), offset: offset(), length: length())
    case 8: return .piece(piece: piece(), offset: offset(), block: random.bytes(Int(length() % 300) + 1))
    case 9: return .cancel(piece: piece(), offset: offset(), length: offset())
    case 10: return .port(UInt16.random(in: 0...UInt16.max, using: &random))
    case 11: return .haveAll
    case 12: return .haveNone
    case 13: return .suggest(piece())
    case 14: return .reject(piece: piece(), offset: offset(), length: offset())
    case 15: return .allowedFast(piece())
    default:
        return .extended(id: UInt8.random(in: 0...255, using: &random), payload: random.bytes(Int(length() % 500)))
    }
}

@Test(arguments: 0..<8)
func randomValidSequencesRoundTrip(seed: UInt64) throws {
    var random = SplitMix64(seed: seed &+ 1000)
    for _ in 0..<40 {
        let pieceCount = Int.random(in: 1...100, using: &random)
        let messages = (0..<Int.random(in: 1...60, using: &random)).map { _ in
            randomMessage(pieceCount: pieceCount, using: &random)
        }
        let stream = messages.flatMap(\.bytes)
        var decoder = PeerMessageDecoder(pieceCount: pieceCount, fastExtension: true)
        var decoded: [PeerMessage] = []
        var index = 0
        while index < stream.count {
            let end = min(stream.count, index + Int.random(in: 1...700, using: &random))
            decoder.append(stream[index..<end])
            index = end
            while let message = try decoder.next() { decoded.append(message) }
        }
        #expect(decoded == messages)
        #expect(decoder.bufferedByteCount == 0)
    }
}
