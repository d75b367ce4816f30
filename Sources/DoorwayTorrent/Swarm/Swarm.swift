// The peers of one torrent as this process sees them: who has what, who may download from us, what to ask
// for next, and the pieces being assembled. Everything here runs on one event loop.

import Crypto
import DoorwayBasics
import Logging
import NIOCore
import NIOPosix

/// The coordinator of one torrent: every peer connection of the torrent is on `loop`, so this state needs
/// no locks. Disk reads, writes and SHA-1 checks go to `storageThreads` and come back to the loop. The policy
/// is pure and lives elsewhere (``PiecePicker``, ``SmartBan``, ``ChokingRounds``); this carries out its decisions.
final class Swarm {
    let metainfo: Metainfo
    let storage: TorrentStorage
    let loop: any EventLoop
    let storageThreads: NIOThreadPool
    let handshake: PeerHandshake
    let configuration: TorrentPeer.Configuration
    let logger: Logger
    /// The time, passed in so that the policy sees the same clock as its tests can simulate.
    let clock: () -> NIODeadline

    private(set) var have: Bitfield
    private(set) var picker: PiecePicker
    private var rounds: ChokingRounds
    private(set) var links: [PeerKey: PeerLink] = [:]
    private var nextKey = 0
    /// The pieces being received, who sent each block, and who is banned.
    private var smartBan: SmartBan
    /// Payload bytes in all, each way.
    private(set) var downloadedBytes = 0
    var uploadedBytes = 0
    private(set) var corruptPieces = 0
    private var completion: [EventLoopPromise<Void>] = []
    private let metrics: TorrentMetrics

    init(
        metainfo: Metainfo, storage: TorrentStorage, have: Bitfield, peerID: [UInt8], loop: any EventLoop,
        storageThreads: NIOThreadPool, configuration: TorrentPeer.Configuration, logger: Logger,
        clock: @escaping () -> NIODeadline = NIODeadline.now
    ) {
        self.metainfo = metainfo
        self.storage = storage
        self.loop = loop
        self.storageThreads = storageThreads
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.have = have
        metrics = TorrentMetrics(infoHash: metainfo.infoHash)
        handshake = PeerHandshake(infoHash: metainfo.infoHash.bytes, peerID: peerID, extensionProtocol: true)
        var generator = SystemRandomNumberGenerator()
        picker = PiecePicker(
            pieceCount: metainfo.pieceCount, pieceLength: metainfo.pieceLength,
            lastPieceLength: metainfo.length(ofPiece: metainfo.pieceCount - 1), seed: generator.next())
        rounds = ChokingRounds(
            interval: TimeAmount(configuration.tickInterval), uploadSlots: configuration.uploadSlots,
            seed: generator.next())
        smartBan = SmartBan(blockLength: picker.blockLength)
        for piece in 0..<metainfo.pieceCount where have[piece] { picker.markHave(piece) }
    }

    var isComplete: Bool { have.isComplete }

    /// Succeeds once every piece is verified and written.
    func whenComplete() -> EventLoopFuture<Void> {
        if isComplete { return loop.makeSucceededVoidFuture() }
        if let failure { return loop.makeFailedFuture(failure) }
        let promise = loop.makePromise(of: Void.self)
        completion.append(promise)
        return promise.futureResult
    }

    // MARK: Connections

    /// A peer is its address and its peer id: on one host (or behind one NAT) several peers share an address,
    /// so banning the address alone would punish the honest ones too.
    static func identity(_ address: String, _ peerID: [UInt8]) -> String {
        // Two digits a byte: unpadded, [0x1, 0x23] and [0x12, 0x3] would both be "123".
        address + "/" + Hex.encode(peerID)
    }

    /// A peer's handshake arrived: accept it as a link, or nil to close.
    func connected(_ theirs: PeerHandshake, channel: any Channel) -> PeerLink? {
        let address = channel.remoteAddress?.ipAddress ?? "?"
        guard theirs.infoHash == handshake.infoHash else {
            logger.info("peer \(address): handshake for another torrent")
            return nil
        }
        guard theirs.peerID != handshake.peerID else { return nil }  // ourselves, through the tracker
        guard !smartBan.isBanned(Self.identity(address, theirs.peerID)) else { return nil }
        guard links.count < configuration.maximumPeers else { return nil }
        guard !links.values.contains(where: { $0.peerID == theirs.peerID }) else { return nil }
        nextKey += 1
        let link = PeerLink(
            key: nextKey, channel: channel, address: address, pieceCount: metainfo.pieceCount, connectedAt: clock())
        link.peerID = theirs.peerID
        links[link.key] = link
        var greeting: [PeerMessage] = []
        if theirs.supportsExtensionProtocol {
            greeting.append(
                .extended(
                    id: ExtensionHandshake.messageID,
                    payload: ExtensionHandshake.payload(
                        utMetadataID: nil, requestQueue: configuration.maximumQueuedRequests)))
        }
        if have.setCount > 0 { greeting.append(.bitfield(have.bytes)) }
        link.send(greeting)
        link.flush()
        return link
    }

