// The tracker: announce parsing (binary-safe), swarm state, expiry, limits, and the bencoded answers.

import Doorway
import DoorwayHTTP
import NIOCore
import Testing

@testable import DoorwayTorrent

@Suite("Tracker")
struct TrackerTests {
    let hash = (0..<20).map { UInt8($0 * 13) }
    let id = Array("-XX0001-abcdefghijkl".utf8)

    func query(_ extra: String = "", hash: [UInt8]? = nil, id: [UInt8]? = nil) -> Substring {
        Substring(
            "info_hash=\(QueryString.encode(hash ?? self.hash))&peer_id=\(QueryString.encode(id ?? self.id))&port=6881&left=100"
                + extra)
    }

    @Test("an announce query with binary info_hash and peer_id parses; unknown parameters are ignored")
    func parsesAnnounce() throws {
        let request = try AnnounceRequest(
            query: query("&uploaded=5&downloaded=7&event=started&numwant=1000&key=xyz&corrupt=0"))
        #expect(request.infoHash == hash)
        #expect(request.peerID == id)
        #expect(request.port == 6881 && request.left == 100 && request.uploaded == 5 && request.downloaded == 7)
        #expect(request.event == .started)
        #expect(request.wanted == AnnounceRequest.maximumWanted, "numwant is capped")
        #expect(request.compact)
        let roundTrip = try AnnounceRequest(query: Substring(request.query))
        #expect(roundTrip == request)
    }

