// The peers of one torrent as this process sees them: who has what, who may download from us, what to ask
// for next, and the pieces being assembled. Everything here runs on one event loop.

import Crypto
import NIOCore
import NIOPosix

/// The coordinator of one torrent: every peer connection of the torrent is on `loop`, so this state needs
/// no locks. Disk reads, writes and SHA-1 checks go to `storageThreads` and come back to the loop.
final class Swarm {
    let metainfo: Metainfo
    let storage: TorrentStorage
    let loop: any EventLoop
    let storageThreads: NIOThreadPool
    let handshake: PeerHandshake
    let configuration: TorrentPeer.Configuration
    let log: (String) -> Void

    private(set) var have: Bitfield
    private var picker: PiecePicker
    private var choker: Choker
    private var links: [PeerKey: PeerLink] = [:]
    private var nextKey = 0
    /// Pieces being received: their blocks, and which peer sent each block.
    private var assemblies: [Int: PieceAssembly] = [:]
    /// Failed pieces that several peers contributed to: each block's sender and SHA-1, kept until the piece
    /// verifies, when the senders whose blocks differ from the good data are banned (libtorrent's "smart ban").
    private var suspects: [Int: [(offset: Int, sender: String, hash: [UInt8])]] = [:]
    private(set) var banned = Set<String>()
    private(set) var downloadedBytes = 0
    private(set) var uploadedBytes = 0
    private(set) var corruptPieces = 0
    private var completion: [EventLoopPromise<Void>] = []
    private var tickCount = 0
    private let metrics: TorrentMetrics

    struct PieceAssembly {
        var bytes: [UInt8]
        /// Block offset → the identity of the peer that sent it.
        var senders: [Int: String] = [:]
    }

    init(
        metainfo: Metainfo, storage: TorrentStorage, have: Bitfield, peerID: [UInt8], loop: any EventLoop,
        storageThreads: NIOThreadPool, configuration: TorrentPeer.Configuration, log: @escaping (String) -> Void
    ) {
        self.metainfo = metainfo
        self.storage = storage
        self.loop = loop
        self.storageThreads = storageThreads
        self.configuration = configuration
        self.log = log
        self.have = have
        metrics = TorrentMetrics(infoHash: metainfo.infoHash)
        handshake = PeerHandshake(infoHash: metainfo.infoHash.bytes, peerID: peerID, extensionProtocol: true)
        var generator = SystemRandomNumberGenerator()
        picker = PiecePicker(
            pieceCount: metainfo.pieceCount, pieceLength: metainfo.pieceLength,
            lastPieceLength: metainfo.length(ofPiece: metainfo.pieceCount - 1), seed: generator.next())
        choker = Choker(uploadSlots: configuration.uploadSlots, seed: generator.next())
        for piece in 0..<metainfo.pieceCount where have[piece] { picker.markHave(piece) }
    }

