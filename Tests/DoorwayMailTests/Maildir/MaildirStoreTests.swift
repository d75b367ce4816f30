// The Maildir store: layout, durability steps, hard links, safe folder names, concurrent deliveries.

import DoorwayMail
import DoorwayTesting
import Foundation
import Testing

@testable import DoorwayMail

@Suite("Maildir store")
struct MaildirStoreTests {
    private func makeRoot() throws -> TemporaryFolder { try TemporaryFolder("maildir") }

    private func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test("a message lands in new/ of each recipient's Maildir, hard-linked, with Return-Path and LF endings")
    func delivery() throws {
        let folder = try makeRoot()
        defer { folder.remove() }
        let root = folder.path
        let store = try MaildirStore(root: root)
        let message = Array("Subject: hi\r\n\r\nline one\r\nline two\r\n".utf8)
        let name = try store.deliver(message, returnPath: "from@x.test", to: ["a@y.test", "B@Y.test"])
        for mailbox in ["a@y.test", "b@y.test"] {
            let folder = root + "/" + mailbox
            #expect(files(folder) == ["cur", "new", "tmp"])
            #expect(files(folder + "/new") == [name])
            #expect(files(folder + "/tmp").isEmpty)
            let stored = try String(contentsOfFile: folder + "/new/" + name, encoding: .utf8)
            #expect(stored == "Return-Path: <from@x.test>\nSubject: hi\n\nline one\nline two\n")
        }
        let first = try FileManager.default.attributesOfItem(atPath: root + "/a@y.test/new/" + name)
        #expect(first[.referenceCount] as? Int == 2, "one file, linked into both mailboxes")
    }

    @Test("addresses can never name a path outside the store or a hidden folder")
    func safeNames() {
        #expect(MaildirStore.safeName("../../etc@x") == "%2E.%2F..%2Fetc@x")
        #expect(!MaildirStore.safeName("../x").contains("/"))
        #expect(!MaildirStore.safeName(".hidden@x").hasPrefix("."))
        #expect(MaildirStore.safeName("plain.name+tag@example.test") == "plain.name+tag@example.test")
        #expect(MaildirStore.safeName("") == "%00")
    }

    @Test("concurrent deliveries are all stored once each (group-committed folder syncs)")
    func concurrentDeliveries() async throws {
        let folder = try makeRoot()
        defer { folder.remove() }
        let root = folder.path
        let store = try MaildirStore(root: root)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try store.deliver(
                        Array("Subject: \(index)\r\n\r\nbody\r\n".utf8), returnPath: "", to: ["all@x.test"])
                }
            }
            try await group.waitForAll()
        }
        let stored = files(root + "/all@x.test/new")
        #expect(stored.count == 200 && Set(stored).count == 200)
        var subjects = Set<String>()
        for name in stored {
            let text = try String(contentsOfFile: root + "/all@x.test/new/" + name, encoding: .utf8)
            subjects.insert(text.split(separator: "\n")[1].description)
        }
        #expect(subjects.count == 200)
    }

    @Test("a store that cannot be created is a clear error")
    func badRoot() {
        #expect(throws: MailStoreError.self) { try MaildirStore(root: "/proc/doorway-cannot-be-here") }
    }
}
