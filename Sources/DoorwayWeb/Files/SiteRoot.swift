// The served folder: opens paths beneath it and nowhere else.

import CDoorwayWeb
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An open file (or folder) beneath the root, with what `fstat` said about it; closed when released unless
/// its descriptor has been handed to NIO.
final class OpenedFile {
    private(set) var descriptor: CInt
    let identity: FileIdentity
    let kind: Kind
    /// Seconds since 1970, for Last-Modified.
    let modified: Int

    enum Kind { case regular, directory, other }

    init(descriptor: CInt, identity: FileIdentity, kind: Kind, modified: Int) {
        self.descriptor = descriptor
        self.identity = identity
        self.kind = kind
        self.modified = modified
    }

    /// Hands the descriptor to NIO, which closes it when the handle is closed.
    func takeHandle() -> NIOFileHandle {
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor)
        descriptor = -1
        return handle
    }

    deinit { if descriptor >= 0 { close(descriptor) } }
}

/// Why a path could not be opened.
enum OpenFailure: Error {
    /// No such file: 404.
    case notFound
    /// It exists but may not be served (permissions, a symlink out of the root, a loop): 403.
    case forbidden
}

/// The root folder, held open so that every request resolves beneath the same folder even if the path is
/// renamed while the server runs.
///
/// Paths arrive normalised (no `.` or `..`, no empty segments). With the default policy they are opened with
/// `openat2(RESOLVE_BENEATH)`, so the kernel refuses any resolution that leaves the root, symlinks included;
/// on kernels without `openat2`, the opened file's real path is checked instead.
final class SiteRoot: Sendable {
    private let descriptor: CInt
    private let realPath: String
    private let confined: Bool

    init(path: String, policy: WebServer.Policy) throws {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOTDIR ? "it is not a folder" : String(cString: strerror(errno))
            throw WebServerError("cannot serve \"\(path)\": \(reason); pass --root with an existing folder")
        }
        descriptor = fd
        realPath = Self.realPath(of: fd) ?? path
        confined = !policy.followsSymlinksOutsideRoot
    }

    deinit { close(descriptor) }

    /// Opens `relativePath` ("." for the root itself) for reading.
    func open(_ relativePath: String) throws(OpenFailure) -> OpenedFile {
        let flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK
        var fd: CInt
        if confined {
            fd = cdoorway_open_beneath(descriptor, relativePath, flags)
            if fd < 0, errno == ENOSYS {
                fd = openat(descriptor, relativePath, flags)
                if fd >= 0, !isBeneathRoot(fd) {
                    close(fd)
                    throw .forbidden
                }
            }
        } else {
            fd = openat(descriptor, relativePath, flags)
        }
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR, ENAMETOOLONG: throw .notFound
            default: throw .forbidden  // EXDEV (escape), ELOOP, EACCES, EPERM
            }
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            close(fd)
            throw .forbidden
        }
        let kind: OpenedFile.Kind =
            switch status.st_mode & S_IFMT {
            case S_IFREG: .regular
            case S_IFDIR: .directory
            default: .other
            }
        let identity = FileIdentity(
            device: UInt64(status.st_dev), inode: UInt64(status.st_ino), size: Int(status.st_size),
            modificationNanoseconds: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        )
        return OpenedFile(descriptor: fd, identity: identity, kind: kind, modified: Int(status.st_mtim.tv_sec))
    }

    /// Reads a whole small file into memory; nil if it changed size while being read.
    func read(_ file: OpenedFile, allocator: ByteBufferAllocator) -> ByteBuffer? {
        let size = file.identity.size
        var buffer = allocator.buffer(capacity: size)
        var offset = 0
        while offset < size {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size - offset) { pointer in
                let n = pread(file.descriptor, pointer.baseAddress, size - offset, off_t(offset))
                return n > 0 ? n : 0
            }
            if count == 0 { return nil }
            offset += count
        }
        return buffer
    }

    /// The entries of an open folder, hidden ones left out unless asked for, at most `limit` of them.
    func listing(of folder: OpenedFile, includingHidden: Bool, limit: Int) -> [DirectoryListing.Entry] {
        let copy = dup(folder.descriptor)
        guard copy >= 0, let directory = fdopendir(copy) else { return [] }
        defer { closedir(directory) }
        var entries: [DirectoryListing.Entry] = []
        while entries.count < limit, let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            if !includingHidden && name.hasPrefix(".") { continue }
            var status = stat()
            guard fstatat(folder.descriptor, name, &status, 0) == 0 else { continue }
            entries.append(
                DirectoryListing.Entry(
                    name: name, isDirectory: status.st_mode & S_IFMT == S_IFDIR, size: Int(status.st_size),
                    modified: Int(status.st_mtim.tv_sec)
                )
            )
        }
        return entries
    }

    private func isBeneathRoot(_ fd: CInt) -> Bool {
        guard let real = Self.realPath(of: fd) else { return false }
        return real == realPath || real.hasPrefix(realPath == "/" ? "/" : realPath + "/")
    }

    private static func realPath(of fd: CInt) -> String? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}
