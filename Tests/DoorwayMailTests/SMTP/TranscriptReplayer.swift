// Replays a written client/server transcript against a session, so dialogues read like RFC 5321 examples.
import Testing

@testable import DoorwayMail

/// Script lines:
///   "C: text"   sends text + CRLF (use "C~ text" to send the text without CRLF, with \n / \r escapes)
///   "S: prefix" expects the next reply's wire form to start with prefix
///   "D: body"   expects a .deliver whose body (after Received) equals body with \r\n escapes, then stores it
///   "F: temp|perm reason"  expects a .deliver and fails it
///   "X:"        expects .close
/// At the end every produced action must have been matched.
struct TranscriptReplayer {
    var session: SMTPSession
    private var pending: [SMTPAction] = []
    private(set) var delivered: [(envelope: SMTPEnvelope, message: [UInt8])] = []

    init(session: SMTPSession) {
        self.session = session
        pending = self.session.start()
    }

    mutating func replay(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for rawLine in script.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(rawLine)
            guard line.count >= 2 else { continue }
            let tag = line.prefix(2)
            let payload = line.count > 3 ? String(line.dropFirst(3)) : ""
            switch tag {
            case "C:":
                pending += session.receive(Array((payload + "\r\n").utf8))
            case "C~":
                pending += session.receive(Array(Self.unescape(payload).utf8))
            case "S:":
                guard let action = popFirst(sourceLocation), case .reply(let reply) = action else {
                    Issue.record("expected reply \(payload)", sourceLocation: sourceLocation)
                    continue
                }
                let wire = String(decoding: reply.bytes, as: UTF8.self)
                #expect(
                    wire.hasPrefix(payload), "\(wire) does not start with \(payload)", sourceLocation: sourceLocation
                )
            case "D:", "F:":
                guard let action = popFirst(sourceLocation), case .deliver(let envelope, let message) = action else {
                    Issue.record("expected delivery", sourceLocation: sourceLocation)
                    continue
                }
                delivered.append((envelope, message))
                if tag == "D:" {
                    #expect(TestSupport.body(message) == Self.unescape(payload), sourceLocation: sourceLocation)
                    pending += session.deliveryFinished(.stored)
                } else {
                    let temporary = payload.hasPrefix("temp")
                    let reason = String(payload.drop { $0 != " " }.dropFirst())
                    pending += session.deliveryFinished(.failed(temporary: temporary, reason: reason))
                }
            case "X:":
                #expect(popFirst(sourceLocation) == .close, sourceLocation: sourceLocation)
            default:
                Issue.record("bad transcript line \(line)", sourceLocation: sourceLocation)
            }
        }
        #expect(pending.isEmpty, "unmatched actions: \(pending)", sourceLocation: sourceLocation)
    }

    private mutating func popFirst(_ sourceLocation: SourceLocation) -> SMTPAction? {
        guard !pending.isEmpty else {
            Issue.record("no more actions", sourceLocation: sourceLocation)
            return nil
        }
        return pending.removeFirst()
    }

    static func unescape(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "r": result += "\r"
                case "n": result += "\n"
                case "t": result += "\t"
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
