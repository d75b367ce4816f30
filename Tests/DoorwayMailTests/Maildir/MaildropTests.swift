// A POP3 maildrop over a Maildir: order, sizes, stable unique ids, seen flags, deletion.

import DoorwayTesting
import Foundation
import Testing

@testable import DoorwayMail

@Suite("Maildrop")
struct MaildropTests {
    private func makeStore() throws -> (MaildirStore, TemporaryFolder) {
        let folder = try TemporaryFolder("maildrop")
        return (try MaildirStore(root: folder.path), folder)
    }

    @Test("messages in delivery order with their CRLF sizes, taken from the name without reading the file")
    func listing() throws {
        let (store, temporary) = try makeStore()
        defer { temporary.remove() }
        let bodies = ["Subject: one\r\n\r\nfirst\r\n", "Subject: two\r\n\r\nsecond\r\nline\r\n", "Subject: 3\r\n\r\n"]
        for body in bodies { try store.deliver(Array(body.utf8), returnPath: "s@x.test", to: ["ann@x.test"]) }
        let drop = try Maildrop(folder: store.mailbox(for: "ann@x.test"))
        #expect(drop.entries.count == 3)
        for (index, body) in bodies.enumerated() {
            let loaded = try drop.load(index)
            #expect(
                String(decoding: loaded, as: UTF8.self).hasSuffix(body.replacingOccurrences(of: "\r\n", with: "\n")))
            #expect(drop.entries[index].size == Maildrop.crlfSize(of: loaded))
            #expect(drop.entries[index].size == "Return-Path: <s@x.test>\r\n".utf8.count + body.utf8.count)
        }
        // A file another program delivered, without size fields, is counted.
        let foreign = store.mailbox(for: "ann@x.test") + "/new/9999999999.M1P1Q1.elsewhere"
        try "Subject: foreign\n\nbody\n".write(toFile: foreign, atomically: false, encoding: .utf8)
        let again = try Maildrop(folder: store.mailbox(for: "ann@x.test"))
        #expect(again.entries.count == 4)
        #expect(again.entries[3].size == "Subject: foreign\r\n\r\nbody\r\n".utf8.count)
        #expect(again.entries[3].uniqueID == "9999999999.M1P1Q1.elsewhere")
    }

    @Test("a mailbox never delivered to is empty")
    func missingMailbox() throws {
        let (store, temporary) = try makeStore()
        defer { temporary.remove() }
        #expect(try Maildrop(folder: store.mailbox(for: "nobody@x.test")).entries.isEmpty)
    }

    @Test("seen moves new/NAME to cur/NAME:2,S; the unique id stays; flags already set are kept")
    func seen() throws {
        let (store, temporary) = try makeStore()
        defer { temporary.remove() }
        let name = try store.deliver(Array("Subject: s\r\n\r\nx\r\n".utf8), returnPath: "", to: ["ann@x.test"])
        let folder = store.mailbox(for: "ann@x.test")
        var drop = try Maildrop(folder: folder)
        let id = drop.entries[0].uniqueID
        try drop.markSeen(0)
        #expect(drop.entries[0].path == "cur/" + name + ":2,S")
        #expect(FileManager.default.fileExists(atPath: folder + "/cur/" + name + ":2,S"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/new/" + name))
        try drop.markSeen(0)
        #expect(drop.entries[0].path == "cur/" + name + ":2,S", "seen twice is still seen once")
        try FileManager.default.moveItem(
            atPath: folder + "/cur/" + name + ":2,S", toPath: folder + "/cur/" + name + ":2,RF")
        var reopened = try Maildrop(folder: folder)
        #expect(reopened.entries[0].uniqueID == id, "UIDL is stable across moves and flags")
        try reopened.markSeen(0)
        #expect(reopened.entries[0].path == "cur/" + name + ":2,FRS")
    }

    @Test("unique ids are 1 to 70 visible characters even for long or odd names")
    func uniqueIDs() {
        let long = String(repeating: "h", count: 100)
        for name in ["1.M2P3Q4." + long + ",S=1,W=2", "1 2 3", "ü.host", "x:2,S"] {
            let id = Maildrop.uniqueID(name)
            #expect((1...70).contains(id.utf8.count), "\(name)")
            #expect(id.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }, "\(name)")
        }
        #expect(Maildrop.uniqueID("1.M2P3Q4.host,S=10,W=12") == "1.M2P3Q4.host")
        #expect(Maildrop.uniqueID("1.M2P3Q4.host,S=10,W=12:2,S") == "1.M2P3Q4.host")
    }

    @Test("delete removes only the named messages")
    func delete() throws {
        let (store, temporary) = try makeStore()
        defer { temporary.remove() }
        for index in 0..<3 {
            try store.deliver(Array("Subject: \(index)\r\n\r\n".utf8), returnPath: "", to: ["ann@x.test"])
        }
        let folder = store.mailbox(for: "ann@x.test")
        let drop = try Maildrop(folder: folder)
        try drop.delete([0, 2])
        let left = try Maildrop(folder: folder)
        #expect(left.entries.map(\.uniqueID) == [drop.entries[1].uniqueID])
    }
}

@Suite("Maildrop locks")
struct MaildropLockTests {
    @Test("one session per mailbox, also across two lock tables (two processes); released on unlock")
    func exclusive() throws {
        let store = try TemporaryFolder("lock")
        defer { store.remove() }
        let folder = store.path("ann@x.test")
        let (first, second) = (MaildropLocks(), MaildropLocks())
        #expect(try first.lock(folder))
        #expect(try !first.lock(folder))
        #expect(try !second.lock(folder), "a second server on the same store sees the lock")
        first.unlock(folder)
        #expect(try second.lock(folder))
        second.unlock(folder)
        #expect(try Maildrop(folder: folder).entries.isEmpty, "the lock file is not a message")
    }
}

@Suite("Maildrop order")
struct MaildropOrderTests {
    @Test("delivery order compares the time as numbers: M99999 comes before M100000 in the same second")
    func numericOrder() {
        let names = ["new/100.M100000P1Q2.h", "new/100.M99999P1Q1.h", "cur/99.M5P1Q1.h:2,S", "new/other-name"]
        let sorted = names.sorted { Maildrop.deliveryOrder($0) < Maildrop.deliveryOrder($1) }
        #expect(sorted == ["cur/99.M5P1Q1.h:2,S", "new/100.M99999P1Q1.h", "new/100.M100000P1Q2.h", "new/other-name"])
    }
}
