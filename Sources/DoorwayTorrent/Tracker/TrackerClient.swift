// Asking an HTTP tracker for peers (BEP 3, compact lists of BEP 23, IPv6 peers of BEP 7).

import Doorway
import DoorwayHTTP
import NIOCore
import NIOHTTP1

/// One announce to an HTTP tracker and its answer.
enum TrackerClient {
    struct Answer: Sendable {
        var interval: Int
        var peers: [Endpoint]
    }

    static func announce(_ request: AnnounceRequest, to tracker: String, using http: HTTPClient) async throws -> Answer
    {
        guard tracker.hasPrefix("http://") else {
            throw TrackerFailure("\(tracker): only http:// trackers are supported")
        }
        let url = tracker + (tracker.contains("?") ? "&" : "?") + request.query
        let response = try await http.get(url)
        guard response.status == .ok else {
            throw TrackerFailure("\(tracker) answered \(response.status.code) \(response.status.reasonPhrase)")
        }
        return try parse(Array(response.body.readableBytesView))
    }

    /// The tracker's bencoded answer: `failure reason`, or `interval` and `peers` (a compact string or a list
    /// of dictionaries) and `peers6`.
    static func parse(_ bytes: [UInt8]) throws -> Answer {
        let value: BencodeValue
        do {
            value = try BencodeDecoder().decode(bytes)
        } catch {
            throw TrackerFailure("the tracker's answer is not bencoded: \(error)")
        }
        if let reason = value["failure reason"]?.string { throw TrackerFailure("the tracker refused: \(reason)") }
        let interval = Int(value["interval"]?.integer ?? 1800)
        var peers: [Endpoint] = []
        if let compact = value["peers"]?.bytes {
            peers += endpoints(compact, addressLength: 4)
        } else if let list = value["peers"]?.list {
            for entry in list {
                guard let ip = entry["ip"]?.string, let port = entry["port"]?.integer, (1...65535).contains(port),
                    let host = try? Host(parsing: ip)
                else { continue }
                peers.append(.host(host, port: Port(UInt16(port))))
            }
        }
        if let compact6 = value["peers6"]?.bytes { peers += endpoints(compact6, addressLength: 16) }
        return Answer(interval: interval, peers: peers)
    }

    private static func endpoints(_ bytes: [UInt8], addressLength: Int) -> [Endpoint] {
        let stride = addressLength + 2
        var endpoints: [Endpoint] = []
        var index = 0
        while index + stride <= bytes.count {
            let address = TrackerPeer.Address(
                ipv6OrIPv4: Array(bytes[index..<(index + addressLength)]))
            let port = UInt16(bytes[index + addressLength]) << 8 | UInt16(bytes[index + addressLength + 1])
            if port != 0, let host = try? Host(parsing: address.description) {
                endpoints.append(.host(host, port: Port(port)))
            }
            index += stride
        }
        return endpoints
    }
}

extension TrackerPeer.Address {
    init(ipv6OrIPv4 bytes: [UInt8]) {
        if bytes.count == 4 { self.init(ipv4: bytes) } else { self.init(ipv6: bytes) }
    }
}
