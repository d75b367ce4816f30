// Piece picking: block geometry, random-first then rarest-first, endgame, failures, and a simulated swarm.

import DoorwayBasics
import DoorwayTorrent
import Testing

let block = 16 * 1024

func seedBitfield(_ count: Int) -> Bitfield { Bitfield(count: count, repeating: true) }

@Test func blockGeometryShortensOnlyTheLastBlock() {
    var picker = PiecePicker(pieceCount: 3, pieceLength: 40_000, lastPieceLength: 100, randomFirstPieces: 0, seed: 1)
    picker.peerHas(1, bitfield: seedBitfield(3))
    #expect(picker.blockCount(ofPiece: 0) == 3)
    #expect(picker.blockCount(ofPiece: 2) == 1)
    let requests = picker.nextRequests(for: 1, count: 100)
    #expect(requests.count == 7)
    let byPiece = Dictionary(grouping: requests, by: \.piece)
    #expect(byPiece[0]!.map(\.length) == [block, block, 40_000 - 2 * block])
    #expect(byPiece[0]!.map(\.offset) == [0, block, 2 * block])
    #expect(byPiece[2]! == [BlockRequest(piece: 2, offset: 0, length: 100)])
    #expect(picker.isEndgame)
}

@Test func randomFirstThenRarestFirst() {
    let pieceCount = 20
    // Piece p is held by 1 + availability[p] peers: a permutation, so "rarest" is unambiguous.
    let extra = (0..<pieceCount).map { ($0 * 7) % pieceCount }
    var firstPicks: Set<Set<Int>> = []
    for seed in UInt64(0)..<10 {
        var picker = PiecePicker(pieceCount: pieceCount, pieceLength: block, lastPieceLength: block, seed: seed)
        picker.peerHas(0, bitfield: seedBitfield(pieceCount))
        for peer in 1..<pieceCount {
            var bits = Bitfield(count: pieceCount)
            for piece in 0..<pieceCount where extra[piece] >= peer { bits[piece] = true }
            picker.peerHas(peer, bitfield: bits)
        }
        #expect((0..<pieceCount).map { picker.availability(ofPiece: $0) } == extra.map { $0 + 1 })
        let picks = picker.nextRequests(for: 0, count: pieceCount).map(\.piece)
        #expect(Set(picks).count == pieceCount)
        firstPicks.insert(Set(picks.prefix(4)))
        let rest = picks.dropFirst(4).map { extra[$0] }
        #expect(rest == rest.sorted())
    }
    // The first four are random: across seeds they are not always the same (nor always the rarest).
    #expect(firstPicks.count > 1)
}

@Test func rarestFirstBreaksTiesRandomlyAndSkipsPiecesThePeerLacks() {
    var orders: Set<[Int]> = []
    for seed in UInt64(0)..<10 {
        var picker = PiecePicker(
            pieceCount: 10, pieceLength: block, lastPieceLength: block, randomFirstPieces: 0, seed: seed
        )
        var odd = Bitfield(count: 10)
        for piece in stride(from: 1, to: 10, by: 2) { odd[piece] = true }
        picker.peerHas(1, bitfield: odd)
        picker.peerHas(2, bitfield: seedBitfield(10))
        let picks = picker.nextRequests(for: 2, count: 10).map(\.piece)
        // Even pieces are held by one peer, odd by two: evens first.
        #expect(picks.prefix(5).allSatisfy { $0 % 2 == 0 })
        #expect(picks.dropFirst(5).allSatisfy { $0 % 2 == 1 })
        orders.insert(picks)
        #expect(picker.nextRequests(for: 1, count: 10).allSatisfy { $0.piece % 2 == 1 })
    }
    #expect(orders.count > 1)
}

@Test func startedPiecesAreFinishedFirst() {
    var picker = PiecePicker(pieceCount: 10, pieceLength: 4 * block, lastPieceLength: 4 * block, seed: 5)
    picker.peerHas(1, bitfield: seedBitfield(10))
    picker.peerHas(2, bitfield: seedBitfield(10))
    let first = picker.nextRequests(for: 1, count: 2)
    #expect(first.count == 2 && first[0].piece == first[1].piece)
    let second = picker.nextRequests(for: 2, count: 2)
    #expect(second.map(\.piece) == [first[0].piece, first[0].piece])
    #expect(Set(first).isDisjoint(with: second))
}

