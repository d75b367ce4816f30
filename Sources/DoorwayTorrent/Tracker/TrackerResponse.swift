// A tracker's answers, bencoded: announce (compact or dictionary peers), scrape, and failure.

enum TrackerResponse {
    /// BEP 23 compact peers (`peers`, 6 bytes each) with IPv6 ones in `peers6` (BEP 7, 18 bytes each), or BEP 3's
    /// list of dictionaries when the client asked for `compact=0`.
    static func announce(_ answer: AnnounceAnswer, compact: Bool, omitsPeerID: Bool) -> [UInt8] {
        var dictionary: [BencodeKey: BencodeValue] = [
            "interval": .integer(Int64(answer.interval)),
            "min interval": .integer(Int64(min(answer.interval, 60))),
            "complete": .integer(Int64(answer.complete)),
            "incomplete": .integer(Int64(answer.incomplete)),
        ]
        if compact {
            var peers: [UInt8] = []
            var peers6: [UInt8] = []
            for peer in answer.peers {
                let port = [UInt8(peer.port >> 8), UInt8(peer.port & 0xFF)]
                if peer.address.isIPv4 {
                    peers += peer.address.bytes + port
                } else {
                    peers6 += peer.address.bytes + port
                }
            }
            dictionary["peers"] = .bytes(peers)
            if !peers6.isEmpty { dictionary["peers6"] = .bytes(peers6) }
        } else {
            dictionary["peers"] = .list(
                answer.peers.map { peer in
                    var entry: [BencodeKey: BencodeValue] = [
                        "ip": .string(peer.address.description), "port": .integer(Int64(peer.port)),
                    ]
                    if !omitsPeerID { entry["peer id"] = .bytes(peer.peerID) }
                    return .dictionary(entry)
                })
        }
        return BencodeValue.dictionary(dictionary).encoded
    }

    static func scrape(_ entries: [(infoHash: [UInt8], complete: Int, downloaded: Int, incomplete: Int)]) -> [UInt8] {
        var files: [BencodeKey: BencodeValue] = [:]
        for entry in entries {
            files[BencodeKey(bytes: entry.infoHash)] = .dictionary([
                "complete": .integer(Int64(entry.complete)), "downloaded": .integer(Int64(entry.downloaded)),
                "incomplete": .integer(Int64(entry.incomplete)),
            ])
        }
        return BencodeValue.dictionary(["files": .dictionary(files)]).encoded
    }

    static func failure(_ reason: String) -> [UInt8] {
        BencodeValue.dictionary(["failure reason": .string(reason)]).encoded
    }
}
