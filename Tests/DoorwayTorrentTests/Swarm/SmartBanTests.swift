// Smart ban without sockets: who is banned when a piece fails its SHA-1, and who only when the piece, downloaded
// again from others, shows whose block was bad.

import Testing

@testable import DoorwayTorrent

struct SmartBanTests {
    /// Pieces of two 4-byte blocks; the good data of piece `p` is bytes `p*8 ..< p*8+8`.
    let blockLength = 4
    let pieceLength = 8

    func good(_ piece: Int, block: Int) -> [UInt8] {
        (0..<blockLength).map { UInt8(piece * pieceLength + block * blockLength + $0) }
    }

    func send(_ bytes: [UInt8], piece: Int, block: Int, from sender: String, to smartBan: inout SmartBan) {
        smartBan.received(
            BlockRequest(piece: piece, offset: block * blockLength, length: bytes.count), bytes, from: sender,
            pieceLength: pieceLength)
    }

    /// The complete piece, as the swarm takes it out for its SHA-1 check.
    func take(_ piece: Int, from smartBan: inout SmartBan) -> SmartBan.Assembly? {
        smartBan.assembled(piece)
    }

    /// Piece `piece` received whole, block 0 then block 1, and taken out for its check.
    func assemble(
        _ piece: Int, _ first: (bytes: [UInt8], sender: String), _ second: (bytes: [UInt8], sender: String),
        in smartBan: inout SmartBan
    ) throws -> SmartBan.Assembly {
        send(first.bytes, piece: piece, block: 0, from: first.sender, to: &smartBan)
        send(second.bytes, piece: piece, block: 1, from: second.sender, to: &smartBan)
        return try #require(take(piece, from: &smartBan))
    }

    @Test("a peer that sent a whole piece that fails its SHA-1 is banned at once")
    func loneSenderIsBanned() throws {
        var smartBan = SmartBan(blockLength: blockLength)
        let assembly = try assemble(0, ([9, 9, 9, 9], "liar"), (good(0, block: 1), "liar"), in: &smartBan)
        let bans = smartBan.failed(0, assembly)
        let reason = "sent piece 0, which fails its SHA-1"
        #expect(bans == [SmartBan.Ban(identity: "liar", reason: reason, restartedPieces: [])])
        #expect(smartBan.isBanned("liar"))
        #expect(smartBan.failed(0, assembly).isEmpty, "a peer is banned once")
    }

    @Test("a contributor to a failed piece is banned when the piece, downloaded again, shows its block was bad")
    func guiltyContributorIsBannedAfterRedownload() throws {
        var smartBan = SmartBan(blockLength: blockLength)
        let failed = try assemble(0, ([9, 9, 9, 9], "liar"), (good(0, block: 1), "honest"), in: &smartBan)
        #expect(smartBan.failed(0, failed).isEmpty, "two senders: nobody is known guilty yet")
        #expect(smartBan.banned.isEmpty)

        // Downloaded again: the honest peer sends the block the liar sent before, a third peer the other.
        let verified = try assemble(0, (good(0, block: 0), "honest"), (good(0, block: 1), "third"), in: &smartBan)
        let bans = smartBan.verified(0, verified)
        #expect(
            bans == [
                SmartBan.Ban(
                    identity: "liar", reason: "sent a block of piece 0 that differs from the verified data",
                    restartedPieces: [])
            ])
        #expect(smartBan.banned == ["liar"])
        #expect(smartBan.verified(0, verified).isEmpty, "the suspects are settled")
    }

    @Test("honest contributors to a failed piece are never banned")
    func honestContributorsStay() throws {
        var smartBan = SmartBan(blockLength: blockLength)
        // Both blocks match the data that verifies later: neither sender is guilty.
        let failed = try assemble(0, (good(0, block: 0), "a"), (good(0, block: 1), "b"), in: &smartBan)
        #expect(smartBan.failed(0, failed).isEmpty)
        let verified = try assemble(0, (good(0, block: 0), "c"), (good(0, block: 1), "c"), in: &smartBan)
        #expect(smartBan.verified(0, verified).isEmpty)
        #expect(smartBan.banned.isEmpty)
    }

    @Test("a ban throws away the pieces the banned peer helped assemble, and only those")
    func banRestartsItsPieces() throws {
        var smartBan = SmartBan(blockLength: blockLength)
        send([9, 9, 9, 9], piece: 0, block: 0, from: "liar", to: &smartBan)
        send(good(2, block: 0), piece: 2, block: 0, from: "liar", to: &smartBan)
        send(good(3, block: 0), piece: 3, block: 0, from: "honest", to: &smartBan)
        send(good(0, block: 1), piece: 0, block: 1, from: "liar", to: &smartBan)
        let failed = try #require(take(0, from: &smartBan))
        let bans = smartBan.failed(0, failed)
        #expect(bans.map(\.restartedPieces) == [[2]])
        let restarted = take(2, from: &smartBan)
        let untouched = take(3, from: &smartBan)
        #expect(restarted == nil)
        #expect(untouched?.senders == [0: "honest"])
    }

    @Test("peer identities write two hex digits a byte, so different peer ids never share one")
    func identityPadsEachByte() {
        #expect(Swarm.identity("10.0.0.1", [0x1, 0x23]) != Swarm.identity("10.0.0.1", [0x12, 0x3]))
        #expect(Swarm.identity("10.0.0.1", [0x1, 0x23]) == "10.0.0.1/0123")
        var smartBan = SmartBan(blockLength: blockLength)
        _ = smartBan.ban(Swarm.identity("10.0.0.1", [0x1, 0x23]), because: "test")
        #expect(!smartBan.isBanned(Swarm.identity("10.0.0.1", [0x12, 0x3])))
    }
}
