// The users who may read their mailbox over POP3, kept in a text file of salted slow password hashes.

#if canImport(Glibc)
import DoorwayBasics
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A users file: one `address:$scrypt$…` line per user, like a Dovecot passwd-file.
///
/// ```swift
/// let users = MailUsers(path: "door-data/mail/.users")
/// try users.add("ann@example.test", password: Array("secret".utf8))
/// try users.verify("ann@example.test", password: Array("secret".utf8))  // true
/// ```
///
/// The file is read on every check, so users added while a server runs can log in at once. Changes are
/// written to a temporary file, fsynced and renamed over the old one under an exclusive lock, so a crash or
/// two concurrent `door mail user add` never leave a half-written file. Checks are slow on purpose (scrypt):
/// run them off the event loop.
public struct MailUsers: Sendable {
    public let path: String
    let cost: PasswordHash.Cost

    public init(path: String) {
        self.init(path: path, cost: .standard)
    }

    init(path: String, cost: PasswordHash.Cost) {
        self.path = path
        self.cost = cost
    }

    /// The user names, in file order. A missing file has none.
    public func list() throws(MailUsersError) -> [String] {
        try entries().map(\.user)
    }

    /// Adds `user`, or sets a new password if they exist.
    public func add(_ user: String, password: [UInt8]) throws(MailUsersError) {
        let user = try Self.validated(user)
        guard !password.isEmpty else { throw MailUsersError("the password is empty") }
        let hash: PasswordHash
        do {
            hash = try PasswordHash.make(password: password, cost: cost)
        } catch {
            throw MailUsersError("cannot hash the password: \(error)")
        }
        try modify { entries in
            if let index = entries.firstIndex(where: { $0.user == user }) {
                entries[index].hash = hash.stored
            } else {
                entries.append(Entry(user: user, hash: hash.stored))
            }
        }
    }

    /// Removes `user`; false if there was no such user.
    @discardableResult
    public func remove(_ user: String) throws(MailUsersError) -> Bool {
        let user = user.lowercased()
        var removed = false
        try modify { entries in
            let before = entries.count
            entries.removeAll { $0.user == user }
            removed = entries.count != before
        }
        return removed
    }

    /// Whether `password` is `user`'s. An unknown user costs as much time as a known one, so timing does not
    /// tell which users exist.
    public func verify(_ user: String, password: [UInt8]) throws(MailUsersError) -> Bool {
        let user = user.lowercased()
        let stored = try entries().first { $0.user == user }.flatMap { PasswordHash(stored: Substring($0.hash)) }
        guard let stored else {
            _ = Self.decoy.matches(password)
            return false
        }
        return stored.matches(password)
    }

    /// A hash nobody's password matches, checked for unknown users to spend the same time.
    private static let decoy = PasswordHash(
        cost: .standard, salt: Array(repeating: 0, count: 16), hash: Array(repeating: 0, count: 32))

    static let maximumFileSize = 16 * 1024 * 1024

    struct Entry: Equatable {
        var user: String
        var hash: String
    }

    static func validated(_ user: String) throws(MailUsersError) -> String {
        let user = user.lowercased()
        guard !user.isEmpty, user.utf8.count <= 254 else {
            throw MailUsersError("user name \"\(user)\" must be 1 to 254 octets, the mailbox's address")
        }
        guard user.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: ":") }) else {
            throw MailUsersError("user name \"\(user)\" must not contain spaces, control characters or ':'")
        }
        return user
    }

    func entries() throws(MailUsersError) -> [Entry] {
        let bytes: [UInt8]
        do throws(MailStoreError) {
            bytes = try Maildrop.read(path, limit: Self.maximumFileSize + 1)
        } catch {
            if error.code == ENOENT { return [] }
            throw MailUsersError(error.description)
        }
        if bytes.count > Self.maximumFileSize { throw MailUsersError("\(path) is larger than 16 MiB") }
        var entries: [Entry] = []
        for (number, line) in bytes.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            let text = String(decoding: line, as: UTF8.self)
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let colon = text.firstIndex(of: ":"), PasswordHash(stored: text[text.index(after: colon)...]) != nil
            else {
                throw MailUsersError("\(path):\(number + 1): expected \"address:$scrypt$…\"; re-add this user")
            }
            entries.append(Entry(user: String(text[..<colon]), hash: String(text[text.index(after: colon)...])))
        }
        return entries
    }

    private func modify(_ change: (inout [Entry]) -> Void) throws(MailUsersError) {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            do throws(MailStoreError) {
                try MaildirStore.makeFolders(String(path[..<slash]))
            } catch {
                throw MailUsersError(error.description)
            }
        }
        let lockPath = path + ".lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw MailUsersError(errno: errno, doing: "create", path: lockPath) }
        defer { close(lock) }
        do throws(Errno) {
            _ = try SystemCall.retryingInterrupts { flock(lock, LOCK_EX) }
        } catch {
            throw MailUsersError(errno: error.code, doing: "lock", path: lockPath)
        }
        var entries = try entries()
        change(&entries)
        var text = "# door mail users: address:scrypt hash. Manage with `door mail user add|remove|list`.\n"
        for entry in entries { text += "\(entry.user):\(entry.hash)\n" }
        try replaceFile(with: Array(text.utf8))
    }

    private func replaceFile(with bytes: [UInt8]) throws(MailUsersError) {
        let temporary = path + ".tmp"
        do throws(MailStoreError) {
            try MaildirStore.writeSynced(bytes, to: temporary, exclusive: false)
        } catch {
            throw MailUsersError(error.description)
        }
        if rename(temporary, path) != 0 {
            let failure = MailUsersError(errno: errno, doing: "rename into", path: path)
            unlink(temporary)
            throw failure
        }
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let folderFD = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            fsync(folderFD)
            close(folderFD)
        }
    }
}

/// Why the users file could not be read or changed.
public struct MailUsersError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }

    init(errno code: Int32, doing: String, path: String) {
        description = "cannot \(doing) \(path): \(String(cString: strerror(code)))"
    }
}
