// Framing with bytes in and messages out: limits, truncated frames and garbage.

import Doorway
import NIOCore
import NIOEmbedded
import Testing

struct FramingTests {
    private func channel(_ framing: Framing) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try framing.addHandlers(to: channel.pipeline.syncOperations)
        return channel
    }

    private func messages(_ channel: EmbeddedChannel) throws -> [String] {
        var result: [String] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { result.append(String(buffer: buffer)) }
        return result
    }

    @Test func linesAcrossReads() throws {
        let channel = try channel(.lines(maximumLength: 16))
        try channel.writeInbound(ByteBuffer(string: "one\r\ntw"))
        try channel.writeInbound(ByteBuffer(string: "o\n\nthree"))
        #expect(try messages(channel) == ["one", "two", ""])
        try channel.writeInbound(ByteBuffer(string: "\n"))
        #expect(try messages(channel) == ["three"])
    }

    @Test func finalLineWithoutNewlineIsDelivered() throws {
        let channel = try channel(.lines())
        try channel.writeInbound(ByteBuffer(string: "last"))
        #expect(try messages(channel).isEmpty)
        _ = try channel.finish()
        #expect(try messages(channel) == ["last"])
    }

    @Test func lineOverTheLimitIsAnError() throws {
        let channel = try channel(.lines(maximumLength: 8))
        try channel.writeInbound(ByteBuffer(string: "12345678\n"))
        #expect(try messages(channel) == ["12345678"])
        #expect(throws: FramingError.self) { try channel.writeInbound(ByteBuffer(string: "123456789\n")) }
    }

    @Test func unterminatedLineOverTheLimitFailsBeforeTheNewline() throws {
        let channel = try channel(.lines(maximumLength: 8))
        #expect(throws: FramingError.self) {
            try channel.writeInbound(ByteBuffer(string: String(repeating: "x", count: 100)))
        }
    }

    @Test func linesOutGetANewline() throws {
        let channel = try channel(.lines())
        try channel.writeOutbound(ByteBuffer(string: "hello"))
        #expect(try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) } == "hello\n")
    }

    @Test func lengthPrefixedRoundTrip() throws {
        let channel = try channel(.lengthPrefixed(maximumSize: 100))
        try channel.writeOutbound(ByteBuffer(string: "abc"))
        let wire = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(wire.readableBytesView) == [0, 0, 0, 3, 97, 98, 99])
        // Fed back one byte at a time, it still makes one message.
        for byte in wire.readableBytesView { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        #expect(try messages(channel) == ["abc"])
    }

    @Test func emptyFramesAreMessagesToo() throws {
        let channel = try channel(.lengthPrefixed())
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 0, 0, 0, 0, 1, 65]))
        #expect(try messages(channel) == ["", "A"])
    }

    @Test func oversizedLengthIsRefusedAtTheHeader() throws {
        let channel = try channel(.lengthPrefixed(maximumSize: 100))
        // Garbage that reads as a 4 GB length: refused at once, without waiting for 4 GB.
        #expect(throws: FramingError.self) { try channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 1])) }
    }

    @Test func oversizedOutgoingFrameIsRefused() throws {
        let channel = try channel(.lengthPrefixed(maximumSize: 2))
        #expect(throws: FramingError.self) { try channel.writeOutbound(ByteBuffer(string: "abc")) }
    }

    @Test func truncatedFrameAtEndOfStreamIsAnError() throws {
        let channel = try channel(.lengthPrefixed())
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 10, 1, 2]))
        #expect(throws: FramingError.self) { _ = try channel.finish() }
    }

    @Test func truncatedHeaderAtEndOfStreamIsAnError() throws {
        let channel = try channel(.lengthPrefixed())
        try channel.writeInbound(ByteBuffer(bytes: [0, 0]))
        #expect(throws: FramingError.self) { _ = try channel.finish() }
    }

    @Test func rawPassesBytesThrough() throws {
        let channel = try channel(.raw)
        try channel.writeInbound(ByteBuffer(string: "a\nb"))
        #expect(try messages(channel) == ["a\nb"])
    }

    @Test func limitsAreValidated() {
        #expect(throws: ParameterError.self) { try Framing.lines(maximumLength: 0).validate() }
        #expect(throws: ParameterError.self) { try Framing.lengthPrefixed(maximumSize: -1).validate() }
        #expect(throws: Never.self) { try Framing.lengthPrefixed(maximumSize: 0).validate() }
    }
}
