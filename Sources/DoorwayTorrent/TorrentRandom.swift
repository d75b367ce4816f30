// The seeded generator piece picking and choking use, so they are reproducible in tests and differ per seed in use.

import DoorwayBasics

/// SplitMix64 from DoorwayBasics: tiny, fast and statistically good enough for picking pieces and peers.
typealias TorrentRandom = SplitMix64
