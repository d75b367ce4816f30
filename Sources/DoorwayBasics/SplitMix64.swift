// A seeded SplitMix64 generator: the same seed gives the same sequence, in sources and tests alike.

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and statistically good enough for picking pieces and
/// peers, spreading multipart boundaries, and driving fuzz tests reproducibly. Not for anything
/// security-sensitive.
///
/// ```swift
/// var random = SplitMix64(seed: 42)
/// let order = (0..<10).shuffled(using: &random)   // the same order on every run
/// ```
package struct SplitMix64: RandomNumberGenerator, Sendable {
    package var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` random bytes.
    package mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
