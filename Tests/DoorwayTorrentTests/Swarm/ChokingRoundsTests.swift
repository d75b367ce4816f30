// Choking rounds on a simulated clock: rates, snubbing, keep-alives and the optimistic rotation happen at the
// right times without sockets or waiting.

import NIOCore
import Testing

@testable import DoorwayTorrent

struct ChokingRoundsTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    /// `count` interested peers, all connected at `start` and heard from at `heard`; peer `k` sent `k+1` KB.
    func swarm(_ count: Int, heard: NIODeadline? = nil) -> [ChokingRounds.Peer] {
        (0..<count).map { key in
            ChokingRounds.Peer(
                key: key, isInterested: true, connectedAt: start, lastReceived: heard ?? start,
                downloadedSinceRound: 1000 * (key + 1), uploadedSinceRound: 10 * (key + 1))
        }
    }

    @Test("a round's rates are the bytes since the last round over the interval")
    func ratesOverTheInterval() {
        var rounds = ChokingRounds(interval: .seconds(10), uploadSlots: 4, seed: 1)
        let round = rounds.round(swarm(3), at: start + .seconds(10), seeding: false)
        #expect(round.rates[0]?.download == 100 && round.rates[0]?.upload == 1)
        #expect(round.rates[2]?.download == 300 && round.rates[2]?.upload == 3)
        #expect(round.snubbed.isEmpty && round.unchoked == [0, 1, 2])
    }

    @Test("a peer that sent nothing for the snub interval is snubbed, and gets no slot")
    func silentPeerIsSnubbed() {
        var rounds = ChokingRounds(interval: .seconds(10), uploadSlots: 4, seed: 1)
        var peers = swarm(3, heard: start)
        peers[1].lastReceived = start + .seconds(170)  // heard from since
        // Exactly three minutes of silence is still allowed.
        var round = rounds.round(peers, at: start + ChokingRounds.snubInterval, seeding: false)
        #expect(round.snubbed.isEmpty)
        round = rounds.round(peers, at: start + ChokingRounds.snubInterval + .seconds(10), seeding: false)
        #expect(round.snubbed == [0, 2])
        #expect(round.unchoked == [1])
        #expect(round.rates.count == 3, "snubbed peers' rates are measured too")
        #expect(ChokingRounds.isSnubbed(peers[1], at: start + .seconds(170) + .minutes(3) + .nanoseconds(1)))
    }

    @Test("keep-alives go out on every ninth round, 90 s apart at 10 s")
    func keepAlivesEveryNinthRound() {
        var rounds = ChokingRounds(interval: .seconds(10), uploadSlots: 4, seed: 1)
        var keepAliveTimes: [Int64] = []
        for second in stride(from: 10, through: 200, by: 10) {
            let now = start + .seconds(Int64(second))
            // Peers keep talking, so nobody is snubbed.
            if rounds.round(swarm(2, heard: now), at: now, seeding: false).sendsKeepAlives {
                keepAliveTimes.append(Int64(second))
            }
        }
        #expect(keepAliveTimes == [90, 180])
        #expect(rounds.count == 20)
    }

    @Test("the optimistic unchoke rotates every third round (30 s); refreshes between rounds do not rotate it")
    func optimisticRotatesEveryThirtySeconds() {
        var rounds = ChokingRounds(interval: .seconds(10), uploadSlots: 2, seed: 7)
        var optimistic: [Set<PeerKey>] = []
        for index in 1...9 {
            let now = start + .seconds(Int64(10 * index))
            let peers = swarm(8, heard: now)
            let unchoked = rounds.round(peers, at: now, seeding: false)
            // Regular slots: the two fastest (keys 7 and 6); the rest is the optimistic unchoke.
            #expect(unchoked.unchoked.isSuperset(of: [6, 7]) && unchoked.unchoked.count == 3)
            optimistic.append(unchoked.unchoked.subtracting([6, 7]))
            // A peer becoming interested in between asks for a refresh, ranked by the rates just measured: the
            // optimistic peer stays.
            let measured = peers.map { peer in
                var peer = peer
                (peer.downloadRate, peer.uploadRate) = unchoked.rates[peer.key]!
                return peer
            }
            #expect(rounds.refresh(measured, at: now + .seconds(5), seeding: false) == unchoked.unchoked)
        }
        #expect(optimistic[0] == optimistic[1] && optimistic[1] == optimistic[2])
        #expect(optimistic[3] == optimistic[4] && optimistic[4] == optimistic[5])
        #expect(optimistic[6] == optimistic[7] && optimistic[7] == optimistic[8])
        #expect(optimistic[2] != optimistic[3] && optimistic[5] != optimistic[6])
    }

    @Test("peers connected less than a minute ago count as new for the optimistic draw")
    func newPeersByTheClock() {
        let peers = swarm(1)
        #expect(ChokingRounds.chokerPeers(peers, at: start + .seconds(59))[0].connectedRecently)
        #expect(!ChokingRounds.chokerPeers(peers, at: start + ChokingRounds.newPeerWindow)[0].connectedRecently)
    }

    @Test("a choked peer may take a slot between rounds only while a regular slot is free")
    func freeSlots() {
        let rounds = ChokingRounds(interval: .seconds(10), uploadSlots: 4, seed: 1)
        #expect(rounds.hasFreeSlot(unchokedCount: 3))
        #expect(!rounds.hasFreeSlot(unchokedCount: 4))
    }
}
