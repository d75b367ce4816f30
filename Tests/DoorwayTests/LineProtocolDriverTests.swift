// The line-protocol driver with a toy session on an embedded channel: writes, closing, waiting, timers, shutdown.

import Doorway
import NIOCore
import NIOEmbedded
import Testing

/// Echoes each line; "quit" closes, "work" asks for work and waits until `finished()`.
private struct EchoSession: LineProtocolSession {
    enum Action: Equatable {
        case say(String)
        case work
        case close
    }

    var isWaiting = false

    mutating func start() -> [Action] { [.say("hello")] }

    mutating func receive(_ bytes: [UInt8]) -> [Action] {
        var actions: [Action] = []
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            switch line {
            case "quit": actions += [.say("bye"), .close]
            case "work":
                isWaiting = true
                actions.append(.work)
            default: actions.append(.say(String(line)))
            }
        }
        return actions
    }

    mutating func finished() -> [Action] {
        isWaiting = false
        return [.say("done")]
    }

    mutating func timedOut() -> [Action] { [.say("timeout"), .close] }
    mutating func shuttingDown() -> [Action] { [.say("stopping"), .close] }
}

private final class EchoDelegate: LineProtocolDelegate {
    var answer: (() -> Void)?
    var endings = 0

    func step(for action: EchoSession.Action) -> LineProtocolStep {
        switch action {
        case .say(let text): .write(Array((text + "\n").utf8))
        case .work: .carryOut
        case .close: .close
        }
    }

    func carryOut(
        _ action: EchoSession.Action, driver: LineProtocolDriver<EchoDelegate>, context: ChannelHandlerContext
    ) {
        answer = { driver.resume(context: context) { $0.finished() } }
    }

    func idleTimeout(for session: EchoSession) -> TimeAmount { .seconds(5) }
    func connectionEnded() { endings += 1 }
}

struct LineProtocolDriverTests {
    private let delegate = EchoDelegate()
    private let channel: EmbeddedChannel

    init() throws {
        channel = EmbeddedChannel(handler: LineProtocolDriver(session: EchoSession(), delegate: delegate))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    private func written() throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    @Test func greetsAndAnswersEachChunk() throws {
        #expect(try written() == "hello\n")
        try channel.writeInbound(ByteBuffer(string: "one\ntwo\n"))
        #expect(try written() == "one\ntwo\n")
    }

    @Test func closeWritesWhatCameBeforeThenCloses() throws {
        _ = try written()
        try channel.writeInbound(ByteBuffer(string: "quit\nignored\n"))
        #expect(try written() == "bye\n")
        #expect(!channel.isActive)
        #expect(delegate.endings >= 1)
    }

    @Test func idleClientTimesOut() throws {
        _ = try written()
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        try channel.writeInbound(ByteBuffer(string: "still here\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(try written() == "still here\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(try written() == "timeout\n")
        #expect(!channel.isActive)
    }

    @Test func noTimeoutWhileTheSessionWaits() throws {
        _ = try written()
        try channel.writeInbound(ByteBuffer(string: "work\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(try written() == "")
        delegate.answer?()
        #expect(try written() == "done\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(try written() == "timeout\n")
    }

    @Test func gracefulShutdownReachesOnlyASessionThatIsNotWaiting() throws {
        _ = try written()
        try channel.writeInbound(ByteBuffer(string: "work\n"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(try written() == "")
        delegate.answer?()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(try written() == "done\nstopping\n")
        #expect(!channel.isActive)
    }
}
