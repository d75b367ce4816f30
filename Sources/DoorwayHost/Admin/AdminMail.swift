// The host's mail as the admin API shows it: mailboxes with counts, messages newest first, one message opened.

import DoorwayMail

/// A mailbox in `GET /_door/api/mail/mailboxes`.
struct MailboxSummary: Codable, Sendable, Equatable {
    var name: String
    var messages: Int
    var unseen: Int
}

/// One header field with its encoded-words decoded.
struct MessageHeader: Codable, Sendable, Equatable {
    var name: String
    var value: String
}

/// `GET /_door/api/mail/messages/ID`: the summary, every header field, the text to show, and whether an HTML
/// part can be fetched from `…/ID/html`.
struct MessageDetail: Codable, Sendable {
    var entry: MailboxEntry
    var headers: [MessageHeader]
    /// The decoded text (see ``MailMessage/text``), nil when the message has none to show.
    var text: String?
    /// The media type the text came from, `text/plain` or `text/html`.
    var textType: String?
    var html: Bool
    var attachments: [String]
}

/// The mail part of `GET /_door/api/status`.
struct MailStatus: Codable, Sendable {
    var mailboxes: [MailboxSummary]
    var messages: [MailboxEntry]
}

/// Reads a mail store for the API. Without a store every list is empty and no message exists.
///
/// The reads block (they open files): callers run them off the event loop.
struct AdminMail: Sendable {
    let reader: MailboxReader?

    init(store: String?) {
        reader = store.map(MailboxReader.init(store:))
    }

    /// The mailboxes with their counts and the messages of `mailbox` (of all when nil), newest first, read in
    /// one pass over the store.
    func status(mailbox: String?) throws(MailStoreError) -> MailStatus {
        guard let reader else { return MailStatus(mailboxes: [], messages: []) }
        let names = try reader.mailboxes()
        let all = try reader.entries()
        var counts: [String: (messages: Int, unseen: Int)] = [:]
        for entry in all {
            counts[entry.mailbox, default: (0, 0)].messages += 1
            if !entry.seen { counts[entry.mailbox, default: (0, 0)].unseen += 1 }
        }
        let summaries = names.map { name in
            MailboxSummary(name: name, messages: counts[name]?.messages ?? 0, unseen: counts[name]?.unseen ?? 0)
        }
        let chosen = mailbox.map { name in all.filter { $0.mailbox == name } } ?? all
        return MailStatus(mailboxes: summaries, messages: Self.newestFirst(chosen))
    }

    func mailboxes() throws(MailStoreError) -> [MailboxSummary] {
        try status(mailbox: nil).mailboxes
    }

    /// The messages of `mailbox` (a folder name as ``mailboxes()`` lists it), or of every mailbox; newest first.
    func messages(in mailbox: String?) throws(MailStoreError) -> [MailboxEntry] {
        guard let reader else { return [] }
        guard let mailbox else { return Self.newestFirst(try reader.entries()) }
        guard try reader.mailboxes().contains(mailbox) else { return [] }
        // The reader maps an address to its folder name; a folder whose name is already in that form can be
        // read alone, any other (written by another program) is found among all.
        let isOwnForm = mailbox.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || "@+-_=.".utf8.contains(byte)
        }
        let entries =
            isOwnForm ? try reader.entries(in: mailbox) : try reader.entries().filter { $0.mailbox == mailbox }
        return Self.newestFirst(entries)
    }

    /// The message with this id (or Maildir unique name), or nil when there is none.
    func message(_ id: String) throws(MailStoreError) -> (entry: MailboxEntry, message: MailMessage)? {
        guard let reader, let entry = try reader.entry(id) else { return nil }
        return (entry, MailMessage(try reader.load(entry)))
    }

    func detail(_ id: String) throws(MailStoreError) -> MessageDetail? {
        guard let (entry, message) = try message(id) else { return nil }
        let headers = message.fields.map { field in
            // decodedField reads the first field of a name; a message of this one field decodes each in turn.
            var single = MailMessage([])
            single.fields = [field]
            return MessageHeader(name: field.name, value: single.decodedField(field.name) ?? field.value)
        }
        let text = message.text
        return MessageDetail(
            entry: entry, headers: headers, text: text?.body, textType: text?.mediaType, html: message.html != nil,
            attachments: message.attachmentNames)
    }

    /// Sorted by delivery time, newest first: a Maildir unique name starts with the seconds and then `M` and the
    /// microseconds (`1700000000.M123456P42Q1.host`); names of other forms sort by name after those.
    static func newestFirst(_ entries: [MailboxEntry]) -> [MailboxEntry] {
        entries.enumerated().sorted { left, right in
            let a = deliveryKey(left.element.path)
            let b = deliveryKey(right.element.path)
            if a != b { return a > b }
            return left.offset > right.offset
        }.map(\.element)
    }

    /// `(seconds, microseconds, name)` from a path such as `ann@x.test/cur/1700000000.M5P1Q2.host:2,S`.
    static func deliveryKey(_ path: String) -> DeliveryKey {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let parts = name.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        let seconds = Int(parts[0]) ?? -1
        var micro = 0
        if parts.count > 1, parts[1].first == "M" {
            micro = Int(parts[1].dropFirst().prefix { $0.isASCII && $0.isNumber }) ?? 0
        }
        return DeliveryKey(seconds: seconds, microseconds: micro, name: name)
    }

    struct DeliveryKey: Comparable {
        var seconds: Int
        var microseconds: Int
        var name: String

        static func < (lhs: DeliveryKey, rhs: DeliveryKey) -> Bool {
            (lhs.seconds, lhs.microseconds, lhs.name) < (rhs.seconds, rhs.microseconds, rhs.name)
        }
    }
}
