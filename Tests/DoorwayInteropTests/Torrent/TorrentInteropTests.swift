// door's BitTorrent peer and tracker with real clients: aria2c and transmission-cli, torrents from mktorrent.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door torrent with aria2c, transmission-cli and mktorrent", .serialized, .timeLimit(.minutes(4)))
struct TorrentInteropTests {
    func aria2c() throws -> String { try requiredExecutable(named: "aria2c", installHint: peerInstallHint) }
    func mktorrent() throws -> String { try requiredExecutable(named: "mktorrent", installHint: peerInstallHint) }
    func transmission() throws -> String {
        try requiredExecutable(named: "transmission-cli", installHint: peerInstallHint)
    }

    /// aria2c kept local and short (../shared/INTEROP.md).
    let ariaLocal = [
        "--enable-dht=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--summary-interval=0",
        "--console-log-level=warn",
    ]

    func randomFile(_ path: String, size: Int) throws -> Data {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try data.write(to: URL(fileURLWithPath: path))
        return data
    }

    func startTracker(on address: String = "127.0.0.1") async throws -> (BackgroundProcess, String) {
        let port = try unusedPort()
        let tracker = try Subprocess.start([
            try door(), "tracker", "serve", "--listen", "\(address):\(port)", "--interval", "10",
        ])
        try await tracker.waitUntilBound(port: port)
        return (tracker, "http://\(address):\(port)/announce")
    }

    @Test("a torrent door makes is accepted by aria2c, which downloads it from door's seeder through door's tracker")
    func doorSeedsToAria() async throws {
        let temporary = try TemporaryFolder("torrent-interop")
        defer { temporary.remove() }
        let folder = temporary.path
        try FileManager.default.createDirectory(atPath: folder + "/seed", withIntermediateDirectories: true)
        let data = try randomFile(folder + "/seed/payload.bin", size: 6 * 1024 * 1024 + 777)
        let (tracker, announce) = try await startTracker()
        defer { tracker.kill() }
        let created = try await Subprocess.run(
            [
                try door(), "torrent", "create", folder + "/seed/payload.bin", "--tracker", announce, "-o",
                folder + "/p.torrent",
            ],
            timeout: .seconds(60))
        #expect(created.exitCode == 0, "\(created)")
        let port = try unusedPort()
        let seeder = try Subprocess.start(
            [
                try door(), "torrent", "seed", folder + "/p.torrent", "--data", folder + "/seed/payload.bin",
                "--listen", "127.0.0.1:\(port)",
            ])
        defer { seeder.kill() }
        try await seeder.waitUntilBound(port: port)
        let fetched = try await Subprocess.run(
            [try aria2c()] + ariaLocal + ["--seed-time=0", "-d", folder + "/aria", folder + "/p.torrent"],
            timeout: .seconds(120))
        #expect(fetched.exitCode == 0, "\(fetched)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/aria/payload.bin")) == data)
    }

    @Test("door downloads a multi-file torrent made by mktorrent from an aria2c seeder through door's tracker")
    func ariaSeedsMktorrentToDoor() async throws {
        let temporary = try TemporaryFolder("torrent-interop")
        defer { temporary.remove() }
        let folder = temporary.path
        try FileManager.default.createDirectory(
            atPath: folder + "/seed/album/disc 2", withIntermediateDirectories: true)
        let one = try randomFile(folder + "/seed/album/one.bin", size: 1_500_000)
        let two = try randomFile(folder + "/seed/album/disc 2/two.bin", size: 2_345_678)
        let (tracker, announce) = try await startTracker()
        defer { tracker.kill() }
        let made = try await Subprocess.run(
            [try mktorrent(), "-a", announce, "-l", "16", "-o", folder + "/album.torrent", folder + "/seed/album"],
            timeout: .seconds(60))
        #expect(made.exitCode == 0, "\(made)")
        let ariaPort = try unusedPort()
        let seeder = try Subprocess.start(
            [try aria2c()] + ariaLocal + [
                "-V", "--seed-ratio=0.0", "--seed-time=5", "--listen-port=\(ariaPort)",
                "-d", folder + "/seed", folder + "/album.torrent",
            ])
        defer { seeder.kill() }
        try await seeder.waitUntilBound(port: ariaPort, timeout: .seconds(60))
        let fetched = try await Subprocess.run(
            [
                try door(), "torrent", "get", folder + "/album.torrent", "-o", folder + "/got", "--listen",
                "127.0.0.1:\(try unusedPort())",
            ],
            timeout: .seconds(120))
        #expect(fetched.exitCode == 0, "\(fetched)")
        #expect(fetched.standardOutputText.contains("complete and verified"), "\(fetched)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/got/album/one.bin")) == one)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/got/album/disc 2/two.bin")) == two)
    }

