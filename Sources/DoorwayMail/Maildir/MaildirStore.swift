// Maildir storage: one Maildir per recipient mailbox, written so that an acknowledged message survives a crash.

import DoorwayBasics
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Stores messages in `ROOT/<address>/{tmp,new,cur}`, the layout mutt, Dovecot and Python's
/// `mailbox.Maildir` read.
///
/// A delivery is durable before it returns: the message is written to `tmp/` under a unique name and
/// `fsync`ed, hard-linked into every other recipient's `tmp/`, renamed into each `new/`, and each `new/` is
/// `fsync`ed. Directory `fsync`s are group-committed: deliveries that finish their renames while another
/// delivery is syncing the same folder share the next `fsync` instead of queueing one each. A crash can
/// leave files in `tmp/` (never acknowledged), never a partial file in `new/`.
///
/// Deliveries block (they write and sync files): run them off the event loop.
public final class MaildirStore: Sendable {
    public let root: String
    private let hostname: String
    private let counter = NIOLockedValueBox<UInt64>(0)
    private let syncs = DirectorySyncs()

    /// Opens (creating if needed) the store at `root`.
    public init(root: String) throws(MailStoreError) {
        self.root = root
        hostname = Self.safeName(Self.hostName)
        try Self.makeFolders(root)
    }

    /// The folder of `address`'s Maildir.
    public func mailbox(for address: String) -> String {
        root + "/" + Self.safeName(address.lowercased())
    }

    /// Writes `message` (CRLF or LF line endings) with a `Return-Path` header into every recipient's
    /// mailbox, durably, and returns the file name it got in each `new/`.
    @discardableResult
    public func deliver(
        _ message: [UInt8], returnPath: String, to recipients: [String]
    ) throws(MailStoreError) -> String {
        guard !recipients.isEmpty else { return "" }
        let folders = Array(Set(recipients.map(mailbox(for:)))).sorted()
        for folder in folders {
            for sub in ["", "/tmp", "/new", "/cur"] { try Self.makeFolder(folder + sub) }
        }
        let stored = Self.storedForm(message, returnPath: returnPath)
        // Dovecot's size fields: POP3 can list a mailbox without reading every message.
        let name = uniqueName() + ",S=\(stored.count),W=\(Maildrop.crlfSize(of: stored))"
        let first = folders[0] + "/tmp/" + name
        try Self.writeSynced(stored, to: first, exclusive: true)
        var linked = [first]
        do throws(MailStoreError) {
            for folder in folders.dropFirst() {
                let path = folder + "/tmp/" + name
                if link(first, path) != 0 { throw MailStoreError(errno: errno, path: path, doing: "link") }
                linked.append(path)
            }
            for folder in folders {
                let from = folder + "/tmp/" + name
                let to = folder + "/new/" + name
                if rename(from, to) != 0 { throw MailStoreError(errno: errno, path: to, doing: "rename into") }
            }
        } catch {
            for path in linked { unlink(path) }
            throw error
        }
        for folder in folders { try syncs.sync(folder + "/new") }
        return name
    }

    /// This host's name, as `gethostname` gives it.
    public static var hostName: String {
        var name = [UInt8](repeating: 0, count: 256)
        name.withUnsafeMutableBytes { _ = gethostname($0.baseAddress!.assumingMemoryBound(to: CChar.self), 255) }
        return String(decoding: name.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Maildir's unique name: time, microseconds, pid and a counter, then the host.
    private func uniqueName() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let sequence = counter.withLockedValue { value -> UInt64 in
            value += 1
            return value
        }
        return "\(now.tv_sec).M\(now.tv_nsec / 1000)P\(getpid())Q\(sequence).\(hostname)"
    }

    /// Writes `bytes` to a new file (`exclusive`: one that must not exist yet; else replacing any) and fsyncs
    /// it; on failure the file is removed, so no partial file is left behind.
    static func writeSynced(_ bytes: [UInt8], to path: String, exclusive: Bool) throws(MailStoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | (exclusive ? O_EXCL : O_TRUNC) | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MailStoreError(errno: errno, path: path, doing: "create") }
        var failure: MailStoreError?
        do throws(Errno) {
            try FileDescriptor(fd).writeAll(bytes)
        } catch {
            failure = MailStoreError(errno: error.code, path: path, doing: "write")
        }
        if failure == nil, fsync(fd) != 0 { failure = MailStoreError(errno: errno, path: path, doing: "fsync") }
        if close(fd) != 0, failure == nil { failure = MailStoreError(errno: errno, path: path, doing: "close") }
        if let failure {
            unlink(path)
            throw failure
        }
    }

