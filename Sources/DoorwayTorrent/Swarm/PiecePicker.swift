// Decides which blocks to request from which peer: finish started pieces, random first pieces, then rarest first,
// and endgame duplication at the very end. Pure bookkeeping; the caller sends messages and verifies hashes.

import DoorwayBasics

/// The download-side piece picker.
///
/// It tracks how many peers have each piece (availability), which blocks are requested from whom, which are
/// received, and which pieces are verified. Each call is O(pieces / 8) for a byte-wise scan of bitfields plus
/// O(candidate pieces) for picking, never O(pieces × peers); `peerHas(_:bitfield:)` and `peerLeft(_:)` are
/// O(pieces). Memory is O(pieces + blocks in progress + outstanding requests).
///
/// ```swift
/// var picker = PiecePicker(pieceCount: 1000, pieceLength: 262_144, lastPieceLength: 1_234, seed: seed)
/// picker.peerHas(key, bitfield: theirBitfield)
/// for block in picker.nextRequests(for: key, count: RequestPipeline.depth(forRate: rate) - inFlight) {
///     send(block.requestMessage)
/// }
/// // when a piece message arrives:
/// switch picker.blockReceived(block, from: key) {
/// case .pieceComplete(let piece, let cancel):
///     cancel.forEach { sendCancel(block, to: $0) }
///     if verify(piece) { picker.markHave(piece) } else { picker.pieceFailed(piece) }
/// case .accepted(let cancel):
///     cancel.forEach { sendCancel(block, to: $0) }
/// case .duplicate, .unexpected:
///     break
/// }
/// ```
public struct PiecePicker: Sendable {
    /// Per-block state of a piece we have started: a block is missing (no requester, not received), requested
    /// (one requester, several in endgame) or received.
    struct PartialPiece: Sendable {
        var requesters: [[PeerKey]]
        var receivedFrom: [PeerKey?]
        var receivedCount = 0
        /// Tells this start of the piece from an earlier one that failed, for entries left in `startOrder`.
        let serial: Int

        init(blockCount: Int, serial: Int) {
            requesters = Array(repeating: [], count: blockCount)
            receivedFrom = Array(repeating: nil, count: blockCount)
            self.serial = serial
        }

        func isMissing(_ block: Int) -> Bool { requesters[block].isEmpty && receivedFrom[block] == nil }
    }

    public let pieceCount: Int
    public let pieceLength: Int
    public let lastPieceLength: Int
    public let blockLength: Int
    public let randomFirstPieces: Int

    private var random: SplitMix64
    /// How many known peers have each piece.
    private var availability: [Int]
    private var peerPieces: [PeerKey: Bitfield] = [:]
    private var outstanding: [PeerKey: Set<BlockRequest>] = [:]
    /// Verified pieces; also what we advertise in our own bitfield.
    public private(set) var have: Bitfield
    /// Started pieces (a partial exists), mirrored as a bitfield so the new-piece scan can skip them byte-wise.
    private var started: Bitfield
    private var partials: [PartialPiece?]
    /// Started pieces in the order they were started, so older pieces are finished first. Entries of pieces since
    /// verified or failed stay until the next compaction (removing them one by one would be O(started) each).
    private var startOrder: [(piece: Int, serial: Int)] = []
    private var startedCount = 0
    private var nextSerial = 0
    /// Blocks of unverified pieces that nobody has been asked for; zero means endgame.
    private var unrequestedBlockCount = 0

    /// - Parameters:
    ///   - pieceCount: how many pieces the torrent has.
    ///   - pieceLength: bytes in every piece but the last.
    ///   - lastPieceLength: 1...pieceLength; may be shorter than a block.
    ///   - blockLength: bytes asked for in one request (16 KiB, what BitTorrent clients expect); the last block
    ///     of a piece may be shorter.
    ///   - randomFirstPieces: while fewer pieces than this are verified or started, new pieces are chosen at random
    ///     rather than rarest first, so a newcomer quickly owns something worth trading.
    ///   - seed: drives the random choices; tests pass a constant, the client something random.
    public init(
        pieceCount: Int,
        pieceLength: Int,
        lastPieceLength: Int,
        blockLength: Int = 16 * 1024,
        randomFirstPieces: Int = 4,
        seed: UInt64
    ) {
        precondition(pieceCount >= 0 && pieceLength > 0 && blockLength > 0, "PiecePicker: invalid geometry")
        precondition(
            pieceCount == 0 || (1...pieceLength).contains(lastPieceLength),
            "PiecePicker: lastPieceLength must be 1...pieceLength"
        )
        self.pieceCount = pieceCount
        self.pieceLength = pieceLength
        self.lastPieceLength = lastPieceLength
        self.blockLength = blockLength
        self.randomFirstPieces = randomFirstPieces
        self.random = SplitMix64(seed: seed)
        self.availability = Array(repeating: 0, count: pieceCount)
        self.have = Bitfield(count: pieceCount)
        self.started = Bitfield(count: pieceCount)
        self.partials = Array(repeating: nil, count: pieceCount)
        for piece in 0..<pieceCount { unrequestedBlockCount += blockCount(ofPiece: piece) }
    }

