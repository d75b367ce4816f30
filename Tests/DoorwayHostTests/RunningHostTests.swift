// The running host as a library: services start from a configuration, report their traffic, survive a
// reload when unchanged, and a port in use fails the start or, with keepGoing, only its service.

import Doorway
import DoorwayHost
import DoorwayTesting
import DoorwayTorrent
import Foundation
import NIOCore
import NIOPosix
import Testing

@Suite("Running host")
struct RunningHostTests {
    private func echo(_ name: String, port: UInt16) -> ServiceConfiguration {
        ServiceConfiguration(
            name: name, kind: .echo, listen: [.host(.ipv4("127.0.0.1"), port: Port(port))], transports: [.tcp])
    }

    private func configuration(_ services: [ServiceConfiguration]) -> HostConfiguration {
        HostConfiguration(
            dataFolder: "/tmp/doorway-host-\(getpid())-\(UInt32.random(in: 0...UInt32.max))", services: services)
    }

    /// Sends `text` over a new TCP connection to `port` and returns what came back before the server closed.
    private func exchange(_ text: String, port: UInt16) async throws -> String {
        let connection = try await Client().connect(to: .host(.ipv4("127.0.0.1"), port: Port(port)))
        return try await connection.exchange { inbound, outbound in
            try await outbound.write(text)
            outbound.finish()
            var received = ""
            for try await buffer in inbound { received += String(buffer: buffer) }
            return received
        }
    }

    @Test("a service's row counts its connections and the bytes each way")
    func statusCountsTraffic() async throws {
        let port = try unusedPort()
        let host = try await RunningHost.start(configuration([echo("echo", port: port)]), admin: false)
        #expect(try await exchange("hello", port: port) == "hello")
        #expect(try await exchange("again!", port: port) == "again!")
        // The server sees the second connection close a moment after the client does.
        var row: ServiceStatus?
        for _ in 0..<100 {
            row = await host.services().first
            if row?.activeConnections == 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(row?.name == "echo" && row?.state == "running" && row?.endpoint == "127.0.0.1:\(port)")
        #expect(row?.totalConnections == 2)
        #expect(row?.activeConnections == 0)
        #expect(row?.bytesIn == 11 && row?.bytesOut == 11, "\(String(describing: row))")
        await host.shutdown(gracePeriod: .seconds(1))
    }

    @Test("a port in use stops the start, leaving nothing bound; with keepGoing only that service fails")
    func portInUse() async throws {
        let (held, free) = (try unusedPort(), try unusedPort())
        let holder = try await Server.bind(.host(.ipv4("127.0.0.1"), port: Port(held))) { channel in
            channel.eventLoop.makeSucceededVoidFuture()
        }
        defer { Task { await holder.shutdown(gracePeriod: .zero) } }
        let services = [echo("first", port: free), echo("second", port: held)]

        await #expect(throws: HostError.self) {
            _ = try await RunningHost.start(configuration(services), admin: false)
        }
        // The first service was bound and closed again: its port is free for another start.
        let again = try await RunningHost.start(configuration([echo("first", port: free)]), admin: false)
        await again.shutdown(gracePeriod: .zero)

        let host = try await RunningHost.start(configuration(services), keepGoing: true, admin: false)
        let rows = await host.services()
        #expect(rows.map(\.state) == ["running", "failed"], "\(rows)")
        #expect(rows.last?.problem?.contains("\(held)") == true, "\(rows)")
        #expect(try await exchange("still served", port: free) == "still served")
        await host.shutdown(gracePeriod: .zero)
    }

    @Test("reload keeps an unchanged service's connection open, restarts a changed one, stops a removed one")
    func reloadKeepsUnchangedServices() async throws {
        let (kept, moved, movedTo, removed) = (try unusedPort(), try unusedPort(), try unusedPort(), try unusedPort())
        let first = configuration([
            echo("kept", port: kept), echo("moved", port: moved), echo("removed", port: removed),
        ])
        let host = try await RunningHost.start(first, admin: false)

        // A connection to the unchanged service, open across the reload.
        let connection = try await Client().connect(to: .host(.ipv4("127.0.0.1"), port: Port(kept)), framing: .lines())
        let report = try await connection.exchange { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            try await outbound.write("before")
            let before = try await lines.next().map { String(buffer: $0) }
            var second = first
            second.services = [echo("kept", port: kept), echo("moved", port: movedTo), echo("added", port: removed)]
            let report = await host.reload(second, gracePeriod: .zero)
            try await outbound.write("after")
            let after = try await lines.next().map { String(buffer: $0) }
            #expect(before == "before" && after == "after", "the kept service lost its connection")
            return report
        }
        #expect(report.unchanged == ["kept"])
        #expect(report.restarted == ["moved"])
        #expect(report.stopped == ["removed"])
        #expect(report.started == ["added"])
        #expect(report.failed.isEmpty)
        #expect(try await exchange("moved", port: movedTo) == "moved")
        #expect(try await exchange("added", port: removed) == "added")
        await #expect(throws: (any Error).self) { _ = try await exchange("gone", port: moved) }
        await host.shutdown(gracePeriod: .zero)
    }
}

