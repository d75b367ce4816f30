// What a peer tells an HTTP tracker in /announce (BEP 3, BEP 23), parsed from the query string.

import DoorwayHTTP

/// One announce: which torrent, which peer, where it listens and how far along it is.
///
/// ```swift
/// let request = try AnnounceRequest(query: "info_hash=%12…&peer_id=-DW0001-…&port=6881&left=0")
/// ```
/// Unknown parameters are ignored, as BEP 3 asks; a missing or malformed required one is a
/// ``TrackerFailure`` whose text the tracker sends back as `failure reason`.
public struct AnnounceRequest: Sendable, Equatable {
    public enum Event: String, Sendable {
        case started, completed, stopped
        /// A regular announce (`event` absent or `empty`).
        case none
    }

    public var infoHash: [UInt8]
    public var peerID: [UInt8]
    public var port: UInt16
    public var uploaded: Int64
    public var downloaded: Int64
    /// Bytes still missing; 0 means the peer is a seed.
    public var left: Int64
    public var event: Event
    /// BEP 23: answer with the compact peer list (the default, as every current client asks for it).
    public var compact: Bool
    /// Leave `peer id` out of a dictionary-model peer list.
    public var omitsPeerID: Bool
    /// How many peers the client wants; at most ``AnnounceRequest/maximumWanted``.
    public var wanted: Int

    public static let defaultWanted = 50
    public static let maximumWanted = 200

    public init(
        infoHash: [UInt8], peerID: [UInt8], port: UInt16, uploaded: Int64 = 0, downloaded: Int64 = 0, left: Int64,
        event: Event = .none, compact: Bool = true, omitsPeerID: Bool = false, wanted: Int = defaultWanted
    ) {
        self.infoHash = infoHash
        self.peerID = peerID
        self.port = port
        self.uploaded = uploaded
        self.downloaded = downloaded
        self.left = left
        self.event = event
        self.compact = compact
        self.omitsPeerID = omitsPeerID
        self.wanted = wanted
    }

    /// Parses the query of `GET /announce?…`.
    public init(query: Substring) throws(TrackerFailure) {
        guard let parameters = QueryString(query) else {
            throw TrackerFailure("malformed percent-encoding in the query")
        }
        guard let infoHash = parameters.first("info_hash"), infoHash.count == 20 else {
            throw TrackerFailure("info_hash must be 20 bytes, percent-encoded")
        }
        guard let peerID = parameters.first("peer_id"), peerID.count == 20 else {
            throw TrackerFailure("peer_id must be 20 bytes, percent-encoded")
        }
        guard let portText = parameters.first("port"), let port = UInt16(String(decoding: portText, as: UTF8.self)),
            port != 0
        else { throw TrackerFailure("port must be a number from 1 to 65535") }
        func count(_ name: String, required: Bool) throws(TrackerFailure) -> Int64 {
            guard let text = parameters.first(name) else {
                if required { throw TrackerFailure("\(name) is missing") }
                return 0
            }
            guard let value = Int64(String(decoding: text, as: UTF8.self)), value >= 0 else {
                throw TrackerFailure("\(name) must be a non-negative number")
            }
            return value
        }
        let eventText = parameters.first("event").map { String(decoding: $0, as: UTF8.self) } ?? ""
        let event: Event
        switch eventText {
        case "", "empty": event = .none
        case "started": event = .started
        case "completed": event = .completed
        case "stopped": event = .stopped
        default: throw TrackerFailure("event must be started, completed, stopped or empty")
        }
        let wantedText = parameters.first("numwant").map { String(decoding: $0, as: UTF8.self) }
        let wanted = wantedText.flatMap { Int($0) }.map { max(0, min($0, Self.maximumWanted)) } ?? Self.defaultWanted
        self.init(
            infoHash: infoHash, peerID: peerID, port: port, uploaded: try count("uploaded", required: false),
            downloaded: try count("downloaded", required: false), left: try count("left", required: true),
            event: event, compact: parameters.first("compact") != Array("0".utf8),
            omitsPeerID: parameters.first("no_peer_id") == Array("1".utf8), wanted: wanted)
    }

    /// The query a client sends, for ``AnnounceRequest/init(query:)`` on the other side.
    public var query: String {
        var query = "info_hash=\(QueryString.encode(infoHash))&peer_id=\(QueryString.encode(peerID))&port=\(port)"
        query += "&uploaded=\(uploaded)&downloaded=\(downloaded)&left=\(left)&compact=\(compact ? 1 : 0)"
        if event != .none { query += "&event=\(event.rawValue)" }
        query += "&numwant=\(wanted)"
        return query
    }
}

/// Why a tracker refuses a request; sent to the client as the bencoded `failure reason`.
public struct TrackerFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