@Test func noBlockIsRequestedTwiceOutsideEndgame() {
    var picker = PiecePicker(pieceCount: 10, pieceLength: 4 * block, lastPieceLength: 3 * block, seed: 9)
    for peer in 1...3 { picker.peerHas(peer, bitfield: seedBitfield(10)) }
    var requested: Set<BlockRequest> = []
    var round = 0
    while !picker.isEndgame {
        let peer = 1 + round % 3
        round += 1
        let batch = picker.nextRequests(for: peer, count: 5)
        // The call that requests the last unrequested block enters endgame and may top up with duplicates, but
        // only after every fresh block.
        let fresh = batch.prefix { !requested.contains($0) }
        requested.formUnion(fresh)
        if fresh.count < batch.count {
            #expect(picker.isEndgame, "a block was requested twice before endgame")
            #expect(batch[fresh.count...].allSatisfy(requested.contains))
        }
    }
    #expect(requested.count == 39)
    #expect(round == 8)
}

@Test func endgameDuplicatesRequestsAndCancelsTheLosers() {
    var picker = PiecePicker(pieceCount: 2, pieceLength: 2 * block, lastPieceLength: 2 * block, seed: 3)
    picker.peerHas(1, bitfield: seedBitfield(2))
    picker.peerHas(2, bitfield: seedBitfield(2))
    picker.peerHas(3, bitfield: seedBitfield(2))
    let all = picker.nextRequests(for: 1, count: 10)
    #expect(all.count == 4)
    #expect(picker.isEndgame)
    let duplicates = picker.nextRequests(for: 2, count: 10)
    #expect(Set(duplicates) == Set(all))
    #expect(picker.nextRequests(for: 2, count: 10).isEmpty)  // never the same block twice to one peer
    // Blocks come piece by piece: all[0], all[1] are one piece, all[2], all[3] the other.
    #expect(all[0].piece == all[1].piece && all[2].piece == all[3].piece && all[0].piece != all[2].piece)
    #expect(picker.blockReceived(all[0], from: 1) == .accepted(cancel: [2]))
    #expect(!picker.outstandingRequests(for: 2).contains(all[0]))
    #expect(picker.blockReceived(all[0], from: 2) == .duplicate)
    // A third peer gets no received block, and the least-requested ones first (ties: oldest piece first).
    #expect(picker.nextRequests(for: 3, count: 1) == [all[1]])

    #expect(picker.blockReceived(all[1], from: 2) == .pieceComplete(all[0].piece, cancel: [1, 3]))
    #expect(picker.blockReceived(all[2], from: 1) == .accepted(cancel: [2]))
    #expect(picker.blockReceived(all[3], from: 2) == .pieceComplete(all[2].piece, cancel: [1]))
    picker.markHave(0)
    picker.markHave(1)
    #expect(picker.isComplete && !picker.isEndgame)
    #expect(picker.nextRequests(for: 3, count: 10).isEmpty)
    #expect(picker.blockReceived(all[0], from: 3) == .duplicate)
}

@Test func failedPieceIsRequestedAgainAndNamesItsSources() {
    var picker = PiecePicker(pieceCount: 1, pieceLength: 2 * block, lastPieceLength: 2 * block, seed: 1)
    picker.peerHas(1, bitfield: seedBitfield(1))
    picker.peerHas(2, bitfield: seedBitfield(1))
    let first = picker.nextRequests(for: 1, count: 1)
    let second = picker.nextRequests(for: 2, count: 1)
    #expect(picker.blockReceived(first[0], from: 1) == .accepted(cancel: []))
    #expect(picker.blockReceived(second[0], from: 2) == .pieceComplete(0, cancel: []))
    #expect(!picker.isComplete)
    #expect(picker.pieceFailed(0) == [1, 2])
    #expect(!picker.isEndgame)
    #expect(Set(picker.nextRequests(for: 2, count: 5)) == Set(first + second))
    for request in first + second { _ = picker.blockReceived(request, from: 2) }
    picker.markHave(0)
    #expect(picker.isComplete)
}