    // MARK: State

    public var haveCount: Int { have.setCount }
    public var isComplete: Bool { have.setCount == pieceCount }

    /// True when every block we still lack is requested from (or received from) someone: from then on
    /// `nextRequests` also hands out blocks already requested from other peers, so the last blocks are not held up
    /// by one slow peer.
    public var isEndgame: Bool { !isComplete && unrequestedBlockCount == 0 }

    /// How many known peers have `piece`.
    public func availability(ofPiece piece: Int) -> Int { availability[piece] }

    /// The blocks currently requested from `peer` and not yet received or cancelled.
    public func outstandingRequests(for peer: PeerKey) -> Set<BlockRequest> { outstanding[peer] ?? [] }

    /// Whether `peer` has a piece we lack: the caller sends `interested` exactly while this holds.
    public func isInteresting(_ peer: PeerKey) -> Bool {
        guard let theirs = peerPieces[peer] else { return false }
        for (index, byte) in theirs.bytes.enumerated() where byte & ~have.bytes[index] != 0 { return true }
        return false
    }

    // MARK: Availability

    /// Records a peer's full bitfield (from `bitfield`, or built for `have all` / `have none`), replacing any
    /// earlier one. `bitfield.count` must be `pieceCount`.
    public mutating func peerHas(_ peer: PeerKey, bitfield: Bitfield) {
        precondition(bitfield.count == pieceCount, "PiecePicker: bitfield of \(bitfield.count) pieces")
        if let old = peerPieces[peer] { adjustAvailability(old, by: -1) }
        adjustAvailability(bitfield, by: 1)
        peerPieces[peer] = bitfield
    }

    /// Records a `have` message. Out-of-range indices are ignored; the decoder already rejects them.
    public mutating func peerHas(_ peer: PeerKey, piece: Int) {
        guard piece >= 0 && piece < pieceCount else { return }
        if peerPieces[peer] == nil { peerPieces[peer] = Bitfield(count: pieceCount) }
        guard peerPieces[peer]?[piece] == false else { return }
        peerPieces[peer]?[piece] = true
        availability[piece] += 1
    }

    /// Forgets a disconnected peer: its pieces no longer count and its outstanding blocks become requestable.
    public mutating func peerLeft(_ peer: PeerKey) {
        requestsCancelled(for: peer)
        if let old = peerPieces.removeValue(forKey: peer) { adjustAvailability(old, by: -1) }
    }

    private mutating func adjustAvailability(_ bitfield: Bitfield, by delta: Int) {
        for (byteIndex, byte) in bitfield.bytes.enumerated() where byte != 0 {
            var bits = byte
            while bits != 0 {
                let bit = bits.leadingZeroBitCount
                availability[byteIndex * 8 + bit] += delta
                bits &= ~(0x80 >> UInt8(bit))
            }
        }
    }

    // MARK: Our progress

    /// Marks `piece` verified (hash checked, or found on disk when resuming). Requests still outstanding for it are
    /// forgotten; blocks arriving later for it are reported as duplicates.
    public mutating func markHave(_ piece: Int) {
        guard piece >= 0 && piece < pieceCount, !have[piece] else { return }
        if let partial = partials[piece] {
            dropPartial(piece, partial)
        } else {
            unrequestedBlockCount -= blockCount(ofPiece: piece)
        }
        have[piece] = true
    }

