// Reading a store's mailboxes for people: what `door mail inbox` lists and `door mail show` prints.

import Crypto
import DoorwayBasics

/// One message in a mailbox, summarised from its header.
public struct MailboxEntry: Sendable, Equatable, Codable {
    /// A short id for `door mail show`: the first 8 hex digits of a digest of the Maildir unique name, which
    /// never changes while the message lives.
    public var id: String
    public var mailbox: String
    /// The file, relative to the store.
    public var path: String
    public var date: String
    public var from: String
    public var subject: String
    /// Octets as stored.
    public var size: Int
    /// The Maildir `S` flag, set when a POP3 client retrieved the message or a mail reader opened it.
    public var seen: Bool
}

/// The mailboxes of a ``MaildirStore``, read-only.
///
/// ```swift
/// for entry in try MailboxReader(store: "door-data/mail").entries() { print(entry.subject) }
/// ```
public struct MailboxReader: Sendable {
    public let store: String
    /// Only this much of each file is read for the summary: headers longer than this are cut.
    static let headerReadLimit = 256 * 1024

    public init(store: String) {
        self.store = store
    }

    /// The mailboxes in the store (their folder names, which are the addresses), sorted.
    public func mailboxes() throws(MailStoreError) -> [String] {
        try Maildrop.names(in: store).filter { Maildrop.isMaildir(store + "/" + $0) }.sorted()
    }

    /// Every message of `mailbox` (or of every mailbox), oldest first.
    public func entries(in mailbox: String? = nil) throws(MailStoreError) -> [MailboxEntry] {
        var folders: [String]
        if let mailbox {
            folders = [MaildirStore.safeName(mailbox.lowercased())]
        } else {
            folders = try mailboxes()
        }
        var entries: [MailboxEntry] = []
        for folder in folders {
            for entry in try Maildrop(folder: store + "/" + folder, countingSizes: false).entries {
                entries.append(try summary(of: entry, in: folder))
            }
        }
        return entries
    }

    /// The message whose id (or Maildir unique name) is `id`. Only that message's header is read.
    public func entry(_ id: String) throws(MailStoreError) -> MailboxEntry? {
        for mailbox in try mailboxes() {
            let drop = try Maildrop(folder: store + "/" + mailbox, countingSizes: false)
            for entry in drop.entries where Self.shortID(entry.uniqueID) == id || entry.uniqueID == id {
                return try summary(of: entry, in: mailbox)
            }
        }
        return nil
    }

    /// A message summarised from its header (at most ``headerReadLimit`` bytes of the file are read).
    private func summary(of entry: Maildrop.Entry, in folder: String) throws(MailStoreError) -> MailboxEntry {
        let path = store + "/" + folder + "/" + entry.path
        let message = MailMessage(Self.header(of: try Maildrop.read(path, limit: Self.headerReadLimit)))
        return MailboxEntry(
            id: Self.shortID(entry.uniqueID), mailbox: folder, path: folder + "/" + entry.path,
            date: message.date ?? "", from: message.from ?? "", subject: message.subject ?? "",
            size: Int(Maildrop.fileSize(path) ?? 0), seen: entry.isSeen)
    }

    /// The stored bytes of a message.
    public func load(_ entry: MailboxEntry) throws(MailStoreError) -> [UInt8] {
        try Maildrop.read(store + "/" + entry.path)
    }

    static func shortID(_ uniqueID: String) -> String {
        String(Hex.encode(Array(Insecure.SHA1.hash(data: Array(uniqueID.utf8)))).prefix(8))
    }

    /// The header section, through the blank line.
    static func header(of bytes: [UInt8]) -> [UInt8] {
        var index = 0
        var lineStart = true
        while index < bytes.count {
            if lineStart
                && (bytes[index] == ASCII.lf
                    || (bytes[index] == ASCII.cr && index + 1 < bytes.count && bytes[index + 1] == ASCII.lf))
            {
                return Array(bytes[..<index])
            }
            lineStart = bytes[index] == ASCII.lf
            index += 1
        }
        return bytes
    }
}
