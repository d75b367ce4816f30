// How a byte stream is cut into messages: raw chunks, lines, or length-prefixed frames.

import NIOCore

/// How a stream connection's bytes are cut into messages.
///
/// Each framing has an explicit limit: a frame over it, or a malformed one, ends that connection with a
/// ``FramingError`` and leaves every other connection alone.
public enum Framing: Hashable, Sendable, CustomStringConvertible {
    /// Messages are whatever chunks the socket delivers; sending writes the bytes as they are.
    case raw
    /// One message per line, ended by `\n` or `\r\n` (the terminator is not part of the message).
    /// Sending appends `\n`. A final line without a terminator is delivered at end of stream.
    case lines(maximumLength: Int = Framing.defaultMaximumLineLength)
    /// A 4-byte big-endian length, then that many bytes.
    case lengthPrefixed(maximumSize: Int = Framing.defaultMaximumFrameSize)

    public static let defaultMaximumLineLength = 64 * 1024
    public static let defaultMaximumFrameSize = 16 * 1024 * 1024
    /// The most a 4-byte length prefix can say.
    public static let largestFrameSize = Int(UInt32.max)

    public var description: String {
        switch self {
        case .raw: "raw"
        case .lines(let maximum): "lines (at most \(maximum) bytes)"
        case .lengthPrefixed(let maximum): "length-prefixed (at most \(maximum) bytes)"
        }
    }

    /// Checks the limit.
    public func validate() throws {
        switch self {
        case .raw: return
        case .lines(let maximum) where maximum < 1:
            throw ParameterError(
                parameter: "maximum line length", value: "\(maximum)", reason: "must be at least 1 byte")
        case .lengthPrefixed(let maximum) where maximum < 0 || maximum > Self.largestFrameSize:
            throw ParameterError(
                parameter: "maximum frame size", value: "\(maximum)", reason: "must be 0–\(Self.largestFrameSize) bytes"
            )
        default: return
        }
    }

    /// Adds this framing's decoder and encoder to a pipeline, on the channel's event loop.
    public func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations) throws {
        switch self {
        case .raw:
            return
        case .lines(let maximum):
            try pipeline.addHandler(ByteToMessageHandler(LineFrameDecoder(maximumLength: maximum)))
            try pipeline.addHandler(MessageToByteHandler(LineFrameEncoder()))
        case .lengthPrefixed(let maximum):
            try pipeline.addHandler(ByteToMessageHandler(LengthPrefixedFrameDecoder(maximumSize: maximum)))
            try pipeline.addHandler(MessageToByteHandler(LengthPrefixedFrameEncoder(maximumSize: maximum)))
        }
    }
}

/// A frame that breaks its framing's rules: too long, cut short, or malformed.
public struct FramingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }

    static func lineTooLong(_ maximum: Int) -> Self {
        .init(reason: "a line is longer than the maximum of \(maximum) bytes; send shorter lines or raise the limit")
    }
    static func frameTooLarge(_ size: Int, _ maximum: Int) -> Self {
        .init(
            reason:
                "a frame of \(size) bytes is larger than the maximum of \(maximum) bytes; raise the limit or send smaller frames"
        )
    }
    static func truncated(have: Int, want: Int) -> Self {
        .init(reason: "the stream ended inside a frame (\(have) of \(want) bytes arrived)")
    }
}

/// Cuts a stream into lines; refuses a line longer than the limit as soon as the limit is passed.
///
/// NIOExtras' `LineBasedFrameDecoder` has no length limit and reports a final unterminated line as an error,
/// so lines get their own decoder.
struct LineFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maximumLength: Int
    /// How far the current buffer has been searched for a newline.
    private var scanned = 0

    init(maximumLength: Int) { self.maximumLength = maximumLength }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.dropFirst(scanned).firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            // One byte of slack for a `\r` that may belong to the terminator.
            if view.count > maximumLength + 1 { throw FramingError.lineTooLong(maximumLength) }
            return .needMoreData
        }
        let length = newline - view.startIndex
        var line = buffer.readSlice(length: length + 1)!
        scanned = 0
        var contentLength = length
        if contentLength > 0,
            line.getInteger(at: line.readerIndex + contentLength - 1, as: UInt8.self) == UInt8(ascii: "\r")
        {
            contentLength -= 1
        }
        guard contentLength <= maximumLength else { throw FramingError.lineTooLong(maximumLength) }
        context.fireChannelRead(Self.wrapInboundOut(line.readSlice(length: contentLength)!))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws
        -> DecodingState
    {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: buffer.readableBytes)!))
        }
        return .needMoreData
    }
}

/// Ends each outgoing message with `\n`.
struct LineFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = ByteBuffer

    func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        out.reserveCapacity(data.readableBytes + 1)
        out.writeImmutableBuffer(data)
        out.writeInteger(UInt8(ascii: "\n"))
    }
}

/// Reads a 4-byte big-endian length and then the frame; refuses an oversized length as soon as it is read.
struct LengthPrefixedFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maximumSize: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard Int(length) <= maximumSize else { throw FramingError.frameTooLarge(Int(length), maximumSize) }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws
        -> DecodingState
    {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let want =
                buffer.readableBytes >= 4 ? Int(buffer.getInteger(at: buffer.readerIndex, as: UInt32.self)!) + 4 : 4
            throw FramingError.truncated(have: buffer.readableBytes, want: want)
        }
        return .needMoreData
    }
}

/// Prefixes each outgoing message with its 4-byte big-endian length.
struct LengthPrefixedFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = ByteBuffer
    let maximumSize: Int

    func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        guard data.readableBytes <= maximumSize else {
            throw FramingError.frameTooLarge(data.readableBytes, maximumSize)
        }
        out.reserveCapacity(4 + data.readableBytes)
        out.writeInteger(UInt32(data.readableBytes))
        out.writeImmutableBuffer(data)
    }
}
