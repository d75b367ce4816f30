// Feeds pseudo-random, grammar-flavoured input to every parser: none may trap, and invariants must hold.

import DoorwayBasics
import Testing

@testable import DoorwayHTTP
@testable import DoorwayWeb

@Suite struct RobustnessTests {
    /// Deterministic SplitMix64 so failures are reproducible.
    typealias Generator = SplitMix64

    static let alphabet: [String] = [
        "/", ".", "..", "%", "%2e", "%2E", "%2f", "%00", "%C3", "%A9", "%FF", "?", "#", "a", "Z", "0", "9", "-", ",",
        " ", "\t", "\"", "W/", "*", ";", "q=", "=", "bytes", "Bytes=", "99999999999999999999", "é", "\\", ":", "@",
        "http://", "GMT", "Sun", "Nov", "\u{0}", "\r\n", "1", "0.5",
    ]

    static func randomString(_ generator: inout Generator) -> String {
        let count = Int.random(in: 0...12, using: &generator)
        return (0..<count).map { _ in alphabet.randomElement(using: &generator) ?? "" }.joined()
    }

    @Test func requestTargetInvariants() {
        var generator = Generator(seed: 1)
        var accepted = 0
        for _ in 0..<20_000 {
            let text = "/" + Self.randomString(&generator)
            guard let target = try? RequestTarget.parse(text) else { continue }
            accepted += 1
            for segment in target.segments {
                #expect(!segment.isEmpty && segment != "." && segment != "..")
                #expect(!segment.contains("/") && !segment.utf8.contains(0))
            }
            // Re-encoding must give back the same segments, so redirects never change what is addressed.
            #expect(
                (try? RequestTarget.parse(RequestTarget.percentEncodePath(target.segments)))?.segments
                    == target.segments)
        }
        // Guards against a generator that only ever produces rejected input.
        #expect(accepted > 1000)
    }

    /// Mostly well-formed range lists, with occasional junk so that the invalid paths are exercised as well.
    static func randomRangeField(_ generator: inout Generator) -> String {
        let count = Int.random(in: 1...8, using: &generator)
        let specs = (0..<count).map { _ -> String in
            let a = Int.random(in: 0...1100, using: &generator)
            let b = Int.random(in: 0...1100, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: return "\(min(a, b))-\(max(a, b))"
            case 1: return "\(a)-"
            case 2: return "-\(a)"
            case 3: return "\(a)-\(b)"
            default: return randomString(&generator)
            }
        }
        let separator = [",", ", ", " ,\t", ",,"].randomElement(using: &generator) ?? ","
        return "bytes=" + specs.joined(separator: separator)
    }

    @Test func rangeInvariants() {
        var generator = Generator(seed: 2)
        var multiple = 0
        for _ in 0..<20_000 {
            let field = Self.randomRangeField(&generator)
            let length = Int.random(in: -1...1000, using: &generator)
            guard case .satisfiable(let ranges) = RangeRequest.parse(field, length: length) else { continue }
            #expect(!ranges.isEmpty && ranges.count <= 64)
            multiple += ranges.count > 1 ? 1 : 0
            for range in ranges {
                #expect(range.lowerBound >= 0 && range.upperBound < length)
            }
            // Sorted, disjoint and not adjacent, so no byte is sent twice.
            for (a, b) in zip(ranges, ranges.dropFirst()) {
                #expect(a.upperBound + 1 < b.lowerBound)
            }
        }
        #expect(multiple > 10)
    }

    @Test func otherParsersNeverTrap() {
        var generator = Generator(seed: 3)
        for _ in 0..<20_000 {
            let text = Self.randomString(&generator)
            if let condition = EntityTagCondition.parse(text), case .tags(let tags) = condition {
                #expect(!tags.isEmpty)
                #expect(tags.allSatisfy { !$0.opaque.contains("\"") })
            }
            if let seconds = HTTPDate.parse(text) {
                #expect(HTTPDate.parse(HTTPDate.format(seconds)) == seconds)
            }
            _ = AcceptEncoding.allows("gzip", in: text)
            _ = MediaType.forPath(text)
            let line = CombinedLogLine.format(
                remoteAddress: text, time: Int.random(in: .min ... .max, using: &generator), method: text,
                target: text, version: text, status: 200, bytesSent: 1, referer: text, userAgent: text)
            #expect(line.utf8.dropLast().allSatisfy { (0x20..<0x7F).contains($0) })
        }
    }
}
