// Whole reads and writes on a file descriptor: a system call may move fewer bytes than asked, or be interrupted.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An open file descriptor, borrowed: the caller opens and closes it.
///
/// Every call here retries `EINTR`, and the whole ones retry short transfers too, so callers see either all
/// their bytes moved or an ``Errno``.
///
/// ```swift
/// let file = FileDescriptor(open(path, O_RDONLY | O_CLOEXEC))
/// let bytes = try file.readToEnd()
/// ```
package struct FileDescriptor: Sendable {
    package let rawValue: CInt

    package init(_ rawValue: CInt) {
        self.rawValue = rawValue
    }

    /// Writes all of `bytes`.
    package func writeAll(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var offset = 0
        while offset < bytes.count {
            let written = try SystemCall.retryingInterrupts {
                write(rawValue, bytes.baseAddress! + offset, bytes.count - offset)
            }
            offset += written
        }
    }

    /// Writes all of `bytes` at `fileOffset`, leaving the descriptor's own offset alone (`pwrite(2)`).
    package func writeAll(_ bytes: UnsafeRawBufferPointer, at fileOffset: Int) throws(Errno) {
        var done = 0
        while done < bytes.count {
            let written = try SystemCall.retryingInterrupts {
                pwrite(rawValue, bytes.baseAddress! + done, bytes.count - done, off_t(fileOffset + done))
            }
            done += written
        }
    }

    /// Writes all of `bytes`; at `fileOffset` when one is given, leaving the descriptor's own offset alone.
    package func writeAll(_ bytes: ArraySlice<UInt8>, at fileOffset: Int? = nil) throws(Errno) {
        try Errno.rethrown {
            try bytes.withUnsafeBytes { raw in
                if let fileOffset { try writeAll(raw, at: fileOffset) } else { try writeAll(raw) }
            }
        }
    }

    /// Writes all of `bytes`; at `fileOffset` when one is given, leaving the descriptor's own offset alone.
    package func writeAll(_ bytes: [UInt8], at fileOffset: Int? = nil) throws(Errno) {
        try writeAll(bytes[...], at: fileOffset)
    }

    /// One read of at most `buffer.count` bytes: the count read, 0 at the end of the file.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try SystemCall.retryingInterrupts { systemRead(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Fills `buffer` from `fileOffset` (`pread(2)`): the count read, less than `buffer.count` only where the
    /// file ends.
    package func readAll(into buffer: UnsafeMutableRawBufferPointer, at fileOffset: Int) throws(Errno) -> Int {
        var done = 0
        while done < buffer.count {
            let count = try SystemCall.retryingInterrupts {
                pread(rawValue, buffer.baseAddress! + done, buffer.count - done, off_t(fileOffset + done))
            }
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// Fills `bytes` from `fileOffset`: the count read, less than `bytes.count` only where the file ends.
    package func readAll(into bytes: inout ArraySlice<UInt8>, at fileOffset: Int) throws(Errno) -> Int {
        try Errno.rethrown { try bytes.withUnsafeMutableBytes { raw in try readAll(into: raw, at: fileOffset) } }
    }

    /// Everything up to the end of the file, or its first `limit` bytes.
    package func readToEnd(limit: Int = .max, chunkSize: Int = 64 * 1024) throws(Errno) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while bytes.count < limit {
            let count = try Errno.rethrown { try chunk.withUnsafeMutableBytes { raw in try read(into: raw) } }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes.count > limit ? Array(bytes.prefix(limit)) : bytes
    }
}

/// `read(2)`, named apart from ``FileDescriptor/read(into:)``.
private func systemRead(_ descriptor: CInt, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// A failed system call's `errno`, with the system's words for it.
package struct Errno: Error, Equatable, Sendable, CustomStringConvertible {
    package var code: CInt

    package init(_ code: CInt) {
        self.code = code
    }

    /// `strerror(3)`: "No such file or directory".
    package var description: String { String(cString: strerror(code)) }

    /// Runs `body`, which throws only `Errno`, through the standard library's untyped `rethrows` (such as
    /// `withUnsafeBytes`), and gives its error its type back.
    package static func rethrown<Result>(_ body: () throws -> Result) throws(Errno) -> Result {
        do {
            return try body()
        } catch let error as Errno {
            throw error
        } catch {
            preconditionFailure("only Errno is thrown here, not \(error)")
        }
    }
}

/// Running a system call again when a signal interrupted it.
package enum SystemCall {
    /// Calls `call` until it returns anything but -1 with `errno` `EINTR`; -1 with another `errno` throws.
    package static func retryingInterrupts<Result: BinaryInteger>(_ call: () -> Result) throws(Errno) -> Result {
        while true {
            let result = call()
            if result != -1 { return result }
            if errno != EINTR { throw Errno(errno) }
        }
    }
}
