// The access log: one line per response in the combined log format that nginx and Apache write.

import DoorwayBasics
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Appends combined-format lines to a file or to standard output.
///
/// Each line goes out with one `write(2)` on an `O_APPEND` descriptor, as nginx's unbuffered log does, so
/// lines from several event loops never interleave and a crash loses nothing already logged.
public final class AccessLog: Sendable {
    /// Where the lines go.
    public enum Destination: Sendable, Hashable {
        case standardOutput
        case file(String)
    }

    private let descriptor: CInt
    private let ownsDescriptor: Bool

    /// Opens (creating if needed) the log file for appending.
    public init(destination: Destination) throws {
        switch destination {
        case .standardOutput:
            descriptor = STDOUT_FILENO
            ownsDescriptor = false
        case .file(let path):
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw WebServerError(
                    "cannot open access log \"\(path)\": \(String(cString: strerror(errno))); check that its folder exists and is writable"
                )
            }
            descriptor = fd
            ownsDescriptor = true
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    func record(_ line: String) {
        // A log that cannot be written must not stop the responses: the failure is dropped.
        var line = line
        _ = line.withUTF8 { try? FileDescriptor(descriptor).writeAll(UnsafeRawBufferPointer($0)) }
    }
}
