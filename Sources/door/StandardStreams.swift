// Standard input and output for netcat-style relaying.
//
// NIO's pipe bootstrap refuses regular files, and epoll refuses /dev/null, so standard input is read with
// plain blocking reads on a thread of its own, whatever it is: a pipe, a terminal, a file or /dev/null.

import DoorwayBasics
import Foundation
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum StandardInput {
    /// Chunks of standard input as `read(2)` returns them (at most `chunkSize` bytes each); `lines` cuts
    /// them into lines (without terminators) instead. The reading thread waits while the consumer is behind,
    /// so a fast producer never fills memory.
    static func chunks(chunkSize: Int = 64 * 1024, lines: Bool = false) -> Chunks {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .unbounded)
        // At most four chunks wait for the consumer.
        let credit = DispatchSemaphore(value: 4)
        let stopped = NIOLockedValueBox(false)
        continuation.onTermination = { _ in
            stopped.withLockedValue { $0 = true }
            credit.signal()
        }
        Thread.detachNewThread {
            var pending = ByteBuffer()
            var storage = [UInt8](repeating: 0, count: chunkSize)
            func deliver(_ buffer: ByteBuffer) {
                credit.wait()
                continuation.yield(buffer)
            }
            while !stopped.withLockedValue({ $0 }) {
                let count: Int
                do {
                    count = try storage.withUnsafeMutableBytes { try FileDescriptor(0).read(into: $0) }
                } catch {
                    continuation.finish(throwing: StandardStreamError(reason: "cannot read standard input: \(error)"))
                    return
                }
                if count == 0 { break }
                if !lines {
                    deliver(ByteBuffer(bytes: storage[0..<count]))
                    continue
                }
                pending.writeBytes(storage[0..<count])
                while let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                    var line = pending.readSlice(length: newline - pending.readerIndex + 1)!
                    line.moveWriterIndex(to: line.writerIndex - 1)
                    if line.readableBytesView.last == UInt8(ascii: "\r") {
                        line.moveWriterIndex(to: line.writerIndex - 1)
                    }
                    deliver(line)
                }
                pending.discardReadBytes()
            }
            if lines, pending.readableBytes > 0 { deliver(pending) }
            continuation.finish()
        }
        return Chunks(stream: stream, credit: credit)
    }

    /// The chunks of standard input; taking one lets the reading thread read another.
    struct Chunks: AsyncSequence, Sendable {
        let stream: AsyncThrowingStream<ByteBuffer, any Error>
        let credit: DispatchSemaphore

        func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator(), credit: credit) }

        struct Iterator: AsyncIteratorProtocol {
            var base: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator
            let credit: DispatchSemaphore

            mutating func next() async throws -> ByteBuffer? {
                let chunk = try await base.next()
                if chunk != nil { credit.signal() }
                return chunk
            }
        }
    }
}

struct StandardStreamError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// Unbuffered writes to standard output (or error): what is written is out at once, pipe or terminal.
enum StandardOutput {
    static let output: Int32 = 1
    static let error: Int32 = 2

    /// Writes all of `buffer`, with a newline after it when `newline` is set.
    static func write(_ buffer: ByteBuffer, newline: Bool = false, to descriptor: Int32 = output) throws {
        try buffer.withUnsafeReadableBytes { try writeAll($0, to: descriptor) }
        if newline { try newlineByte.withUnsafeBytes { try writeAll($0, to: descriptor) } }
    }

    private static let newlineByte: [UInt8] = [UInt8(ascii: "\n")]

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws {
        do throws(Errno) {
            try FileDescriptor(descriptor).writeAll(bytes)
        } catch {
            throw StandardStreamError(reason: "cannot write standard output: \(error)")
        }
    }
}
