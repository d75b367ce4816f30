// Tit-for-tat slots, the rotating optimistic unchoke, and that only interested peers are unchoked.

import DoorwayTorrent
import Testing

func peers(_ count: Int, interested: Bool = true, recent: Bool = false) -> [ChokerPeer] {
    (0..<count).map {
        ChokerPeer(
            key: $0, isInterested: interested, downloadRate: Double(1000 * ($0 + 1)),
            uploadRate: Double(1000 * (count - $0)), connectedRecently: recent
        )
    }
}

@Test func fastestFourPlusOneOptimistic() {
    var choker = Choker(seed: 1)
    let unchoked = choker.recompute(peers: peers(10), seeding: false)
    #expect(unchoked.count == 5)
    #expect(unchoked.isSuperset(of: [9, 8, 7, 6]))
    let optimistic = choker.optimisticUnchoke
    #expect(optimistic != nil && optimistic! < 6 && unchoked.contains(optimistic!))
}

@Test func optimisticUnchokeRotatesEveryThirdCall() {
    var choker = Choker(seed: 7)
    let swarm = peers(12)
    var optimistic: [PeerKey?] = []
    for _ in 0..<9 {
        _ = choker.recompute(peers: swarm, seeding: false)
        optimistic.append(choker.optimisticUnchoke)
    }
    #expect(optimistic.allSatisfy { $0 != nil })
    #expect(optimistic[0] == optimistic[1] && optimistic[1] == optimistic[2])
    #expect(optimistic[3] == optimistic[4] && optimistic[4] == optimistic[5])
    #expect(optimistic[6] == optimistic[7] && optimistic[7] == optimistic[8])
    #expect(optimistic[2] != optimistic[3] && optimistic[5] != optimistic[6])
}

@Test func optimisticIsReplacedWhenItsPeerLeaves() {
    var choker = Choker(seed: 3)
    var swarm = peers(8)
    _ = choker.recompute(peers: swarm, seeding: false)
    let first = choker.optimisticUnchoke!
    swarm.removeAll { $0.key == first }
    let unchoked = choker.recompute(peers: swarm, seeding: false)
    #expect(choker.optimisticUnchoke != first && choker.optimisticUnchoke != nil)
    #expect(!unchoked.contains(first) && unchoked.count == 5)
}

@Test func uninterestedPeersNeverTakeSlots() {
    var choker = Choker(seed: 2)
    var swarm = peers(10)
    for index in 5..<10 { swarm[index].isInterested = false }  // the five fastest
    for _ in 0..<6 {
        let unchoked = choker.recompute(peers: swarm, seeding: false)
        #expect(unchoked == [0, 1, 2, 3, 4])
    }
    swarm = peers(10, interested: false)
    swarm[3].isInterested = true
    #expect(choker.recompute(peers: swarm, seeding: true) == [3])
    #expect(choker.recompute(peers: [], seeding: false).isEmpty)
}

@Test func seedingRanksByUploadRate() {
    var choker = Choker(seed: 4)
    let unchoked = choker.recompute(peers: peers(10), seeding: true)
    #expect(unchoked.isSuperset(of: [0, 1, 2, 3]))
    #expect(unchoked.count == 5)
    #expect(choker.optimisticUnchoke! >= 4)
}

@Test func newPeersAreThreeTimesLikelierOptimisticUnchokes() {
    // Four fast peers fill the slots; candidates are one new peer and one old: the new one should win ~3/4.
    var swarm = peers(6)
    swarm[0].connectedRecently = true
    var newWins = 0
    let trials = 4000
    for seed in 0..<trials {
        var choker = Choker(seed: UInt64(seed))
        _ = choker.recompute(peers: swarm, seeding: false)
        if choker.optimisticUnchoke == 0 { newWins += 1 }
    }
    let share = Double(newWins) / Double(trials)
    #expect(share > 0.70 && share < 0.80)
}

@Test func refreshBetweenTicksKeepsTheOptimisticUnchoke() {
    var choker = Choker(seed: 11)
    var swarm = peers(10)
    _ = choker.recompute(peers: swarm, seeding: false)
    let optimistic = choker.optimisticUnchoke
    for _ in 0..<10 {
        _ = choker.refresh(peers: swarm, seeding: false)
        #expect(choker.optimisticUnchoke == optimistic)
    }
    // A newcomer that is interested and fast takes a regular slot right away.
    swarm.append(ChokerPeer(key: 99, isInterested: true, downloadRate: 1e9, uploadRate: 0, connectedRecently: true))
    let unchoked = choker.refresh(peers: swarm, seeding: false)
    #expect(unchoked.isSuperset(of: [99, 9, 8, 7]) && !unchoked.contains(6))
    _ = choker.recompute(peers: swarm, seeding: false)
    _ = choker.recompute(peers: swarm, seeding: false)
    #expect(choker.optimisticUnchoke == optimistic)
    _ = choker.recompute(peers: swarm, seeding: false)
    #expect(choker.optimisticUnchoke != optimistic)
}