    /// The piece failed its hash check: every block of it is needed again. Returns the peers that sent its blocks,
    /// so the caller can count strikes against them.
    @discardableResult
    public mutating func pieceFailed(_ piece: Int) -> Set<PeerKey> {
        guard piece >= 0 && piece < pieceCount else { return [] }
        if have[piece] {
            have[piece] = false
            unrequestedBlockCount += blockCount(ofPiece: piece)
            return []
        }
        guard let partial = partials[piece] else { return [] }
        dropPartial(piece, partial)
        unrequestedBlockCount += blockCount(ofPiece: piece)
        return Set(partial.receivedFrom.compactMap { $0 })
    }

    /// Removes a started piece, withdrawing its outstanding requests and its missing blocks from the count.
    private mutating func dropPartial(_ piece: Int, _ partial: PartialPiece) {
        for index in partial.requesters.indices {
            if partial.isMissing(index) { unrequestedBlockCount -= 1 }
            let request = block(index, ofPiece: piece)
            for peer in partial.requesters[index] { outstanding[peer]?.remove(request) }
        }
        partials[piece] = nil
        started[piece] = false
        startedCount -= 1
        if startOrder.count > 2 * startedCount + 64 {
            var order = startOrder  // moved out, so the filter may read `self` while the array is rewritten
            startOrder = []
            order.removeAll { !isLive($0) }
            startOrder = order
        }
    }

    private func isLive(_ entry: (piece: Int, serial: Int)) -> Bool {
        partials[entry.piece]?.serial == entry.serial
    }

    // MARK: Requests

    /// Up to `count` blocks to request from `peer`, which has unchoked us, in this order: missing blocks of pieces
    /// already started (oldest first); then blocks of new pieces, chosen at random while fewer than
    /// `randomFirstPieces` pieces are verified or started, then rarest first with random tie-breaks; and in endgame
    /// blocks already requested from others (least-requested first). Outside endgame no block is ever requested
    /// from two peers; a block is never requested twice from the same peer.
    public mutating func nextRequests(for peer: PeerKey, count: Int) -> [BlockRequest] {
        guard count > 0, !isComplete, let theirs = peerPieces[peer] else { return [] }
        var result: [BlockRequest] = []
        for entry in startOrder where theirs[entry.piece] && isLive(entry) {
            requestMissingBlocks(of: entry.piece, from: peer, limit: count, into: &result)
            if result.count == count { return result }
        }
        if unrequestedBlockCount > 0 {
            requestNewPieces(from: peer, theirs: theirs, limit: count, into: &result)
        }
        if result.count < count, isEndgame {
            requestEndgameBlocks(from: peer, theirs: theirs, limit: count, into: &result)
        }
        return result
    }

    private mutating func requestMissingBlocks(
        of piece: Int,
        from peer: PeerKey,
        limit: Int,
        into result: inout [BlockRequest]
    ) {
        guard let partial = partials[piece], partial.receivedCount < partial.receivedFrom.count else { return }
        for index in partial.requesters.indices where partial.isMissing(index) {
            record(index, ofPiece: piece, requestedFrom: peer, into: &result)
            if result.count == limit { return }
        }
    }

    private mutating func record(
        _ index: Int,
        ofPiece piece: Int,
        requestedFrom peer: PeerKey,
        into result: inout [BlockRequest]
    ) {
        if partials[piece]?.requesters[index].isEmpty == true { unrequestedBlockCount -= 1 }
        partials[piece]?.requesters[index].append(peer)
        let request = block(index, ofPiece: piece)
        outstanding[peer, default: []].insert(request)
        result.append(request)
    }

    private mutating func startPiece(_ piece: Int) {
        partials[piece] = PartialPiece(blockCount: blockCount(ofPiece: piece), serial: nextSerial)
        started[piece] = true
        startOrder.append((piece, nextSerial))
        startedCount += 1
        nextSerial += 1
    }

