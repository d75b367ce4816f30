// Random server behaviour must never crash the client and must always end in exactly one `.finished`.

import DoorwayBasics
import Testing

@testable import DoorwayMail

@Suite struct SMTPClientFuzzTests {
    static let cannedReplies = [
        "220 hi\r\n", "220-multi\r\n220 line\r\n", clientEHLOPipelining, clientEHLOPlain, "250-x\r\n250 SIZE 10\r\n",
        "250 Ok\r\n", "250\r\n", "251 forward\r\n", "354 go\r\n", "421 bye\r\n", "450 busy\r\n", "500 what\r\n",
        "502 no\r\n", "503 order\r\n", "550 no\r\n", "552 big\r\n", "554 fail\r\n", "221 bye\r\n", "250-a\r\n",
        "25", "0 ok\r\n", "\r\n", "999 x\r\n", "250-a\r\n550 b\r\n", "220 \u{FF}\u{0}\r\n",
    ]

    func randomInput(using generator: inout ClientFuzzGenerator) -> [UInt8] {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0:
            let count = Int.random(in: 0..<64, using: &generator)
            return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        case 1:
            let count = Int.random(in: 1..<20, using: &generator)
            return (0..<count).map { _ in [0x32, 0x35, 0x30, 0x20, 0x2D, 0x0D, 0x0A].randomElement(using: &generator)! }
        default:
            return clientWire(Self.cannedReplies.randomElement(using: &generator)!)
        }
    }

    @Test func randomRepliesNeverCrashAndFinishExactlyOnce() {
        var generator = ClientFuzzGenerator(seed: 0xD00B_A7E5_C11E_0001)
        for _ in 0..<3000 {
            let recipientCount = Int.random(in: 0...3, using: &generator)
            var session = SMTPClientSession(
                clientName: "fuzz.example",
                from: Bool.random(using: &generator) ? "a@b" : "\u{E9}@b",
                to: (0..<recipientCount).map { "r\($0)@x" },
                message: clientWire(Bool.random(using: &generator) ? ".\r\nbody" : "caf\u{E9}\n"),
                maximumReplyLineLength: Int.random(in: 0...600, using: &generator)
            )
            var actions: [SMTPClientAction] = []
            for _ in 0..<Int.random(in: 0..<25, using: &generator) {
                var input = randomInput(using: &generator)
                // Deliver in random splits so replies straddle receive calls.
                while !input.isEmpty {
                    let cut = Int.random(in: 1...input.count, using: &generator)
                    let finishedBefore = actions.finishedCount
                    let produced = session.receive(Array(input.prefix(cut)))
                    if finishedBefore == 1 { #expect(produced.isEmpty) }
                    actions += produced
                    input.removeFirst(cut)
                }
            }
            actions += session.connectionClosed()
            #expect(actions.finishedCount == 1)
            // Nothing may follow the .finished, and a QUIT, if any, is the last thing sent.
            if case .finished? = actions.last {} else { Issue.record("last action is not .finished: \(actions)") }
            #expect(session.isFinished)
            #expect(session.connectionClosed().isEmpty)
            for text in actions.sentText.dropLast() {
                #expect(!text.hasPrefix("QUIT"))
            }
        }
    }
}