@Suite("Host metrics")
struct HostMetricsTests {
    @Test("the Prometheus text counts a web service's connections, bytes and responses by status")
    func webMetrics() async throws {
        let port = try unusedPort()
        let temporary = try TemporaryFolder("metrics")
        defer { temporary.remove() }
        let folder = temporary.path
        let name = "web-\(port)"
        let service = ServiceConfiguration(
            name: name, kind: .web, listen: [.host(.ipv4("127.0.0.1"), port: Port(port))], transports: [.tcp])
        let metrics = HostMetrics.bootstrap()
        let host = try await RunningHost.start(
            HostConfiguration(dataFolder: folder, services: [service]), admin: false, metrics: metrics)
        for path in ["/", "/", "/missing"] {
            let connection = try await Client().connect(to: .host(.ipv4("127.0.0.1"), port: Port(port)))
            _ = try await connection.exchange { inbound, outbound in
                try await outbound.write("GET \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
                for try await _ in inbound {}
            }
        }
        let text = host.metricsText()
        let lines = text.split(separator: "\n").map(String.init)
        func value(_ metric: String, _ labels: [String]) -> Double? {
            lines.first { line in line.hasPrefix(metric + "{") && labels.allSatisfy { line.contains($0) } }
                .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        }
        #expect(value("door_http_requests_total", ["service=\"\(name)\"", "status=\"200\""]) == 2, "\(text)")
        #expect(value("door_http_requests_total", ["service=\"\(name)\"", "status=\"404\""]) == 1, "\(text)")
        #expect(value("door_connections_total", ["service=\"\(name)\"", "transport=\"tcp\""]) == 3, "\(text)")
        #expect((value("door_bytes_sent_total", ["service=\"\(name)\""]) ?? 0) > 1000, "\(text)")
        await host.shutdown(gracePeriod: .zero)
    }

    @Test("the Prometheus text counts a download's verified pieces under the torrent's info-hash")
    func torrentMetrics() async throws {
        let metrics = HostMetrics.bootstrap()
        let temporary = try TemporaryFolder("metrics-torrent")
        defer { temporary.remove() }
        let folder = temporary.path
        try temporary.makeFolder("seed")
        var generator = SystemRandomNumberGenerator()
        let data = (0..<(20 * 32 * 1024 + 5)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(data).write(to: URL(fileURLWithPath: folder + "/seed/payload.bin"))
        let metainfo = try Metainfo(
            decoding: try await TorrentCreator.create(from: folder + "/seed/payload.bin", pieceLength: 32 * 1024))
        var configuration = TorrentPeer.Configuration()
        configuration.listen = try Endpoint(parsing: "127.0.0.1:0")
        configuration.tickInterval = .seconds(1)
        let seeder = TorrentPeer(
            metainfo: metainfo, root: folder + "/seed", writable: false, configuration: configuration)
        try await seeder.start()
        configuration.peers = [try #require(await seeder.listenEndpoint)]
        let leecher = TorrentPeer(metainfo: metainfo, root: folder + "/get", configuration: configuration)
        try await leecher.start()
        try await leecher.waitUntilComplete()
        await leecher.stop()
        await seeder.stop()

        let label = "torrent=\"\(metainfo.infoHash)\""
        let lines = metrics().split(separator: "\n")
        func value(_ metric: String) -> Double? {
            lines.first { $0.hasPrefix(metric + "{") && $0.contains(label) }
                .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        }
        #expect(value("door_torrent_pieces_verified_total") == Double(metainfo.pieceCount), "\(lines)")
        #expect(value("door_torrent_pieces_failed_total") == 0)
        #expect(value("door_torrent_peers_banned_total") == 0)
    }
}