    var isComplete: Bool { have.isComplete }
    var peerCount: Int { links.count }
    var connectedAddresses: Set<String> { Set(links.values.map(\.address)) }

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
        address + "/" + peerID.map { String($0, radix: 16) }.joined()
    }

    /// A peer's handshake arrived: accept it as a link, or nil to close.
    func connected(_ theirs: PeerHandshake, channel: any Channel) -> PeerLink? {
        let address = channel.remoteAddress?.ipAddress ?? "?"
        guard theirs.infoHash == handshake.infoHash else {
            log("peer \(address): handshake for another torrent")
            return nil
        }
        guard theirs.peerID != handshake.peerID else { return nil }  // ourselves, through the tracker
        guard !banned.contains(Self.identity(address, theirs.peerID)) else { return nil }
        guard links.count < configuration.maximumPeers else { return nil }
        guard !links.values.contains(where: { $0.peerID == theirs.peerID }) else { return nil }
        nextKey += 1
        let link = PeerLink(key: nextKey, channel: channel, address: address, pieceCount: metainfo.pieceCount)
        link.peerID = theirs.peerID
        links[link.key] = link
        var greeting: [PeerMessage] = []
        if theirs.supportsExtensionProtocol { greeting.append(.extended(id: ExtensionHandshake.messageID, payload: ExtensionHandshake.payload(utMetadataID: nil, requestQueue: configuration.maximumQueuedRequests))) }
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

    private func drop(_ link: PeerLink, because reason: String) {
        log("peer \(link.address): \(reason)")
        disconnected(link)
        link.channel.close(promise: nil)
    }

    // MARK: Messages

    func received(_ message: PeerMessage, from link: PeerLink) {
        link.lastReceived = .now()
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
            if link.amChoking && unchokedCount < configuration.uploadSlots { rechoke(rotating: false) }
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
            let seconds = Double((NIODeadline.now() - link.connectedAt).nanoseconds) / 1e9
            rate = Double(link.downloaded) / max(seconds, 0.1)
        }
        let depth = RequestPipeline.depth(forRate: rate)
        let wanted = depth - link.outstanding.count
        guard wanted > 0 else { return }
        let requests = picker.nextRequests(for: link.key, count: wanted)
        for request in requests { link.outstanding.insert(request) }
        link.send(requests.map { .request(piece: UInt32($0.piece), offset: UInt32($0.offset), length: UInt32($0.length)) })
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
                other.send(.cancel(piece: UInt32(block.piece), offset: UInt32(block.offset), length: UInt32(block.length)))
                other.flush()
            }
            if case .pieceComplete(let piece, _) = outcome { verify(piece) }
        }
        fillRequests(link)
    }

    private func store(_ block: BlockRequest, _ bytes: [UInt8], from link: PeerLink) {
        if assemblies[block.piece] == nil {
            assemblies[block.piece] = PieceAssembly(bytes: [UInt8](repeating: 0, count: metainfo.length(ofPiece: block.piece)))
        }
        // In place: a copy taken out of the dictionary would make every block copy the whole piece.
        assemblies[block.piece]!.bytes.replaceSubrange(block.offset..<(block.offset + bytes.count), with: bytes)
        assemblies[block.piece]!.senders[block.offset] = Self.identity(link.address, link.peerID)
    }

    /// Checks a complete piece's SHA-1 off the loop; a good piece is written and announced, a bad one is
    /// downloaded again and its sender banned.
    private func verify(_ piece: Int) {
        guard let assembly = assemblies.removeValue(forKey: piece) else { return }
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

    private func verified(_ piece: Int, _ assembly: PieceAssembly, _ result: Result<Bool, any Error>) {
        switch result {
        case .success(true):
            for suspect in suspects.removeValue(forKey: piece) ?? [] {
                let good = assembly.bytes[suspect.offset..<min(suspect.offset + picker.blockLength, assembly.bytes.count)]
                if Array(Insecure.SHA1.hash(data: good)) != suspect.hash {
                    ban(suspect.sender, because: "sent a block of piece \(piece) that differs from the verified data")
                }
            }
            metrics.pieceVerified()
            pieceVerified(piece)
        case .success(false):
            corruptPieces += 1
            metrics.pieceFailed()
            picker.pieceFailed(piece)
            let senders = Set(assembly.senders.values)
            if senders.count == 1, let sender = senders.first {
                ban(sender, because: "sent piece \(piece), which fails its SHA-1")
            } else if suspects[piece] == nil {
                suspects[piece] = assembly.senders.map { offset, sender in
                    let block = assembly.bytes[offset..<min(offset + picker.blockLength, assembly.bytes.count)]
                    return (offset, sender, Array(Insecure.SHA1.hash(data: block)))
                }
            }
            fillRequestsForAll()
        case .failure(let error):
            log("cannot store piece \(piece): \(error)")
            picker.pieceFailed(piece)
            if let error = error as? TorrentStorageError, error.isDiskFull { fail(error) }
        }
    }

    /// Bans a peer: its connections close, it may not come back, and pieces it helped assemble start over,
    /// since its blocks in them cannot be trusted.
    private func ban(_ identity: String, because reason: String) {
        guard banned.insert(identity).inserted else { return }
        metrics.peerBanned()
        for link in links.values where Self.identity(link.address, link.peerID) == identity {
            drop(link, because: "\(reason); banned")
        }
        for (piece, assembly) in assemblies where assembly.senders.values.contains(identity) {
            assemblies[piece] = nil
            picker.pieceFailed(piece)
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
                log("\(error)")
            }
            for promise in completion { promise.succeed() }
            completion.removeAll()
            // Seeds have nothing to give each other.
            for link in links.values where link.bitfield.isComplete { drop(link, because: "both complete") }
        }
    }

    // MARK: Uploading

    private var unchokedCount: Int { links.values.filter { !$0.amChoking }.count }

    private func serve(_ block: BlockRequest, to link: PeerLink) {
        guard !link.amChoking else { return }
        guard block.piece < metainfo.pieceCount, have[block.piece], block.length > 0, block.length <= picker.blockLength,
            block.offset >= 0, block.offset + block.length <= metainfo.length(ofPiece: block.piece)
        else {
            drop(link, because: "requested a block we cannot give (\(block))")
            return
        }
        guard link.queued.count < configuration.maximumQueuedRequests else {
            drop(link, because: "more than \(configuration.maximumQueuedRequests) requests queued")
            return
        }
        link.queued.append(block)
        readQueued(link)
    }

    /// Keeps up to 16 disk reads in flight per peer (a 256 KiB window); pieces may leave in any order.
    private func readQueued(_ link: PeerLink) {
        while link.readsInFlight < 16, !link.queued.isEmpty {
            let block = link.queued.removeFirst()
            link.readsInFlight += 1
            let storage = self.storage
            let bound = NIOLoopBound((self, link), eventLoop: loop)
            storageThreads.runIfActive(eventLoop: loop) {
                try storage.read(piece: block.piece, offset: block.offset, length: block.length)
            }.whenComplete { result in
                bound.value.0.served(block, result, to: bound.value.1)
            }
        }
    }

    private func served(_ block: BlockRequest, _ result: Result<[UInt8], any Error>, to link: PeerLink) {
                link.readsInFlight -= 1
                guard link.channel.isActive, links[link.key] != nil else { return }
                switch result {
                case .success(let bytes):
                    if link.amChoking { return }
                    link.send(.piece(piece: UInt32(block.piece), offset: UInt32(block.offset), block: bytes))
                    link.uploadedSinceTick += bytes.count
                    link.uploaded += bytes.count
                    uploadedBytes += bytes.count
                    link.flush()
                    readQueued(link)
                case .failure(let error):
                    log("cannot read piece \(block.piece): \(error)")
                }
    }

    /// Every 10 s: rates, choking (4 slots plus an optimistic unchoke that rotates every 30 s), keep-alives,
    /// and silent peers dropped.
    func tick(seconds: Double) {
        tickCount += 1
        for link in links.values {
            link.downloadRate = Double(link.downloadedSinceTick) / seconds
            link.uploadRate = Double(link.uploadedSinceTick) / seconds
            link.downloadedSinceTick = 0
            link.uploadedSinceTick = 0
            if NIODeadline.now() - link.lastReceived > .minutes(3) {
                drop(link, because: "silent for 3 minutes")
                continue
            }
            if tickCount % 9 == 0 { link.send(.keepAlive) }
        }
        rechoke(rotating: true)
    }

    /// `rotating` is the 10-second round, which also counts towards the optimistic unchoke's 30 seconds.
    private func rechoke(rotating: Bool) {
        let peers = links.values.map { link in
            ChokerPeer(
                key: link.key, isInterested: link.peerInterested, downloadRate: link.downloadRate,
                uploadRate: link.uploadRate, connectedRecently: NIODeadline.now() - link.connectedAt < .seconds(60))
        }
        let unchoked = rotating ? choker.recompute(peers: peers, seeding: isComplete) : choker.refresh(peers: peers, seeding: isComplete)
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
            bytesHave: (0..<metainfo.pieceCount).reduce(Int64(0)) { $0 + (have[$1] ? Int64(metainfo.length(ofPiece: $1)) : 0) },
            totalBytes: metainfo.totalLength, peers: links.count, downloaded: downloadedBytes, uploaded: uploadedBytes,
            downloadRate: links.values.reduce(0) { $0 + $1.downloadRate },
            uploadRate: links.values.reduce(0) { $0 + $1.uploadRate }, corruptPieces: corruptPieces,
            bannedPeers: banned.count)
    }

    func closeAll() {
        for link in links.values { link.channel.close(promise: nil) }
    }
}
