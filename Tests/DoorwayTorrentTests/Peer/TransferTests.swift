// Two Doorway peers over loopback: a whole transfer, a resumed one, and a peer that sends corrupt blocks.

import Doorway
import DoorwayTesting
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import DoorwayTorrent

@Suite("Transfers between Doorway peers", .serialized, .timeLimit(.minutes(2)))
struct TransferTests {
    struct Fixture {
        let temporary: TemporaryFolder
        var folder: String { temporary.path }
        let metainfo: Metainfo
        let data: [UInt8]
    }

    /// A folder with `name` holding `size` pseudo-random bytes, and its torrent (32 KiB pieces).
    func makeFixture(size: Int = 3 * 1024 * 1024 + 12345) async throws -> Fixture {
        let temporary = try TemporaryFolder("torrent")
        let folder = try temporary.makeFolder("seed")
        var generator = SystemRandomNumberGenerator()
        let data = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(data).write(to: URL(fileURLWithPath: folder + "/payload.bin"))
        let bytes = try await TorrentCreator.create(from: folder + "/payload.bin", pieceLength: 32 * 1024)
        return Fixture(temporary: temporary, metainfo: try Metainfo(decoding: bytes), data: data)
    }

    func configuration(peers: [Endpoint] = []) throws -> TorrentPeer.Configuration {
        var configuration = TorrentPeer.Configuration()
        configuration.listen = try Endpoint(parsing: "127.0.0.1:0")
        configuration.peers = peers
        configuration.tickInterval = .seconds(1)
        return configuration
    }

    func startSeeder(_ fixture: Fixture) async throws -> (TorrentPeer, Endpoint) {
        let seeder = TorrentPeer(
            metainfo: fixture.metainfo, root: fixture.folder + "/seed", writable: false,
            configuration: try configuration())
        try await seeder.start()
        #expect(try await seeder.progress.isComplete)
        return (seeder, try #require(await seeder.listenEndpoint))
    }

    @Test("a leecher downloads the whole file from a seeder; every byte matches; the seeder counts the upload")
    func transfer() async throws {
        let fixture = try await makeFixture()
        defer { fixture.temporary.remove() }
        let (seeder, endpoint) = try await startSeeder(fixture)
        let leecher = TorrentPeer(
            metainfo: fixture.metainfo, root: fixture.folder + "/get",
            configuration: try configuration(peers: [endpoint]))
        try await leecher.start()
        #expect(try await leecher.progress.piecesHave == 0)
        try await leecher.waitUntilComplete()
        let copy = try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/get/payload.bin"))
        #expect(Array(copy) == fixture.data)
        #expect(try await seeder.progress.uploaded >= fixture.data.count)
        await leecher.stop()
        await seeder.stop()
    }

    @Test("a download resumes: pieces already on disk are verified and kept, the rest fetched")
    func resume() async throws {
        let fixture = try await makeFixture()
        defer { fixture.temporary.remove() }
        // An interrupted earlier run: the first 40 % written, the rest a hole.
        try FileManager.default.createDirectory(atPath: fixture.folder + "/get", withIntermediateDirectories: true)
        var partial = fixture.data
        for index in (fixture.data.count * 4 / 10)..<partial.count { partial[index] = 0 }
        try Data(partial).write(to: URL(fileURLWithPath: fixture.folder + "/get/payload.bin"))
        let (seeder, endpoint) = try await startSeeder(fixture)
        let leecher = TorrentPeer(
            metainfo: fixture.metainfo, root: fixture.folder + "/get",
            configuration: try configuration(peers: [endpoint]))
        try await leecher.start()
        let start = try await leecher.progress
        let expected = (fixture.data.count * 4 / 10) / fixture.metainfo.pieceLength
        #expect(start.piecesHave == expected, "the whole pieces of the first 40 % verify")
        try await leecher.waitUntilComplete()
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/get/payload.bin"))) == fixture.data)
        let end = try await leecher.progress
        #expect(
            end.downloaded <= fixture.data.count - expected * fixture.metainfo.pieceLength + 16 * 1024 * 8,
            "only the missing part was downloaded (\(end.downloaded) bytes)")
        await leecher.stop()
        await seeder.stop()
    }

    @Test("a peer that sends corrupt blocks is banned; the download still completes correctly from an honest one")
    func corruptPeer() async throws {
        let fixture = try await makeFixture(size: 1024 * 1024)
        defer { fixture.temporary.remove() }
        let liar = try await LyingPeer.start(metainfo: fixture.metainfo)
        defer { liar.stop() }
        let logged = LoggedLines()
        let leecher = TorrentPeer(
            metainfo: fixture.metainfo, root: fixture.folder + "/get",
            configuration: try configuration(peers: [liar.endpoint]),
            logger: .lines(label: "test", logged.append))
        try await leecher.start()
        // Only the liar is known at first, so its blocks are the ones that fail.
        var progress = try await leecher.progress
        let deadline = ContinuousClock.now + .seconds(30)
        while progress.bannedPeers == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            progress = try await leecher.progress
        }
        #expect(progress.corruptPieces >= 1 && progress.bannedPeers == 1, "\(progress)")
        #expect(logged.lines.contains { $0.hasSuffix(", which fails its SHA-1; banned") }, "\(logged.lines)")
        let (seeder, endpoint) = try await startSeeder(fixture)
        leecher.connect(to: endpoint)
        try await leecher.waitUntilComplete()
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/get/payload.bin"))) == fixture.data)
        await leecher.stop()
        await seeder.stop()
    }
}

