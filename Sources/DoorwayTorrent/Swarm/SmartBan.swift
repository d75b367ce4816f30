// Who sent each block of the pieces being received, and who to ban when a piece fails its SHA-1: libtorrent's
// "smart ban", as pure bookkeeping, so it is tested without sockets.

import Crypto

/// The pieces being assembled, with the sender of every block, and the peers found to send bad data.
///
/// A piece that fails its SHA-1 and came from one peer bans that peer at once. A failed piece that several peers
/// contributed to bans nobody yet: each block's sender and SHA-1 are kept as suspects until the piece, downloaded
/// again, verifies; then the senders whose blocks differ from the good data are banned. A ban also throws away the
/// pieces the banned peer helped assemble, since its blocks in them cannot be trusted.
///
/// ```swift
/// var smartBan = SmartBan(blockLength: 16 * 1024)
/// smartBan.received(block, bytes, from: sender, pieceLength: metainfo.length(ofPiece: block.piece))
/// let assembly = smartBan.assembled(piece)!        // once the picker says the piece is complete
/// let bans = sha1(assembly.bytes) == expected ? smartBan.verified(piece, assembly) : smartBan.failed(piece, assembly)
/// for ban in bans { disconnect(ban.identity); for piece in ban.restartedPieces { picker.pieceFailed(piece) } }
/// ```
struct SmartBan {
    /// A piece being received: its bytes, and which peer sent the block at each offset.
    struct Assembly {
        var bytes: [UInt8]
        var senders: [Int: String] = [:]
    }

    /// A peer found guilty, why, and the pieces in progress that lose its blocks and start over.
    struct Ban: Equatable {
        var identity: String
        var reason: String
        var restartedPieces: [Int]
    }

    private struct Suspect {
        var offset: Int
        var sender: String
        var hash: [UInt8]
    }

    let blockLength: Int
    private(set) var banned = Set<String>()
    private var assemblies: [Int: Assembly] = [:]
    private var suspects: [Int: [Suspect]] = [:]

    init(blockLength: Int) {
        self.blockLength = blockLength
    }

    func isBanned(_ identity: String) -> Bool {
        banned.contains(identity)
    }

    /// Stores a block of a piece `pieceLength` bytes long, remembering its sender.
    mutating func received(_ block: BlockRequest, _ bytes: [UInt8], from sender: String, pieceLength: Int) {
        if assemblies[block.piece] == nil {
            assemblies[block.piece] = Assembly(bytes: [UInt8](repeating: 0, count: pieceLength))
        }
        // In place: a copy taken out of the dictionary would make every block copy the whole piece.
        assemblies[block.piece]!.bytes.replaceSubrange(block.offset..<(block.offset + bytes.count), with: bytes)
        assemblies[block.piece]!.senders[block.offset] = sender
    }

    /// Takes a complete piece out for its SHA-1 check; nil if a ban threw it away meanwhile.
    mutating func assembled(_ piece: Int) -> Assembly? {
        assemblies.removeValue(forKey: piece)
    }

    /// The piece failed its SHA-1: a lone sender is banned; several become suspects until the piece verifies.
    mutating func failed(_ piece: Int, _ assembly: Assembly) -> [Ban] {
        let senders = Set(assembly.senders.values)
        if senders.count == 1, let sender = senders.first {
            return ban(sender, because: "sent piece \(piece), which fails its SHA-1").map { [$0] } ?? []
        }
        if suspects[piece] == nil {
            suspects[piece] = assembly.senders.map { offset, sender in
                Suspect(offset: offset, sender: sender, hash: hash(ofBlockAt: offset, in: assembly.bytes))
            }
        }
        return []
    }

    /// The piece verified: the suspects of its earlier failure whose blocks differ from this good data are banned.
    mutating func verified(_ piece: Int, _ assembly: Assembly) -> [Ban] {
        var bans: [Ban] = []
        for suspect in suspects.removeValue(forKey: piece) ?? []
        where hash(ofBlockAt: suspect.offset, in: assembly.bytes) != suspect.hash {
            let reason = "sent a block of piece \(piece) that differs from the verified data"
            if let ban = ban(suspect.sender, because: reason) { bans.append(ban) }
        }
        return bans
    }

    /// Bans `identity` and throws away the pieces it helped assemble; nil if it was banned already.
    mutating func ban(_ identity: String, because reason: String) -> Ban? {
        guard banned.insert(identity).inserted else { return nil }
        let restarted = assemblies.filter { $0.value.senders.values.contains(identity) }.keys.sorted()
        for piece in restarted { assemblies[piece] = nil }
        return Ban(identity: identity, reason: reason, restartedPieces: restarted)
    }

    private func hash(ofBlockAt offset: Int, in bytes: [UInt8]) -> [UInt8] {
        Array(Insecure.SHA1.hash(data: bytes[offset..<min(offset + blockLength, bytes.count)]))
    }
}
