// A seeded random generator for users' tests: the package's own SplitMix64, so a failing seed replays exactly.

import DoorwayBasics

/// A random number generator that gives the same sequence for the same seed, for fuzz loops and simulated
/// peers whose failures must replay. It is the generator the package's own tests use.
///
/// ```swift
/// var random = SeededRandom(seed: 42)
/// let input = random.bytes(64)   // the same 64 bytes on every run
/// ```
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { generator.next() }

    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] { generator.bytes(count) }
}