    func disconnected(_ link: PeerLink) {
        guard links.removeValue(forKey: link.key) != nil else { return }
        picker.requestsCancelled(for: link.key)
        picker.peerLeft(link.key)
        fillRequestsForAll()
    }

    func drop(_ link: PeerLink, because reason: String) {
        logger.info("peer \(link.address): \(reason)")
        disconnected(link)
        link.channel.close(promise: nil)
    }

    // MARK: Messages

    func received(_ message: PeerMessage, from link: PeerLink) {
        link.lastReceived = clock()
        switch message {
        case .keepAlive, .port, .suggest, .allowedFast, .extended:
            break
        case .choke:
            link.peerChoking = true
            link.outstanding.removeAll()
            picker.requestsCancelled(for: link.key)
        case .unchoke:
            link.peerChoking = false
            fillRequests(link)
        case .interested:
            link.peerInterested = true
            if link.amChoking && rounds.hasFreeSlot(unchokedCount: unchokedCount) { refreshChoking() }
        case .notInterested:
            link.peerInterested = false
        case .have(let piece):
            let index = Int(piece)
            if !link.bitfield[index] {
                link.bitfield[index] = true
                picker.peerHas(link.key, piece: index)
            }
            updateInterest(link)
        case .bitfield(let bytes):
            guard let bitfield = try? Bitfield(bytes: bytes, count: metainfo.pieceCount) else {
                drop(link, because: "bad bitfield")
                return
            }
            link.bitfield = bitfield
            picker.peerHas(link.key, bitfield: bitfield)
            updateInterest(link)
        case .haveAll:
            var all = Bitfield(count: metainfo.pieceCount)
            for index in 0..<metainfo.pieceCount { all[index] = true }
            link.bitfield = all
            picker.peerHas(link.key, bitfield: all)
            updateInterest(link)
        case .haveNone:
            break
        case .request(let piece, let offset, let length):
            serve(BlockRequest(piece: Int(piece), offset: Int(offset), length: Int(length)), to: link)
        case .cancel(let piece, let offset, let length):
            let block = BlockRequest(piece: Int(piece), offset: Int(offset), length: Int(length))
            link.queued.removeAll { $0 == block }
        case .reject(let piece, let offset, let length):
            let block = BlockRequest(piece: Int(piece), offset: Int(offset), length: Int(length))
            if link.outstanding.remove(block) != nil {
                picker.requestsCancelled(for: link.key)
                link.outstanding.removeAll()
            }
        case .piece(let piece, let offset, let block):
            receivedBlock(BlockRequest(piece: Int(piece), offset: Int(offset), length: block.count), block, from: link)
        }
    }

    // MARK: Downloading

    private func updateInterest(_ link: PeerLink) {
        let interesting = !isComplete && (0..<metainfo.pieceCount).contains { link.bitfield[$0] && !have[$0] }
        if interesting != link.amInterested {
            link.amInterested = interesting
            link.send(interesting ? .interested : .notInterested)
        }
        if interesting && !link.peerChoking { fillRequests(link) }
    }

    private func fillRequests(_ link: PeerLink) {
        guard !link.peerChoking, link.amInterested, !isComplete else { return }
        // Before the first choking round has measured a rate, use the average since the connection began.
        var rate = link.downloadRate
        if rate == 0 {
            let seconds = Double((clock() - link.connectedAt).nanoseconds) / 1e9
            rate = Double(link.downloaded) / max(seconds, 0.1)
        }
        let depth = RequestPipeline.depth(forRate: rate)
        let wanted = depth - link.outstanding.count
        guard wanted > 0 else { return }
        let requests = picker.nextRequests(for: link.key, count: wanted)
        for request in requests { link.outstanding.insert(request) }
        link.send(
            requests.map { .request(piece: UInt32($0.piece), offset: UInt32($0.offset), length: UInt32($0.length)) })
    }

    private func fillRequestsForAll() {
        for link in links.values {
            fillRequests(link)
            link.flush()
        }
    }

    private func receivedBlock(_ block: BlockRequest, _ bytes: [UInt8], from link: PeerLink) {
        guard link.outstanding.remove(block) != nil || picker.isEndgame else { return }
        link.downloadedSinceTick += bytes.count
        link.downloaded += bytes.count
        downloadedBytes += bytes.count
        let outcome = picker.blockReceived(block, from: link.key)
        switch outcome {
        case .duplicate, .unexpected:
            break
        case .accepted, .pieceComplete:
            store(block, bytes, from: link)
            // Endgame: the others asked for the same block need not send it now.
            for peer in outcome.peersToCancel {
                guard let other = links[peer] else { continue }
                other.outstanding.remove(block)
                other.send(
                    .cancel(piece: UInt32(block.piece), offset: UInt32(block.offset), length: UInt32(block.length)))
                other.flush()
            }
            if case .pieceComplete(let piece, _) = outcome { verify(piece) }
        }
        fillRequests(link)
    }

    private func store(_ block: BlockRequest, _ bytes: [UInt8], from link: PeerLink) {
        smartBan.received(
            block, bytes, from: Self.identity(link.address, link.peerID),
            pieceLength: metainfo.length(ofPiece: block.piece))
    }