    /// The message as stored: `Return-Path:` first, then the message with LF line endings (Maildir's
    /// convention; mail readers expect it).
    static func storedForm(_ message: [UInt8], returnPath: String) -> [UInt8] {
        var stored = Array("Return-Path: <\(returnPath)>\n".utf8)
        stored.reserveCapacity(stored.count + message.count)
        var index = 0
        while index < message.count {
            let byte = message[index]
            if byte == 13, index + 1 < message.count, message[index + 1] == 10 {
                index += 1
                continue
            }
            stored.append(byte)
            index += 1
        }
        return stored
    }

    /// A folder name for an address: bytes outside a safe set are percent-encoded, and a leading dot too,
    /// so no address can name `..`, a hidden folder or a path.
    static func safeName(_ text: String) -> String {
        var name = ""
        for (position, byte) in text.utf8.enumerated() {
            let safe =
                (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57)
                || "@+-_=".utf8.contains(byte) || (byte == 46 && position > 0)
            if safe {
                name.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                name += "%" + Hex.encode([byte], uppercase: true)
            }
        }
        return name.isEmpty ? "%00" : name
    }

    private static func makeFolder(_ path: String) throws(MailStoreError) {
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw MailStoreError(errno: errno, path: path, doing: "create folder")
        }
    }

    static func makeFolders(_ path: String) throws(MailStoreError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            try makeFolder(String(prefix.dropLast()))
        }
    }
}

/// Why a message could not be stored; `isTemporary` tells the SMTP layer to answer 451/452 rather than 5xx.
public struct MailStoreError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var description: String

    init(errno code: Int32, path: String, doing: String) {
        self.code = code
        description = "cannot \(doing) \(path): \(String(cString: strerror(code)))"
    }

    /// A full disk or quota: the client may retry later (452 4.3.1).
    public var isStorageFull: Bool { code == ENOSPC || code == EDQUOT }
}

/// Group commit for folder `fsync`s.
///
/// Each caller wants "an fsync of this folder that started after my rename". If one is running, the caller
/// waits for the next one, which then covers every caller that arrived meanwhile.
final class DirectorySyncs: @unchecked Sendable {
    private struct Folder {
        var requested: UInt64 = 0
        var completed: UInt64 = 0
        var syncing = false
    }

    // Guarded by `mutex`; `changed` is signalled whenever a sync finishes.
    private var folders: [String: Folder] = [:]
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        changed.deallocate()
    }

    func sync(_ path: String) throws(MailStoreError) {
        pthread_mutex_lock(mutex)
        folders[path, default: Folder()].requested += 1
        let ticket = folders[path]!.requested
        while true {
            let folder = folders[path]!
            if folder.completed >= ticket {
                pthread_mutex_unlock(mutex)
                return
            }
            if folder.syncing {
                pthread_cond_wait(changed, mutex)
                continue
            }
            // Lead: one fsync for every ticket taken so far.
            folders[path]!.syncing = true
            let target = folder.requested
            pthread_mutex_unlock(mutex)
            var failure: MailStoreError?
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd < 0 || fsync(fd) != 0 { failure = MailStoreError(errno: errno, path: path, doing: "fsync") }
            if fd >= 0 { close(fd) }
            pthread_mutex_lock(mutex)
            folders[path]!.syncing = false
            if failure == nil { folders[path]!.completed = max(folders[path]!.completed, target) }
            pthread_cond_broadcast(changed)
            if let failure {
                pthread_mutex_unlock(mutex)
                throw failure
            }
        }
    }
}
