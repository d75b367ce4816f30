// Seeded fuzzing of the bencode decoder: random values must round-trip, and random or mutated input must either
// fail cleanly or be exactly the canonical encoding of what was decoded.

import DoorwayBasics
import DoorwayTorrent
import Testing

struct BencodeFuzzTests {
    func randomValue(_ rng: inout SplitMix64, depth: Int) -> BencodeValue {
        let choice = depth >= 6 ? Int.random(in: 0..<2, using: &rng) : Int.random(in: 0..<4, using: &rng)
        switch choice {
        case 0:
            let magnitude = Int.random(in: 0..<4, using: &rng)
            switch magnitude {
            case 0: return .integer(Int64.random(in: -10...10, using: &rng))
            case 1: return .integer(Int64.random(in: Int64.min...Int64.max, using: &rng))
            case 2: return .integer([Int64.min, Int64.max, 0][Int.random(in: 0..<3, using: &rng)])
            default: return .integer(Int64.random(in: -100_000...100_000, using: &rng))
            }
        case 1:
            return .bytes(randomBytes(&rng, maximum: 40))
        case 2:
            let count = Int.random(in: 0..<6, using: &rng)
            return .list((0..<count).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            let count = Int.random(in: 0..<6, using: &rng)
            var entries: [BencodeKey: BencodeValue] = [:]
            for _ in 0..<count {
                entries[BencodeKey(bytes: randomBytes(&rng, maximum: 8))] = randomValue(&rng, depth: depth + 1)
            }
            return .dictionary(entries)
        }
    }

    func randomBytes(_ rng: inout SplitMix64, maximum: Int) -> [UInt8] {
        (0..<Int.random(in: 0...maximum, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    @Test func randomValuesRoundTrip() throws {
        var rng = SplitMix64(seed: 0xD00E_0A1)
        let decoder = BencodeDecoder()
        for _ in 0..<2_000 {
            let value = randomValue(&rng, depth: 0)
            let encoded = value.encoded
            #expect(try decoder.decode(encoded) == value)
        }
    }

    @Test func mutatedInputsFailCleanlyOrAreCanonical() {
        var rng = SplitMix64(seed: 42)
        let decoder = BencodeDecoder(maximumDepth: 16)
        let alphabet = Array("ilde0123456789:-x".utf8)
        var accepted = 0
        for round in 0..<20_000 {
            var input: [UInt8]
            if round % 4 == 0 {
                input = (0..<Int.random(in: 0..<24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            } else {
                input = randomValue(&rng, depth: 2).encoded
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    mutate(&input, &rng, alphabet: alphabet)
                }
            }
            // Strictness means a successful decode has exactly one encoding: the input itself.
            if let value = try? decoder.decode(input) {
                accepted += 1
                #expect(value.encoded == input)
            }
        }
        #expect(accepted > 0)
    }

    func mutate(_ input: inout [UInt8], _ rng: inout SplitMix64, alphabet: [UInt8]) {
        let position = input.isEmpty ? 0 : Int.random(in: 0..<input.count, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0 where !input.isEmpty:
            input[position] = alphabet.randomElement(using: &rng)!
        case 1 where !input.isEmpty:
            input[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        case 2:
            input.insert(alphabet.randomElement(using: &rng)!, at: position)
        case 3 where !input.isEmpty:
            input.remove(at: position)
        default:
            input = Array(input.prefix(position))
        }
    }
}
