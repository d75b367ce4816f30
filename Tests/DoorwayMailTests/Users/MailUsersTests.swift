// The POP3 users file: scrypt hashes, add, remove, list, verify, and a file that stays whole.

import DoorwayTesting
import Foundation
import Testing

@testable import DoorwayMail

@Suite("Mail users file")
struct MailUsersTests {
    /// A cheap cost keeps the tests fast; the format and the checks are the same as at the standard cost.
    private func makeUsers() throws -> (MailUsers, TemporaryFolder) {
        let folder = try TemporaryFolder("users")
        return (
            MailUsers(path: folder.path("sub/.users"), cost: .init(logRounds: 4, blockSize: 8, parallelism: 1)), folder
        )
    }

    @Test("add, verify, list, change the password, remove")
    func lifecycle() throws {
        let (users, folder) = try makeUsers()
        defer { folder.remove() }
        #expect(try users.list().isEmpty, "a missing file has no users")
        try users.add("Ann@Example.test", password: Array("correct horse".utf8))
        try users.add("bob@example.test", password: Array("s3cret".utf8))
        #expect(try users.list() == ["ann@example.test", "bob@example.test"])
        #expect(try users.verify("ann@example.test", password: Array("correct horse".utf8)))
        #expect(try users.verify("ANN@example.test", password: Array("correct horse".utf8)), "names are case-blind")
        #expect(try !users.verify("ann@example.test", password: Array("correct horsE".utf8)))
        #expect(try !users.verify("ann@example.test", password: []))
        #expect(try !users.verify("nobody@example.test", password: Array("s3cret".utf8)))
        try users.add("ann@example.test", password: Array("new one".utf8))
        #expect(try users.list() == ["ann@example.test", "bob@example.test"], "re-adding replaces, not duplicates")
        #expect(try !users.verify("ann@example.test", password: Array("correct horse".utf8)))
        #expect(try users.verify("ann@example.test", password: Array("new one".utf8)))
        #expect(try users.remove("ann@example.test"))
        #expect(try !users.remove("ann@example.test"))
        #expect(try users.list() == ["bob@example.test"])
        #expect(try users.verify("bob@example.test", password: Array("s3cret".utf8)))
    }

    @Test("the file holds salted scrypt hashes, never the password; the same password hashes differently")
    func storedForm() throws {
        let (users, folder) = try makeUsers()
        defer { folder.remove() }
        try users.add("a@x.test", password: Array("same".utf8))
        try users.add("b@x.test", password: Array("same".utf8))
        let text = try String(contentsOfFile: users.path, encoding: .utf8)
        #expect(!text.contains("same"))
        let hashes = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: ":")[1] }
        #expect(hashes.count == 2)
        #expect(hashes.allSatisfy { $0.hasPrefix("$scrypt$ln=4,r=8,p=1$") })
        #expect(hashes[0] != hashes[1], "each user has their own salt")
        let attributes = try FileManager.default.attributesOfItem(atPath: users.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("a standard-cost hash is what `door mail user add` writes, and it verifies")
    func standardCost() throws {
        let hash = try PasswordHash.make(password: Array("pw".utf8))
        #expect(hash.stored.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
        let parsed = try #require(PasswordHash(stored: Substring(hash.stored)))
        #expect(parsed == hash)
        #expect(parsed.matches(Array("pw".utf8)))
        #expect(!parsed.matches(Array("pW".utf8)))
    }

    @Test("bad names and empty passwords are refused with a reason")
    func validation() throws {
        let (users, folder) = try makeUsers()
        defer { folder.remove() }
        for name in ["", "a b@x.test", "a:b@x.test", "a\n@x.test", String(repeating: "a", count: 255)] {
            #expect(throws: MailUsersError.self) { try users.add(name, password: Array("pw".utf8)) }
        }
        #expect(throws: MailUsersError.self) { try users.add("a@x.test", password: []) }
        #expect(try users.list().isEmpty)
    }

    @Test("a damaged line is reported with the file and line number")
    func damagedFile() throws {
        let (users, folder) = try makeUsers()
        defer { folder.remove() }
        try users.add("a@x.test", password: Array("pw".utf8))
        try (try String(contentsOfFile: users.path, encoding: .utf8) + "b@x.test:plaintext\n")
            .write(toFile: users.path, atomically: true, encoding: .utf8)
        #expect {
            try users.list()
        } throws: { error in
            "\(error)".contains(users.path + ":3:")
        }
    }

    @Test("malformed stored hashes never parse")
    func malformedHashes() {
        for text in [
            "", "$scrypt$", "$scrypt$ln=15,r=8,p=1$00$", "$scrypt$ln=99,r=8,p=1$00$00",
            "$bcrypt$ln=15,r=8,p=1$00$00", "$scrypt$ln=15,r=8,p=1$0g$00", "$scrypt$ln=15,r=8$00$00",
        ] {
            #expect(PasswordHash(stored: Substring(text)) == nil, "\(text)")
        }
    }

    @Test("concurrent adds all land: the file is replaced under a lock")
    func concurrentAdds() async throws {
        let (users, folder) = try makeUsers()
        defer { folder.remove() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                group.addTask { try users.add("u\(index)@x.test", password: Array("pw\(index)".utf8)) }
            }
            try await group.waitForAll()
        }
        #expect(Set(try users.list()) == Set((0..<16).map { "u\($0)@x.test" }))
    }
}