    @Test(
        "bad announces fail with a reason",
        arguments: [
            ("port=1&left=0", "info_hash"),
            ("info_hash=%00&peer_id=x&port=1&left=0", "info_hash"),
            ("info_hash=\(String(repeating: "a", count: 20))&peer_id=short&port=1&left=0", "peer_id"),
            (
                "info_hash=\(String(repeating: "a", count: 20))&peer_id=\(String(repeating: "b", count: 20))&port=0&left=0",
                "port"
            ),
            (
                "info_hash=\(String(repeating: "a", count: 20))&peer_id=\(String(repeating: "b", count: 20))&port=99999&left=0",
                "port"
            ),
            (
                "info_hash=\(String(repeating: "a", count: 20))&peer_id=\(String(repeating: "b", count: 20))&port=1",
                "left"
            ),
            (
                "info_hash=\(String(repeating: "a", count: 20))&peer_id=\(String(repeating: "b", count: 20))&port=1&left=-1",
                "left"
            ),
            (
                "info_hash=\(String(repeating: "a", count: 20))&peer_id=\(String(repeating: "b", count: 20))&port=1&left=0&event=paused",
                "event"
            ),
            ("info_hash=%G0", "percent"),
        ])
    func refusesBadAnnounces(query: String, mentions: String) {
        #expect {
            try AnnounceRequest(query: Substring(query))
        } throws: { error in
            (error as? TrackerFailure)?.reason.contains(mentions) == true
        }
    }

    @Test("peers learn about each other, never themselves; seeds get no seeds; stopped leaves")
    func swarm() throws {
        var state = TrackerState()
        let a = TrackerPeer.Address(ipv4: [192, 0, 2, 1])
        let b = TrackerPeer.Address(ipv4: [192, 0, 2, 2])
        let seedID = Array("-XX0001-seedseedseed".utf8)
        var seed = try AnnounceRequest(query: query(id: seedID))
        seed.left = 0
        let first = try state.announce(seed, from: a, now: 0)
        #expect(first.peers.isEmpty)
        var leech = try AnnounceRequest(query: query())
        leech.left = 50
        let second = try state.announce(leech, from: b, now: 1)
        #expect(second.peers.map(\.address) == [a])
        #expect(second.complete == 1 && second.incomplete == 1)
        var seedAgain = try AnnounceRequest(query: query(id: seedID))
        seedAgain.left = 0
        #expect(try state.announce(seedAgain, from: a, now: 2).peers.map(\.peerID) == [id])
        var stopped = leech
        stopped.event = .stopped
        #expect(try state.announce(stopped, from: b, now: 3).peers.isEmpty)
        #expect(try state.announce(seedAgain, from: a, now: 4).peers.isEmpty, "the stopped peer is gone")
        let scrape = state.scrape([hash])
        #expect(scrape.count == 1 && scrape[0].complete == 1 && scrape[0].incomplete == 0)
    }

    @Test("silent peers expire, and their swarm with them")
    func expiry() throws {
        var limits = TrackerState.Limits()
        limits.interval = 60
        limits.peerLifetime = 130
        var state = TrackerState(limits: limits)
        _ = try state.announce(try AnnounceRequest(query: query()), from: .init(ipv4: [192, 0, 2, 1]), now: 0)
        state.expire(now: 100)
        #expect(state.swarmCount == 1)
        state.expire(now: 131)
        #expect(state.swarmCount == 0)
    }

    @Test("the number of torrents and of peers per torrent is capped")
    func limits() throws {
        var limits = TrackerState.Limits()
        limits.maximumSwarms = 2
        limits.maximumPeersPerSwarm = 2
        var state = TrackerState(limits: limits)
        let address = TrackerPeer.Address(ipv4: [192, 0, 2, 1])
        for index in 0..<2 {
            _ = try state.announce(
                try AnnounceRequest(query: query(hash: Array(repeating: UInt8(index), count: 20))), from: address,
                now: 0)
        }
        #expect(throws: TrackerFailure.self) {
            try state.announce(
                try AnnounceRequest(query: query(hash: Array(repeating: 9, count: 20))), from: address, now: 0)
        }
        let swarmHash = Array(repeating: UInt8(0), count: 20)
        _ = try state.announce(
            try AnnounceRequest(query: query(hash: swarmHash, id: Array("-XX0001-222222222222".utf8))), from: address,
            now: 0)
        #expect(throws: TrackerFailure.self) {
            try state.announce(
                try AnnounceRequest(query: query(hash: swarmHash, id: Array("-XX0001-333333333333".utf8))),
                from: address, now: 0)
        }
    }

    @Test("answers: compact peers (6 bytes each), peers6 for IPv6, the dictionary model, failure reason")
    func answers() throws {
        let v4 = TrackerPeer(peerID: id, address: .init(ipv4: [192, 0, 2, 7]), port: 0x1AE1, left: 0, lastSeen: 0)
        let v6 = TrackerPeer(
            peerID: id, address: .init(ipv6: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]), port: 80,
            left: 5, lastSeen: 0)
        let answer = AnnounceAnswer(interval: 1800, complete: 1, incomplete: 1, peers: [v4, v6])
        let compact = try BencodeDecoder().decode(TrackerResponse.announce(answer, compact: true, omitsPeerID: false))
        #expect(compact["peers"]?.bytes == [192, 0, 2, 7, 0x1A, 0xE1])
        #expect(compact["peers6"]?.bytes?.count == 18)
        #expect(compact["interval"]?.integer == 1800 && compact["complete"]?.integer == 1)
        let parsed = try TrackerClient.parse(TrackerResponse.announce(answer, compact: true, omitsPeerID: false))
        #expect(parsed.peers.map(\.description) == ["192.0.2.7:6881", "[2001:db8::1]:80"])
        let dictionary = try BencodeDecoder().decode(
            TrackerResponse.announce(answer, compact: false, omitsPeerID: false))
        #expect(dictionary["peers"]?.list?.first?["ip"]?.string == "192.0.2.7")
        #expect(dictionary["peers"]?.list?.first?["peer id"]?.bytes == id)
        let withoutIDs = try BencodeDecoder().decode(
            TrackerResponse.announce(answer, compact: false, omitsPeerID: true))
        #expect(withoutIDs["peers"]?.list?.first?["peer id"] == nil)
        #expect(
            try TrackerClient.parse(TrackerResponse.announce(answer, compact: false, omitsPeerID: true)).peers.count
                == 2)
        #expect(throws: TrackerFailure.self) { try TrackerClient.parse(TrackerResponse.failure("no")) }
    }

    @Test("IPv4-mapped IPv6 addresses are IPv4")
    func mappedAddresses() {
        let mapped = TrackerPeer.Address(ipv6: Array(repeating: 0, count: 10) + [0xFF, 0xFF, 198, 51, 100, 9])
        #expect(mapped.isIPv4 && mapped.description == "198.51.100.9")
    }
}

@Suite("Tracker connections", .timeLimit(.minutes(1)))
struct TrackerConnectionTests {
    @Test("a connection that says nothing is closed after the idle timeout (without it, this test hangs)")
    func idleConnectionsClose() async throws {
        let tracker = TrackerServer(idleTimeout: .milliseconds(300))
        let server = try await tracker.serve(on: try Endpoint(parsing: "127.0.0.1:0"))
        let connection = try await Client().connect(to: server.localEndpoint)
        let received = try await connection.exchange { inbound, _ in
            var count = 0
            for try await chunk in inbound { count += chunk.readableBytes }
            return count
        }
        #expect(received == 0, "the tracker closed the silent connection without sending anything")
        await server.shutdown(gracePeriod: .zero)
    }
}
