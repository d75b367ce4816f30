// Helpers that keep the client transcripts readable: strings in, octets out, and the outcome pulled from actions.

import DoorwayBasics

@testable import DoorwayMail

func clientWire(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

func clientSend(_ text: String) -> SMTPClientAction {
    .send(clientWire(text))
}

let clientEHLOPipelining =
    "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
let clientEHLOPlain = "250-mx.example.org\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n"
let clientGreeting = "220 mx.example.org ESMTP\r\n"

func makeClientSession(
    from sender: String = "alice@example.com",
    to recipients: [String] = ["bob@example.org"],
    message: String = "Subject: hi\r\n\r\nHello\r\n",
    maximumReplyLineLength: Int = 4096
) -> SMTPClientSession {
    SMTPClientSession(
        clientName: "client.example.com",
        from: sender,
        to: recipients,
        message: clientWire(message),
        maximumReplyLineLength: maximumReplyLineLength
    )
}

extension SMTPClientSession {
    mutating func server(_ text: String) -> [SMTPClientAction] {
        receive(clientWire(text))
    }

    /// Greeting plus the given EHLO reply, checking the EHLO goes out.
    mutating func greet(ehlo: String) -> [SMTPClientAction] {
        let hello = server(clientGreeting)
        precondition(hello == [clientSend("EHLO client.example.com\r\n")])
        return server(ehlo)
    }
}

extension Array where Element == SMTPClientAction {
    var outcome: SMTPClientOutcome? {
        for action in self {
            if case .finished(let outcome) = action { return outcome }
        }
        return nil
    }

    var finishedCount: Int {
        filter { if case .finished = $0 { return true } else { return false } }.count
    }

    var sentText: [String] {
        compactMap { if case .send(let bytes) = $0 { String(decoding: bytes, as: UTF8.self) } else { nil } }
    }
}

/// The suites share one seeded generator (TestSupport.swift).
typealias ClientFuzzGenerator = SplitMix64