@Test func cancelledRequestsBecomeRequestableAgain() {
    var picker = PiecePicker(pieceCount: 2, pieceLength: 2 * block, lastPieceLength: 2 * block, seed: 2)
    picker.peerHas(1, bitfield: seedBitfield(2))
    picker.peerHas(2, bitfield: seedBitfield(2))
    let taken = picker.nextRequests(for: 1, count: 2)
    #expect(picker.outstandingRequests(for: 1) == Set(taken))
    picker.requestsCancelled(for: 1)
    #expect(picker.outstandingRequests(for: 1).isEmpty)
    #expect(!picker.isEndgame)
    let again = picker.nextRequests(for: 2, count: 4)
    #expect(Set(again).isSuperset(of: taken) && again.count == 4)
    // A block still arriving from peer 1 after the cancel is good data and is accepted.
    #expect(picker.blockReceived(taken[0], from: 1) == .accepted(cancel: [2]))

    picker.peerLeft(2)
    #expect(picker.outstandingRequests(for: 2).isEmpty)
    #expect(picker.availability(ofPiece: 0) == 1)
    #expect(picker.nextRequests(for: 2, count: 4).isEmpty)  // unknown peer: has nothing
    #expect(picker.nextRequests(for: 1, count: 4).count == 3)
}

@Test func unexpectedBlocksAreRejected() {
    var picker = PiecePicker(pieceCount: 2, pieceLength: 2 * block, lastPieceLength: 100, seed: 2)
    #expect(picker.blockReceived(BlockRequest(piece: 2, offset: 0, length: block), from: 1) == .unexpected)
    #expect(picker.blockReceived(BlockRequest(piece: 0, offset: 1, length: block), from: 1) == .unexpected)
    #expect(picker.blockReceived(BlockRequest(piece: 0, offset: 2 * block, length: 1), from: 1) == .unexpected)
    #expect(picker.blockReceived(BlockRequest(piece: 1, offset: 0, length: block), from: 1) == .unexpected)
    let short = BlockRequest(piece: 1, offset: 0, length: 100)
    #expect(picker.blockReceived(short, from: 1) == .pieceComplete(1, cancel: []))
}

@Test func completeExactlyWhenEveryPieceIsMarked() {
    var picker = PiecePicker(pieceCount: 5, pieceLength: block, lastPieceLength: 10, seed: 0)
    var ours = Bitfield(count: 5)
    for piece in [3, 0, 4, 1] {
        picker.markHave(piece)
        ours[piece] = true
        #expect(!picker.isComplete)
    }
    picker.peerHas(7, bitfield: seedBitfield(5))
    #expect(picker.isInteresting(7))
    #expect(picker.nextRequests(for: 7, count: 10) == [BlockRequest(piece: 2, offset: 0, length: block)])
    picker.markHave(2)
    ours[2] = true
    #expect(picker.isComplete)
    #expect(picker.have == ours)
    #expect(!picker.isInteresting(7))
    #expect(PiecePicker(pieceCount: 0, pieceLength: 1, lastPieceLength: 1, seed: 0).isComplete)
}

@Test func haveMessagesUpdateAvailability() {
    var picker = PiecePicker(pieceCount: 4, pieceLength: block, lastPieceLength: block, seed: 0)
    picker.peerHas(1, piece: 2)
    picker.peerHas(1, piece: 2)
    picker.peerHas(1, piece: 99)
    #expect(picker.availability(ofPiece: 2) == 1)
    #expect(picker.nextRequests(for: 1, count: 4).map(\.piece) == [2])
    var replacement = Bitfield(count: 4)
    replacement[0] = true
    picker.peerHas(1, bitfield: replacement)
    #expect((0..<4).map { picker.availability(ofPiece: $0) } == [1, 0, 0, 0])
}

