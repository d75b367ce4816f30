// A file that a download is written to, remembering the server's validator so that a resume can use If-Range.

import CDoorwayHTTP
import DoorwayBasics
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a download could not be written.
public struct DownloadFileError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// A file a download is written to: truncated for a new download, appended to for a resumed one.
public final class DownloadFile {
    private let descriptor: CInt
    public let path: String

    public init(path: String, appending: Bool) throws {
        self.path = path
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (appending ? O_APPEND : O_TRUNC)
        descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else {
            throw DownloadFileError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    public func write(_ bytes: ByteBuffer) throws {
        do {
            try bytes.withUnsafeReadableBytes { try FileDescriptor(descriptor).writeAll($0) }
        } catch {
            throw DownloadFileError(description: "cannot write \(path): \(error)")
        }
    }

    public static func size(of path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }

    private static let validatorAttribute = "user.door.validator"

    /// The ETag or Last-Modified of the download, kept in an extended attribute so that -C can send If-Range.
    public static func validator(of path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = getxattr(path, validatorAttribute, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    public static func setValidator(_ value: String, of path: String) {
        _ = value.withCString { setxattr(path, validatorAttribute, $0, strlen($0), 0) }
    }
}
