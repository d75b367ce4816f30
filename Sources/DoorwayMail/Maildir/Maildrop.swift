// One mailbox as a POP3 session sees it: the Maildir's messages at login, numbered, with sizes and unique ids.

import Crypto

#if canImport(Glibc)
import DoorwayBasics
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The messages of a Maildir (`new/` and `cur/`) in delivery order, for one POP3 session.
///
/// Sizes are what POP3 sends (CRLF line endings). Deliveries by ``MaildirStore`` carry them in the file name
/// (`,S=` stored, `,W=` with CRLF, Dovecot's convention), so opening a large mailbox reads no message; other
/// files are read once to count. A message's unique id is its Maildir base name, which stays the same when
/// the message moves to `cur/` and gains flags, so UIDL is stable across sessions.
///
/// Every method blocks on the file system: call them off the event loop.
struct Maildrop: Sendable {
    struct Entry: Sendable, Equatable {
        /// Relative to the Maildir: `new/NAME` or `cur/NAME:2,FLAGS`.
        var path: String
        var size: Int
        var uniqueID: String

        /// Maildir's `S` flag: `cur/NAME:2,…S…`.
        var isSeen: Bool {
            guard path.hasPrefix("cur/"), let flags = Maildrop.flags(path) else { return false }
            return flags.contains("S")
        }
    }

    let folder: String
    private(set) var entries: [Entry]

    /// Lists the Maildir at `folder`; a mailbox that was never delivered to is empty. Without
    /// `countingSizes`, sizes not in a file's name are left 0 rather than read.
    init(folder: String, countingSizes: Bool = true) throws(MailStoreError) {
        self.folder = folder
        var entries: [Entry] = []
        for sub in ["new", "cur"] {
            for name in try Self.names(in: folder + "/" + sub) {
                let path = sub + "/" + name
                var size = Self.crlfSize(name: name) ?? 0
                if size == 0 && countingSizes { size = try Self.countedSize(folder + "/" + path) }
                entries.append(Entry(path: path, size: size, uniqueID: Self.uniqueID(name)))
            }
        }
        self.entries = entries.sorted { Self.deliveryOrder($0.path) < Self.deliveryOrder($1.path) }
    }

    var messages: [POP3Message] {
        entries.map { POP3Message(size: $0.size, uniqueID: $0.uniqueID) }
    }

    /// The stored bytes of message `index`.
    func load(_ index: Int) throws(MailStoreError) -> [UInt8] {
        try Self.read(folder + "/" + entries[index].path)
    }

    /// Marks message `index` seen: `new/NAME` moves to `cur/NAME:2,S`, `cur/NAME:2,F` becomes `cur/NAME:2,FS`.
    mutating func markSeen(_ index: Int) throws(MailStoreError) {
        let entry = entries[index]
        let base = Self.baseName(entry.path)
        var flags = Set(Self.flags(entry.path) ?? "")
        guard entry.path.hasPrefix("new/") || !flags.contains("S") else { return }
        flags.insert("S")
        let target = "cur/" + base + ":2," + String(flags.sorted())
        if rename(folder + "/" + entry.path, folder + "/" + target) != 0 {
            throw MailStoreError(errno: errno, path: folder + "/" + entry.path, doing: "mark seen")
        }
        entries[index].path = target
    }

    /// Removes messages for good (POP3's UPDATE state), then syncs the folders so the deletion is durable.
    func delete(_ indexes: [Int]) throws(MailStoreError) {
        var failure: MailStoreError?
        for index in indexes {
            let path = folder + "/" + entries[index].path
            // Already gone (another client of the same Maildir) is what the user wanted.
            if unlink(path) != 0, errno != ENOENT, failure == nil {
                failure = MailStoreError(errno: errno, path: path, doing: "delete")
            }
        }
        for sub in ["new", "cur"] {
            let fd = open(folder + "/" + sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 {
                fsync(fd)
                close(fd)
            }
        }
        if let failure { throw failure }
    }

    /// Maildir names start with the delivery time: `SECONDS.M<microseconds>P…`. The microseconds are not
    /// zero-padded, so the parts are compared as numbers, then the rest of the name.
    static func deliveryOrder(_ path: String) -> (Int, Int, String) {
        let base = baseName(path)
        let parts = base.split(separator: ".", maxSplits: 1)
        let seconds = parts.first.flatMap { Int($0) } ?? Int.max
        var microseconds = 0
        if parts.count == 2, parts[1].hasPrefix("M") {
            microseconds = Int(parts[1].dropFirst().prefix { $0.isNumber }) ?? 0
        }
        return (seconds, microseconds, String(base))
    }

    /// The FLAGS of a name ending in `:2,FLAGS`.
    static func flags(_ path: String) -> Substring? {
        let parts = path.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].hasPrefix("2,") else { return nil }
        return parts[1].dropFirst(2)
    }

    /// The name without the `:2,FLAGS` info.
    static func baseName(_ path: String) -> Substring {
        let name = path.split(separator: "/").last ?? Substring(path)
        return name.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
    }

    /// RFC 1939 §7: 1 to 70 characters in 0x21–0x7E. The base name when it qualifies (`,S=` and `,W=` dropped:
    /// they never change), else a digest of it.
    static func uniqueID(_ name: String) -> String {
        let base = baseName(name)
        let unique = base.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)[0]
        if !unique.isEmpty, unique.utf8.count <= 70, unique.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) {
            return String(unique)
        }
        return Hex.encode(Array(Insecure.SHA1.hash(data: Array(base.utf8))))
    }

    /// The `,W=` size from the name, if it carries one.
    static func crlfSize(name: String) -> Int? {
        for field in baseName(name).split(separator: ",").dropFirst() where field.hasPrefix("W=") {
            return Int(field.dropFirst(2))
        }
        return nil
    }

    /// The size with CRLF line endings, counted from the file: every LF not already after a CR gains one.
    static func countedSize(_ path: String) throws(MailStoreError) -> Int {
        crlfSize(of: try read(path))
    }

    static func crlfSize(of bytes: [UInt8]) -> Int {
        var size = bytes.count
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == ASCII.lf && previous != ASCII.cr { size += 1 }
            previous = byte
        }
        return size
    }

    static func names(in folder: String) throws(MailStoreError) -> [String] {
        guard let directory = opendir(folder) else {
            if errno == ENOENT { return [] }
            throw MailStoreError(errno: errno, path: folder, doing: "list")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            // Dot files are not messages (Maildir++ folders, editors' droppings).
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names
    }

    /// Whether `path` is a Maildir: a folder with `new/` and `cur/`.
    static func isMaildir(_ path: String) -> Bool {
        var status = stat()
        return stat(path + "/new", &status) == 0 && stat(path + "/cur", &status) == 0
    }

    static func fileSize(_ path: String) -> Int? {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : nil
    }

    /// The file's bytes, or its first `limit` bytes.
    static func read(_ path: String, limit: Int = .max) throws(MailStoreError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MailStoreError(errno: errno, path: path, doing: "open") }
        defer { close(fd) }
        do throws(Errno) {
            return try FileDescriptor(fd).readToEnd(limit: limit, chunkSize: 256 * 1024)
        } catch {
            throw MailStoreError(errno: error.code, path: path, doing: "read")
        }
    }
}