@Test(arguments: [UInt64(1), 2, 3, 4])
func simulatedSwarmCompletes(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    let pieceCount = 150
    let peerCount = 8
    var picker = PiecePicker(
        pieceCount: pieceCount, pieceLength: 3 * block, lastPieceLength: 5_000, seed: seed
    )
    var holdings: [Bitfield] = (0..<peerCount).map { _ in
        var bits = Bitfield(count: pieceCount)
        for piece in 0..<pieceCount where Int.random(in: 0..<3, using: &random) == 0 { bits[piece] = true }
        return bits
    }
    for piece in 0..<pieceCount where !holdings.contains(where: { $0[piece] }) {
        holdings[Int.random(in: 0..<peerCount, using: &random)][piece] = true
    }
    for peer in 0..<peerCount { picker.peerHas(peer, bitfield: holdings[peer]) }

    var inFlight: [[BlockRequest]] = Array(repeating: [], count: peerCount)
    var received: Set<BlockRequest> = []
    var rounds = 0
    while !picker.isComplete, rounds < 10_000 {
        rounds += 1
        let peer = Int.random(in: 0..<peerCount, using: &random)
        switch Int.random(in: 0..<20, using: &random) {
        case 0:
            // Choked: its queue is dropped by the peer.
            picker.requestsCancelled(for: peer)
            inFlight[peer] = []
        case 1:
            // Reconnect.
            picker.peerLeft(peer)
            inFlight[peer] = []
            picker.peerHas(peer, bitfield: holdings[peer])
        case 2:
            // The peer got a new piece.
            let piece = Int.random(in: 0..<pieceCount, using: &random)
            holdings[peer][piece] = true
            picker.peerHas(peer, piece: piece)
        default:
            let outstanding = picker.outstandingRequests(for: peer)
            let depth = Int.random(in: 1...8, using: &random)
            let fresh = picker.nextRequests(for: peer, count: max(0, depth - outstanding.count))
            for request in fresh {
                #expect(!outstanding.contains(request), "\(request) requested twice from peer \(peer)")
                #expect(holdings[peer][request.piece])
            }
            inFlight[peer] += fresh
            for _ in 0..<Int.random(in: 0...inFlight[peer].count, using: &random) {
                let request = inFlight[peer].remove(at: Int.random(in: inFlight[peer].indices, using: &random))
                let outcome = picker.blockReceived(request, from: peer)
                for other in outcome.peersToCancel { inFlight[other].removeAll { $0 == request } }
                switch outcome {
                case .accepted:
                    received.insert(request)
                case .pieceComplete(let piece, _):
                    received.insert(request)
                    // One verification in ten fails: the piece must be fetched again.
                    if Int.random(in: 0..<10, using: &random) == 0 {
                        picker.pieceFailed(piece)
                        received = received.filter { $0.piece != piece }
                    } else {
                        picker.markHave(piece)
                    }
                case .duplicate:
                    break
                case .unexpected:
                    Issue.record("unexpected \(request)")
                }
            }
        }
    }
    #expect(picker.isComplete)
    #expect(picker.have.isComplete)
    let allBlocks = (0..<pieceCount).flatMap { piece in
        (0..<picker.blockCount(ofPiece: piece)).map { picker.block($0, ofPiece: piece) }
    }
    #expect(allBlocks.count == 149 * 3 + 1)
    #expect(received == Set(allBlocks))
}

@Test func largeTorrentWithManyPeersStaysCheap() {
    // 32768 pieces and 50 peers: every call is a byte-wise scan, so this finishes in well under a second even in
    // a debug build.
    var random = SplitMix64(seed: 42)
    let pieceCount = 32_768
    var picker = PiecePicker(pieceCount: pieceCount, pieceLength: block, lastPieceLength: block, seed: 42)
    for peer in 0..<50 {
        var bits = Bitfield(count: pieceCount)
        for piece in 0..<pieceCount where Int.random(in: 0..<2, using: &random) == 0 { bits[piece] = true }
        picker.peerHas(peer, bitfield: bits)
    }
    var requested = 0
    for call in 0..<100 {
        let batch = picker.nextRequests(for: call % 50, count: 250)
        requested += batch.count
        for request in batch.prefix(200) {
            if case .pieceComplete(let piece, _) = picker.blockReceived(request, from: call % 50) {
                picker.markHave(piece)
            }
        }
    }
    #expect(requested == 25_000)
    #expect(picker.haveCount == 20_000)
}
