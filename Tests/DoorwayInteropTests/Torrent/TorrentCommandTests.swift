// door torrent info and seed's refusals, and door tracker serve over HTTP with curl.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door torrent info, seed and tracker serve", .timeLimit(.minutes(2)))
struct TorrentCommandTests {
    func makeFolder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder("torrent-cli")
        try folder.makeFolder("share/sub")
        return folder
    }

    @Test("info shows what transmission-show shows: name, info-hash, size, pieces, files, trackers; --json too")
    func info() async throws {
        let door = try door()
        let show = try requiredExecutable(named: "transmission-show", installHint: peerInstallHint)
        let temporary = try makeFolder()
        defer { temporary.remove() }
        let folder = temporary.path
        try Data(repeating: 1, count: 300_000).write(to: URL(fileURLWithPath: folder + "/share/a.bin"))
        try Data(repeating: 2, count: 70_000).write(to: URL(fileURLWithPath: folder + "/share/sub/b.bin"))
        let created = try await Subprocess.run(
            [
                door, "torrent", "create", folder + "/share", "--tracker", "http://192.0.2.1:6969/announce",
                "--tracker",
                "http://198.51.100.1/announce", "--private", "--comment", "two files", "-o", folder + "/share.torrent",
            ],
            timeout: .seconds(60))
        #expect(created.exitCode == 0, "\(created)")
        let theirs = try await Subprocess.run([show, folder + "/share.torrent"])
        let hashLine = theirs.standardOutputText.split(separator: "\n").first { $0.contains("Hash:") } ?? ""
        let hash = String(hashLine.split(separator: " ").last ?? "")
        #expect(hash.count == 40, "\(theirs)")

        let text = try await Subprocess.run([door, "torrent", "info", folder + "/share.torrent"])
        #expect(text.exitCode == 0, "\(text)")
        for expected in [
            "name:       share", "info-hash:  \(hash)", "(370000 bytes)", "private:    yes", "comment:    two files",
            "http://192.0.2.1:6969/announce", "share/a.bin  (300000 bytes)", "share/sub/b.bin  (70000 bytes)",
        ] {
            #expect(text.standardOutputText.contains(expected), "\(expected) in \(text.standardOutputText)")
        }
        let json = try await Subprocess.run([door, "torrent", "info", "--json", folder + "/share.torrent"])
        let info = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput)) as? [String: Any], "\(json)")
        #expect(info["infoHash"] as? String == hash)
        #expect(
            info["name"] as? String == "share" && info["totalLength"] as? Int == 370_000
                && info["isPrivate"] as? Bool == true)
        #expect(
            (info["files"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == [
                "share/a.bin", "share/sub/b.bin",
            ])
        #expect(info["trackers"] as? [String] == ["http://192.0.2.1:6969/announce", "http://198.51.100.1/announce"])

        let broken = folder + "/broken.torrent"
        try Data("d4:infod4:name2:..12:piece lengthi16384e6:pieces0:6:lengthi1eee".utf8).write(
            to: URL(fileURLWithPath: broken))
        let refused = try await Subprocess.run([door, "torrent", "info", broken])
        #expect(refused.exitCode == 1 && refused.standardErrorText.contains("is not a usable torrent"), "\(refused)")
    }

    @Test("seed refuses data that is not the torrent's, after checking it")
    func seedRefusesWrongData() async throws {
        let door = try door()
        let temporary = try makeFolder()
        defer { temporary.remove() }
        let folder = temporary.path
        try Data(repeating: 7, count: 200_000).write(to: URL(fileURLWithPath: folder + "/share/a.bin"))
        _ = try await Subprocess.run(
            [door, "torrent", "create", folder + "/share/a.bin", "-o", folder + "/a.torrent"], timeout: .seconds(60))
        try Data(repeating: 8, count: 200_000).write(to: URL(fileURLWithPath: folder + "/share/a.bin"))
        let seeded = try await Subprocess.run(
            [
                door, "torrent", "seed", folder + "/a.torrent", "--data", folder + "/share/a.bin", "--listen",
                "127.0.0.1:\(try unusedPort())",
            ],
            timeout: .seconds(30))
        #expect(seeded.exitCode == 1, "\(seeded)")
        #expect(seeded.standardErrorText.contains("has 0 of 13 pieces right"), "\(seeded)")
    }

    @Test("get with no peer to download from ends on SIGTERM with 130, having told its tracker it stopped")
    func getStopsOnSignal() async throws {
        let door = try door()
        let curl = try requiredExecutable(named: "curl", installHint: peerInstallHint)
        let temporary = try makeFolder()
        defer { temporary.remove() }
        let folder = temporary.path
        let trackerPort = try unusedPort()
        let tracker = try Subprocess.start([door, "tracker", "serve", "--listen", "127.0.0.1:\(trackerPort)"])
        defer { tracker.kill() }
        try await tracker.waitUntilBound(port: trackerPort)
        try Data(repeating: 3, count: 100_000).write(to: URL(fileURLWithPath: folder + "/share/c.bin"))
        _ = try await Subprocess.run(
            [
                door, "torrent", "create", folder + "/share/c.bin", "--tracker",
                "http://127.0.0.1:\(trackerPort)/announce", "-o", folder + "/c.torrent",
            ],
            timeout: .seconds(60))
        let port = try unusedPort()
        let get = try Subprocess.start([
            door, "torrent", "get", folder + "/c.torrent", "-o", folder + "/got", "--listen", "127.0.0.1:\(port)",
        ])
        try await get.waitUntilBound(port: port)
        let scrapeURL = "http://127.0.0.1:\(trackerPort)/scrape"
        var announced = false
        for _ in 0..<50 where !announced {
            announced = try await Subprocess.run([curl, "-sS", scrapeURL]).standardOutputText.contains(
                "10:incompletei1e")
            if !announced { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(announced, "the leecher announced itself")
        get.terminate()
        let ended = await get.waitForExit(timeout: .seconds(15))
        #expect(ended.exitCode == 130, "\(ended)")
        let after = try await Subprocess.run([curl, "-sS", scrapeURL])
        #expect(after.standardOutputText == "d5:filesdee", "the tracker forgot it: \(after)")
    }

    @Test(
        "tracker serve over HTTP: a bad announce gets a failure reason, a good one a compact peer list, scrape counts")
    func trackerOverHTTP() async throws {
        let door = try door()
        let curl = try requiredExecutable(named: "curl", installHint: peerInstallHint)
        let port = try unusedPort()
        let tracker = try Subprocess.start([door, "tracker", "serve", "--listen", "127.0.0.1:\(port)"])
        defer { tracker.kill() }
        try await tracker.waitUntilBound(port: port)
        let base = "http://127.0.0.1:\(port)"
        let bad = try await Subprocess.run([curl, "-sS", "\(base)/announce?port=1"])
        #expect(bad.standardOutputText.hasPrefix("d14:failure reason"), "\(bad)")
        let hash = String(repeating: "%AB", count: 20)
        func announce(_ id: String, left: Int) async throws -> ProcessResult {
            try await Subprocess.run([
                curl, "-sS",
                "\(base)/announce?info_hash=\(hash)&peer_id=\(id)&port=6881&left=\(left)&uploaded=0&downloaded=0&compact=1&unknown=1",
            ])
        }
        _ = try await announce("-AA0001-aaaaaaaaaaaa", left: 0)
        let second = try await announce("-BB0001-bbbbbbbbbbbb", left: 100)
        // The seed's address and port, six bytes: 127.0.0.1 and 6881 (0x1AE1).
        #expect(
            second.standardOutput.contains(UInt8(0x1A)) && second.standardOutputText.contains("5:peers6:"), "\(second)")
        #expect(
            second.standardOutputText.contains("8:completei1e")
                && second.standardOutputText.contains("10:incompletei1e"), "\(second)")
        let scrape = try await Subprocess.run([curl, "-sS", "\(base)/scrape?info_hash=\(hash)"])
        #expect(scrape.standardOutputText.hasPrefix("d5:filesd20:"), "\(scrape)")
        #expect(scrape.standardOutputText.contains("8:completei1e"), "\(scrape)")
        let other = try await Subprocess.run([curl, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/"])
        #expect(other.standardOutputText == "404")
    }
}