    private mutating func requestNewPieces(
        from peer: PeerKey,
        theirs: Bitfield,
        limit: Int,
        into result: inout [BlockRequest]
    ) {
        // Candidates: pieces the peer has that we neither have nor started, found a byte at a time.
        var candidates: [Int] = []
        for byteIndex in theirs.bytes.indices {
            var bits = theirs.bytes[byteIndex] & ~have.bytes[byteIndex] & ~started.bytes[byteIndex]
            while bits != 0 {
                let bit = bits.leadingZeroBitCount
                candidates.append(byteIndex * 8 + bit)
                bits &= ~(0x80 >> UInt8(bit))
            }
        }
        while result.count < limit, !candidates.isEmpty, haveCount + startedCount < randomFirstPieces {
            let piece = candidates.swapRemoveAt(Int.random(in: candidates.indices, using: &random))
            startPiece(piece)
            requestMissingBlocks(of: piece, from: peer, limit: limit, into: &result)
        }
        guard result.count < limit, !candidates.isEmpty else { return }
        // Rarest first: bucket by availability (at most the peer count) instead of sorting, then draw at random
        // within the rarest non-empty bucket so peers with the same view do not all pick the same piece.
        var buckets: [[Int]] = []
        for piece in candidates {
            let level = availability[piece]
            if level >= buckets.count { buckets += Array(repeating: [], count: level + 1 - buckets.count) }
            buckets[level].append(piece)
        }
        for level in buckets.indices {
            while !buckets[level].isEmpty {
                let piece = buckets[level].swapRemoveAt(Int.random(in: buckets[level].indices, using: &random))
                startPiece(piece)
                requestMissingBlocks(of: piece, from: peer, limit: limit, into: &result)
                if result.count == limit { return }
            }
        }
    }

    private mutating func requestEndgameBlocks(
        from peer: PeerKey,
        theirs: Bitfield,
        limit: Int,
        into result: inout [BlockRequest]
    ) {
        var candidates: [(piece: Int, index: Int, requesters: Int)] = []
        for (piece, serial) in startOrder where theirs[piece] {
            guard let partial = partials[piece], partial.serial == serial else { continue }
            for index in partial.requesters.indices
            where partial.receivedFrom[index] == nil && !partial.requesters[index].contains(peer) {
                candidates.append((piece, index, partial.requesters[index].count))
            }
        }
        // Spread duplicates: the block with the fewest requesters first; stable, so older pieces win ties.
        let ordered = candidates.enumerated().sorted {
            ($0.element.requesters, $0.offset) < ($1.element.requesters, $1.offset)
        }
        for candidate in ordered.prefix(limit - result.count) {
            record(candidate.element.index, ofPiece: candidate.element.piece, requestedFrom: peer, into: &result)
        }
    }

    // MARK: Arrivals and cancellations

    /// Records a block that arrived in a `piece` message from `peer`. A valid block that was not requested (for
    /// example after `requestsCancelled` raced with its arrival) is still accepted: the data is good.
    public mutating func blockReceived(_ request: BlockRequest, from peer: PeerKey) -> BlockOutcome {
        let piece = request.piece
        guard piece >= 0, piece < pieceCount, request.offset >= 0, request.offset % blockLength == 0 else {
            return .unexpected
        }
        let index = request.offset / blockLength
        guard index < blockCount(ofPiece: piece), block(index, ofPiece: piece) == request else { return .unexpected }
        outstanding[peer]?.remove(request)
        if have[piece] { return .duplicate }
        if partials[piece] == nil { startPiece(piece) }
        guard var partial = partials[piece], partial.receivedFrom[index] == nil else { return .duplicate }
        partials[piece] = nil  // keep the copy unique while mutating it
        if partial.requesters[index].isEmpty { unrequestedBlockCount -= 1 }
        let others = partial.requesters[index].filter { $0 != peer }.sorted()
        for other in others { outstanding[other]?.remove(request) }
        partial.requesters[index] = []
        partial.receivedFrom[index] = peer
        partial.receivedCount += 1
        let complete = partial.receivedCount == partial.receivedFrom.count
        partials[piece] = partial
        return complete ? .pieceComplete(piece, cancel: others) : .accepted(cancel: others)
    }

    /// `peer` choked us or disconnected: its outstanding blocks will not come and become requestable again.
    public mutating func requestsCancelled(for peer: PeerKey) {
        guard let requests = outstanding.removeValue(forKey: peer) else { return }
        for request in requests {
            let index = request.offset / blockLength
            guard var requesters = partials[request.piece]?.requesters[index] else { continue }
            requesters.removeAll { $0 == peer }
            partials[request.piece]?.requesters[index] = requesters
            if partials[request.piece]?.isMissing(index) == true { unrequestedBlockCount += 1 }
        }
    }
}

extension Array {
    /// O(1) removal that does not keep order, for drawing random elements.
    fileprivate mutating func swapRemoveAt(_ index: Int) -> Element {
        swapAt(index, count - 1)
        return removeLast()
    }
}
