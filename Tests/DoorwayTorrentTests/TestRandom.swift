// The wire and picker tests' name for the shared seeded generator (Support.swift).

typealias TestRandom = SplitMix64