    @Test("transmission-cli downloads from door's seeder, and door from transmission-cli's, across two hosts")
    func transmissionAcrossHosts() async throws {
        let (door, transmission) = (try door(), try transmission())
        let temporary = try TemporaryFolder("torrent-interop")
        defer { temporary.remove() }
        let folder = temporary.path
        try FileManager.default.createDirectory(atPath: folder + "/seed", withIntermediateDirectories: true)
        let data = try randomFile(folder + "/seed/film.bin", size: 5 * 1024 * 1024 + 4321)
        try await withTwoHosts { hosts in
            // Host A: door's tracker and door's seeder. Host B: transmission-cli downloads.
            let tracker = try hosts.a.start([
                door, "tracker", "serve", "--listen", "\(hosts.a.address):6969", "--interval", "10",
            ])
            defer { tracker.kill() }
            try await tracker.waitUntilBound(port: 6969)
            let announce = "http://\(hosts.a.address):6969/announce"
            let created = try await Subprocess.run(
                [
                    door, "torrent", "create", folder + "/seed/film.bin", "--tracker", announce, "--private", "-o",
                    folder + "/film.torrent",
                ],
                timeout: .seconds(60))
            #expect(created.exitCode == 0, "\(created)")
            let seeder = try hosts.a.start(
                [
                    door, "torrent", "seed", folder + "/film.torrent", "--data", folder + "/seed/film.bin", "--listen",
                    "\(hosts.a.address):6881",
                ])
            defer { seeder.kill() }
            try await seeder.waitUntilBound(port: 6881)
            // transmission-cli re-announces slowly: start it once the tracker knows the seed.
            try await waitForSeeds(1, tracker: "http://\(hosts.a.address):6969/scrape", on: hosts.a)
            let leecher = try hosts.b.start(
                [
                    transmission, "-g", folder + "/tr-config-b", "-w", folder + "/tr-got", "-p", "51413",
                    folder + "/film.torrent",
                ])
            defer { leecher.kill() }
            try await waitForFile(folder + "/tr-got/film.bin", equalTo: data, timeout: .seconds(90))
            leecher.kill()
            // SIGTERM: door's seeder tells the tracker it leaves.
            seeder.terminate()
            _ = await seeder.waitForExit(timeout: .seconds(15))

            // Now transmission-cli seeds on host A and door downloads on host B.
            let trSeeder = try hosts.a.start(
                [
                    transmission, "-g", folder + "/tr-config-a", "-w", folder + "/seed", "-p", "51414",
                    folder + "/film.torrent",
                ])
            defer { trSeeder.kill() }
            try await trSeeder.waitUntilBound(port: 51414, timeout: .seconds(60))
            try await waitForSeeds(1, tracker: "http://\(hosts.a.address):6969/scrape", on: hosts.a)
            let fetched = try await hosts.b.run(
                [
                    door, "torrent", "get", folder + "/film.torrent", "-o", folder + "/door-got", "--listen",
                    "\(hosts.b.address):6882",
                ],
                timeout: .seconds(120))
            #expect(fetched.exitCode == 0, "\(fetched)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/door-got/film.bin")) == data)
        }
    }