    /// Checks a complete piece's SHA-1 off the loop; a good piece is written and announced, a bad one is
    /// downloaded again and its sender banned.
    private func verify(_ piece: Int) {
        guard let assembly = smartBan.assembled(piece) else { return }
        let expected = metainfo.pieces[piece]
        let storage = self.storage
        let checked = storageThreads.runIfActive(eventLoop: loop) { () throws -> Bool in
            guard Array(Insecure.SHA1.hash(data: assembly.bytes)) == expected else { return false }
            try storage.write(piece: piece, offset: 0, assembly.bytes)
            return true
        }
        let bound = NIOLoopBound(self, eventLoop: loop)
        checked.whenComplete { result in
            bound.value.verified(piece, assembly, result)
        }
    }

    private func verified(_ piece: Int, _ assembly: SmartBan.Assembly, _ result: Result<Bool, any Error>) {
        switch result {
        case .success(true):
            carryOut(smartBan.verified(piece, assembly))
            metrics.pieceVerified()
            pieceVerified(piece)
        case .success(false):
            corruptPieces += 1
            metrics.pieceFailed()
            picker.pieceFailed(piece)
            carryOut(smartBan.failed(piece, assembly))
            fillRequestsForAll()
        case .failure(let error):
            logger.error("cannot store piece \(piece): \(error)")
            picker.pieceFailed(piece)
            if let error = error as? TorrentStorageError, error.isDiskFull { fail(error) }
        }
    }

    /// Banned peers' connections close (they may not come back), and the pieces they helped assemble start over.
    private func carryOut(_ bans: [SmartBan.Ban]) {
        for ban in bans {
            metrics.peerBanned()
            for link in links.values where Self.identity(link.address, link.peerID) == ban.identity {
                drop(link, because: "\(ban.reason); banned")
            }
            for piece in ban.restartedPieces { picker.pieceFailed(piece) }
        }
    }

    /// Why the download cannot go on (a full disk); later waiters get it too.
    private var failure: (any Error)?

    private func fail(_ error: any Error) {
        failure = error
        for promise in completion { promise.fail(error) }
        completion.removeAll()
    }

    private func pieceVerified(_ piece: Int) {
        have[piece] = true
        picker.markHave(piece)
        for link in links.values {
            link.send(.have(piece: UInt32(piece)))
            updateInterest(link)
            link.flush()
        }
        if isComplete {
            do {
                try storage.sync()
            } catch {
                logger.error("\(error)")
            }
            for promise in completion { promise.succeed() }
            completion.removeAll()
            // Seeds have nothing to give each other.
            for link in links.values where link.bitfield.isComplete { drop(link, because: "both complete") }
        }
    }

    // MARK: Choking

    private var unchokedCount: Int { links.values.filter { !$0.amChoking }.count }

    /// Every round (10 s), as ``ChokingRounds`` decides: rates measured, snubbed peers dropped, keep-alives,
    /// and choking (4 slots plus an optimistic unchoke that rotates every 30 s).
    func tick() {
        let round = rounds.round(links.values.map(\.roundPeer), at: clock(), seeding: isComplete)
        for link in links.values {
            if let rates = round.rates[link.key] { (link.downloadRate, link.uploadRate) = rates }
            link.downloadedSinceTick = 0
            link.uploadedSinceTick = 0
            if round.snubbed.contains(link.key) {
                drop(link, because: "silent for 3 minutes")
                continue
            }
            if round.sendsKeepAlives { link.send(.keepAlive) }
        }
        choke(allBut: round.unchoked)
    }

    /// Between rounds: a peer came or became interested while an upload slot is free.
    private func refreshChoking() {
        choke(allBut: rounds.refresh(links.values.map(\.roundPeer), at: clock(), seeding: isComplete))
    }

    private func choke(allBut unchoked: Set<PeerKey>) {
        for link in links.values {
            let choke = !unchoked.contains(link.key)
            if choke != link.amChoking {
                link.amChoking = choke
                if choke { link.queued.removeAll() }
                link.send(choke ? .choke : .unchoke)
            }
            link.flush()
        }
    }

    /// Progress for a display.
    var snapshot: TorrentPeer.Progress {
        TorrentPeer.Progress(
            piecesHave: have.setCount, pieceCount: metainfo.pieceCount,
            bytesHave: (0..<metainfo.pieceCount).reduce(Int64(0)) {
                $0 + (have[$1] ? Int64(metainfo.length(ofPiece: $1)) : 0)
            },
            totalBytes: metainfo.totalLength, peers: links.count, downloaded: downloadedBytes, uploaded: uploadedBytes,
            downloadRate: links.values.reduce(0) { $0 + $1.downloadRate },
            uploadRate: links.values.reduce(0) { $0 + $1.uploadRate }, corruptPieces: corruptPieces,
            bannedPeers: smartBan.banned.count)
    }

    func closeAll() {
        for link in links.values { link.channel.close(promise: nil) }
    }
}