extension TransferTests {
    @Test("a peer that sends a malformed message is disconnected; the download goes on with the others")
    func malformedPeer() async throws {
        let fixture = try await makeFixture(size: 512 * 1024)
        defer { fixture.temporary.remove() }
        let rude = try await RudePeer.start(metainfo: fixture.metainfo)
        let (seeder, endpoint) = try await startSeeder(fixture)
        let logged = LoggedLines()
        let leecher = TorrentPeer(
            metainfo: fixture.metainfo, root: fixture.folder + "/get",
            configuration: try configuration(peers: [rude.endpoint, endpoint]),
            logger: .lines(label: "test", logged.append))
        try await leecher.start()
        try await leecher.waitUntilComplete()
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: fixture.folder + "/get/payload.bin"))) == fixture.data)
        let deadline = ContinuousClock.now + .seconds(10)
        while !rude.wasClosed.value.withLock({ $0 }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(rude.wasClosed.value.withLock { $0 }, "the leecher closed the connection that sent message id 99")
        #expect(try await leecher.progress.peers <= 1, "only the seeder may still be connected")
        #expect(
            logged.lines.contains { $0.hasSuffix(": message id 99 is unknown; disconnecting") }, "\(logged.lines)")
        await leecher.stop()
        await seeder.stop()
        await rude.server.shutdown(gracePeriod: .zero)
    }
}

/// What a peer logged, one line a message.
final class LoggedLines: Sendable {
    private let stored = Mutex<[String]>([])

    var lines: [String] { stored.withLock { $0 } }

    func append(_ line: String) {
        stored.withLock { $0.append(line) }
    }
}

/// A peer that answers the handshake with a message of an unknown id.
final class RudePeer: Sendable {
    let server: Server
    let wasClosed: ClosedFlag
    var endpoint: Endpoint { server.localEndpoint }

    final class ClosedFlag: Sendable {
        let value = Mutex(false)
    }

    private init(server: Server, wasClosed: ClosedFlag) {
        self.server = server
        self.wasClosed = wasClosed
    }

    static func start(metainfo: Metainfo) async throws -> RudePeer {
        let flag = ClosedFlag()
        let server = try await Server.bind(try Endpoint(parsing: "127.0.0.1:0")) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(Handler(metainfo: metainfo, closed: flag))
            }
        }
        return RudePeer(server: server, wasClosed: flag)
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let metainfo: Metainfo
        let closed: ClosedFlag
        var received = 0

        init(metainfo: Metainfo, closed: ClosedFlag) {
            self.metainfo = metainfo
            self.closed = closed
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let before = received
            received += unwrapInboundIn(data).readableBytes
            guard before < PeerHandshake.length, received >= PeerHandshake.length else { return }
            let handshake = PeerHandshake(
                infoHash: metainfo.infoHash.bytes, peerID: Array("-RU0001-rudeprudeude".utf8), extensionProtocol: false)
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: handshake.bytes + [0, 0, 0, 1, 99])), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            closed.value.withLock { $0 = true }
        }

        /// The core's servers allow half-closure: the leecher's close arrives as the end of input.
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed = event {
                closed.value.withLock { $0 = true }
                context.close(promise: nil)
            }
        }
    }
}

/// A peer that claims every piece and answers every request with garbage.
final class LyingPeer: Sendable {
    let server: Server
    var endpoint: Endpoint { server.localEndpoint }

    private init(server: Server) {
        self.server = server
    }

    static func start(metainfo: Metainfo) async throws -> LyingPeer {
        let server = try await Server.bind(try Endpoint(parsing: "127.0.0.1:0")) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(Handler(metainfo: metainfo))
            }
        }
        return LyingPeer(server: server)
    }

    func stop() {
        Task { await server.shutdown(gracePeriod: .zero) }
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let metainfo: Metainfo
        var shookHands = false
        var pending: [UInt8] = []
        var decoder: PeerMessageDecoder

        init(metainfo: Metainfo) {
            self.metainfo = metainfo
            decoder = PeerMessageDecoder(pieceCount: metainfo.pieceCount, fastExtension: false)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            pending += Array(unwrapInboundIn(data).readableBytesView)
            if !shookHands {
                guard pending.count >= PeerHandshake.length else { return }
                shookHands = true
                pending.removeFirst(PeerHandshake.length)
                var all = Bitfield(count: metainfo.pieceCount)
                for index in 0..<metainfo.pieceCount { all[index] = true }
                let handshake = PeerHandshake(
                    infoHash: metainfo.infoHash.bytes, peerID: Array("-LY0001-liarliarliar".utf8),
                    extensionProtocol: false)
                send(handshake.bytes + PeerMessage.bitfield(all.bytes).bytes + PeerMessage.unchoke.bytes, context)
            }
            decoder.append(pending[...])
            pending = []
            while let message = try? decoder.next() {
                if case .request(let piece, let offset, let length) = message {
                    send(
                        PeerMessage.piece(
                            piece: piece, offset: offset, block: Array(repeating: 0xEE, count: Int(length))
                        ).bytes, context)
                }
            }
        }

        func send(_ bytes: [UInt8], _ context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
        }
    }
}