    @Test("a download onto a full disk stops with a clear error and a non-zero exit")
    func fullDisk() async throws {
        let temporary = try TemporaryFolder("torrent-interop")
        defer { temporary.remove() }
        let folder = temporary.path
        try FileManager.default.createDirectory(atPath: folder + "/seed", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/small", withIntermediateDirectories: true)
        _ = try randomFile(folder + "/seed/big.bin", size: 4 * 1024 * 1024)
        let mounted = try await Subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder + "/small"])
        try #require(mounted.exitCode == 0, "mount a 1 MiB tmpfs: \(mounted)")
        defer { _ = Glibc.umount2(folder + "/small", Int32(MNT_DETACH)) }
        let created = try await Subprocess.run(
            [try door(), "torrent", "create", folder + "/seed/big.bin", "-o", folder + "/big.torrent"],
            timeout: .seconds(60))
        #expect(created.exitCode == 0, "\(created)")
        let port = try unusedPort()
        let seeder = try Subprocess.start(
            [
                try door(), "torrent", "seed", folder + "/big.torrent", "--data", folder + "/seed/big.bin", "--listen",
                "127.0.0.1:\(port)",
            ])
        defer { seeder.kill() }
        try await seeder.waitUntilBound(port: port)
        let fetched = try await Subprocess.run(
            [
                try door(), "torrent", "get", folder + "/big.torrent", "-o", folder + "/small", "--peer",
                "127.0.0.1:\(port)",
                "--listen", "127.0.0.1:\(try unusedPort())",
            ],
            timeout: .seconds(60))
        #expect(fetched.exitCode == 1, "\(fetched)")
        #expect(fetched.standardErrorText.contains("the disk is full"), "\(fetched)")
    }

    @Test("door torrent get redraws one progress line on a terminal, and writes plain lines otherwise")
    func progressDisplay() async throws {
        let door = try door()
        let script = try requiredExecutable(named: "script", installHint: "script is in Debian's bsdutils")
        let temporary = try TemporaryFolder("torrent-interop")
        defer { temporary.remove() }
        let folder = temporary.path
        try FileManager.default.createDirectory(atPath: folder + "/seed", withIntermediateDirectories: true)
        let data = try randomFile(folder + "/seed/blob.bin", size: 16 * 1024 * 1024)
        _ = try await Subprocess.run(
            [door, "torrent", "create", folder + "/seed/blob.bin", "-o", folder + "/blob.torrent"],
            timeout: .seconds(60))
        let port = try unusedPort()
        let seeder = try Subprocess.start(
            [
                door, "torrent", "seed", folder + "/blob.torrent", "--data", folder + "/seed/blob.bin", "--listen",
                "127.0.0.1:\(port)",
            ])
        defer { seeder.kill() }
        try await seeder.waitUntilBound(port: port)
        // `script` gives the command a pseudo-terminal and copies what it draws to standard output.
        let onTerminal = try await Subprocess.run(
            [
                script, "-qec",
                "'\(door)' torrent get '\(folder)/blob.torrent' -o '\(folder)/tty' --peer 127.0.0.1:\(port) --listen 127.0.0.1:\(try unusedPort())",
                "/dev/null",
            ],
            timeout: .seconds(60))
        #expect(onTerminal.exitCode == 0, "\(onTerminal)")
        let drawn = onTerminal.standardOutputText
        #expect(
            drawn.contains("\rchecking 100.0%") && drawn.contains("\rdownloading ") && drawn.contains(" peers"),
            "\(drawn.debugDescription)")
        #expect(drawn.contains("\u{1B}[K"), "the line is redrawn in place")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/tty/blob.bin")) == data)
        let plain = try await Subprocess.run(
            [
                door, "torrent", "get", folder + "/blob.torrent", "-o", folder + "/plain", "--peer",
                "127.0.0.1:\(port)", "--listen", "127.0.0.1:\(try unusedPort())",
            ],
            timeout: .seconds(60))
        #expect(plain.exitCode == 0, "\(plain)")
        #expect(
            !plain.standardErrorText.contains("\r") && plain.standardErrorText.contains("downloading "),
            "\(plain.standardErrorText.debugDescription)")
    }

    /// Waits until the tracker's scrape counts `count` seeds (one torrent on that tracker).
    func waitForSeeds(_ count: Int, tracker scrape: String, on host: NetworkNamespaceHost) async throws {
        let curl = try requiredExecutable(named: "curl", installHint: peerInstallHint)
        for _ in 0..<600 {
            let answer = try await host.run([curl, "-sS", scrape])
            if answer.standardOutputText.contains("8:completei\(count)e") { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the tracker never counted \(count) seeds")
    }

    /// Waits until `path` holds exactly `data` (transmission-cli never exits by itself).
    func waitForFile(_ path: String, equalTo data: Data, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let current = FileManager.default.contents(atPath: path), current == data { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        Issue.record("\(path) did not receive the data within \(timeout)")
    }
}

@Suite("A Doorway swarm on five hosts", .timeLimit(.minutes(3)))
struct TorrentSwarmTests {
    @Test(
        "one seeder and four leechers, each on its own host: every copy is identical and leechers upload to each other")
    func swarm() async throws {
        let door = try door()
        let temporary = try TemporaryFolder("swarm")
        defer { temporary.remove() }
        let folder = temporary.path
        try temporary.makeFolder("seed")
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<(24 * 1024 * 1024)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try data.write(to: URL(fileURLWithPath: folder + "/seed/data.bin"))
        try await withHosts(5) { hosts in
            let tracker = try hosts[0].start([
                door, "tracker", "serve", "--listen", "\(hosts[0].address):6969", "--interval", "10",
            ])
            try await tracker.waitUntilBound(port: 6969)
            let created = try await Subprocess.run(
                [
                    door, "torrent", "create", folder + "/seed/data.bin", "--tracker",
                    "http://\(hosts[0].address):6969/announce",
                    "--piece-size", "65536", "-o", folder + "/data.torrent",
                ],
                timeout: .seconds(60))
            #expect(created.exitCode == 0, "\(created)")
            let seeder = try hosts[0].start(
                [
                    door, "torrent", "seed", folder + "/data.torrent", "--data", folder + "/seed/data.bin", "--listen",
                    "\(hosts[0].address):6881",
                ])
            try await seeder.waitUntilBound(port: 6881)
            let leechers = try hosts[1...].map { host in
                try host.start([
                    door, "torrent", "get", folder + "/data.torrent", "-o", folder + "/\(host.name)", "--listen",
                    "\(host.address):6881",
                ])
            }
            var uploaded = 0
            for (leecher, host) in zip(leechers, hosts[1...]) {
                let ended = await leecher.waitForExit(timeout: .seconds(120))
                #expect(ended.exitCode == 0, "\(ended)")
                #expect(
                    try Data(contentsOf: URL(fileURLWithPath: folder + "/\(host.name)/data.bin")) == data, "\(host)")
                let line = ended.standardOutputText.split(separator: "\n").first { $0.contains("uploaded") } ?? ""
                uploaded += Int(line.split(separator: " ").dropLast().last ?? "0") ?? 0
            }
            #expect(uploaded > 0, "the leechers uploaded \(uploaded) bytes to each other")
        }
    }
}
