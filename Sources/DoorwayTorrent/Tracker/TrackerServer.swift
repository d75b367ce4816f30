// An open HTTP tracker (BEP 3): peers announce themselves and learn about each other; state in memory.

import Doorway
import DoorwayHTTP
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Serves `/announce` and `/scrape` over HTTP/1.1 for any torrent (an open tracker).
///
/// ```swift
/// let tracker = TrackerServer()
/// let server = try await tracker.serve(on: try Endpoint(parsing: ":6969"))
/// // announce URL: http://HOST:6969/announce
/// ```
///
/// Requests are parsed by NIO's HTTP/1.1 codec and answered on the event loop; the swarms live in one
/// ``TrackerState`` behind a lock. A peer's address is the connection's source address (a client's `ip`
/// parameter is ignored, so nobody can announce someone else).
public final class TrackerServer: HTTPRespondingServer {
    private let state: NIOLockedValueBox<TrackerState>
    /// Connections served at once.
    public let maximumConnections: Int
    private let clock: @Sendable () -> Double

    /// A connection silent this long is closed, so idle clients cannot hold every slot.
    public let idleTimeout: Duration

    public init(
        limits: TrackerState.Limits = TrackerState.Limits(), maximumConnections: Int = 1024,
        idleTimeout: Duration = .seconds(30)
    ) {
        self.idleTimeout = idleTimeout
        state = NIOLockedValueBox(TrackerState(limits: limits))
        self.maximumConnections = maximumConnections
        let origin = ContinuousClock.now
        clock = {
            let elapsed = ContinuousClock.now - origin
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }

    /// Installs the tracker in a new connection's pipeline. Bodies of GET requests are not expected and are
    /// ignored.
    public var initializer: Server.Initializer {
        HTTPResponder.initializer { [self] head, remoteAddress in .now(response(to: head, from: remoteAddress)) }
    }

    /// The swarms known now.
    public var swarmCount: Int { state.withLockedValue { $0.swarmCount } }

    /// The answer to a request: bencoded for GET, 405 for anything else.
    func response(to head: HTTPRequestHead, from peer: SocketAddress?) -> HTTPResponse {
        let (status, body) =
            head.method == .GET ? respond(to: head.uri, from: peer) : (.methodNotAllowed, Array("Use GET.\n".utf8))
        let contentType = status == .ok ? "text/plain" : "text/plain; charset=utf-8"
        return HTTPResponse(status: status, headers: ["Content-Type": contentType], body: body)
    }

    /// The bencoded answer to `GET target` from `peer`.
    func respond(to target: String, from peer: SocketAddress?) -> (status: HTTPResponseStatus, body: [UInt8]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts[0]
        let query = parts.count == 2 ? parts[1] : ""
        if path.hasPrefix("/announce") {
            do throws(TrackerFailure) {
                let request = try AnnounceRequest(query: query)
                guard let address = peer.flatMap(Self.address) else { throw TrackerFailure("unknown peer address") }
                let now = clock()
                let answer = try state.withLockedValue { state in
                    Result { () throws(TrackerFailure) in try state.announce(request, from: address, now: now) }
                }.get()
                return (
                    .ok, TrackerResponse.announce(answer, compact: request.compact, omitsPeerID: request.omitsPeerID)
                )
            } catch {
                return (.ok, TrackerResponse.failure(error.reason))
            }
        }
        if path.hasPrefix("/scrape") {
            guard let parameters = QueryString(query) else {
                return (.ok, TrackerResponse.failure("malformed percent-encoding in the query"))
            }
            let hashes = parameters.all("info_hash")
            guard hashes.allSatisfy({ $0.count == 20 }) else {
                return (.ok, TrackerResponse.failure("info_hash must be 20 bytes, percent-encoded"))
            }
            return (.ok, TrackerResponse.scrape(state.withLockedValue { $0.scrape(hashes) }))
        }
        return (.notFound, Array("This is a BitTorrent tracker: use /announce and /scrape.\n".utf8))
    }

    static func address(_ socketAddress: SocketAddress) -> TrackerPeer.Address? {
        guard let text = socketAddress.ipAddress else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        switch socketAddress {
        case .v4:
            guard inet_pton(AF_INET, text, &bytes) == 1 else { return nil }
            return TrackerPeer.Address(ipv4: Array(bytes.prefix(4)))
        case .v6:
            guard inet_pton(AF_INET6, text, &bytes) == 1 else { return nil }
            return TrackerPeer.Address(ipv6: bytes)
        default:
            return nil
        }
    }
}
