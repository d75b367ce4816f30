// Turns a message with arbitrary line endings into DATA text (RFC 5321 §4.1.1.4, §4.5.2), because a bare CR or
// LF on the wire is exactly what SMTP smuggling exploits and servers may rightly refuse it.

enum SMTPClientDataEncoder {
    struct Encoded: Sendable, Equatable {
        /// The octets to send after 354, dot-stuffed and ending with ".\r\n".
        var wire: [UInt8]
        /// RFC 1870 §3 message size: the CRLF-normalised text without stuffing dots or the final ".\r\n".
        var size: Int
        /// Whether any octet is 0x80 or above, which needs BODY=8BITMIME (RFC 6152).
        var isEightBit: Bool
    }

    static func encode(_ message: [UInt8]) -> Encoded {
        var wire: [UInt8] = []
        wire.reserveCapacity(message.count + message.count / 32 + 5)
        var stuffedDots = 0
        var isEightBit = false
        var atLineStart = true
        var index = message.startIndex
        while index < message.endIndex {
            let byte = message[index]
            index += 1
            switch byte {
            case ASCII.cr:
                // CRLF, bare CR and bare LF each end exactly one line.
                if index < message.endIndex && message[index] == ASCII.lf { index += 1 }
                wire += ASCII.crlf
                atLineStart = true
            case ASCII.lf:
                wire += ASCII.crlf
                atLineStart = true
            default:
                if atLineStart && byte == ASCII.dot {
                    wire.append(ASCII.dot)
                    stuffedDots += 1
                }
                if byte >= 0x80 { isEightBit = true }
                wire.append(byte)
                atLineStart = false
            }
        }
        // The terminator must follow a CRLF, or the last line's text would swallow it.
        if !atLineStart { wire += ASCII.crlf }
        let size = wire.count - stuffedDots
        wire += [ASCII.dot, ASCII.cr, ASCII.lf]
        return Encoded(wire: wire, size: size, isEightBit: isEightBit)
    }
}
