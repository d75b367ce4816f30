// RETR and TOP's multi-line body (RFC 1939 §3): stored messages become CRLF lines, dot-stuffed and terminated.

extension POP3Session {
    /// The multi-line body for RETR (`bodyLines == nil`) or TOP, ready to follow the "+OK" line.
    ///
    /// - Every line ends in CRLF: a bare LF becomes CRLF, CRLF stays. A CR not followed by LF becomes a space,
    ///   because it is not a line ending in RFC 5322 and a bare CR must never reach the client; a space keeps the
    ///   octet count equal to the size LIST reports (which adds a CR to every bare LF and nothing else). A CR
    ///   that is the very last octet is taken as the end of the last line.
    /// - A line starting with "." gets another ".".
    /// - TOP keeps the header, the blank line after it and at most `bodyLines` body lines (a negative count is
    ///   taken as 0); a message without a blank line is all header and is sent whole.
    /// - ".\r\n" ends the body; an unterminated last line is given its CRLF first, and an empty message is just
    ///   ".\r\n".
    ///
    /// Public and static so it can run off the event loop.
    public static func multiLineBody(_ message: [UInt8], bodyLines: Int?) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 16 + 5)
        var bodyLinesLeft = bodyLines.map { max(0, $0) }
        var inBody = false
        var lineStart = 0
        while lineStart < message.count {
            if inBody, let left = bodyLinesLeft {
                if left == 0 { break }
                bodyLinesLeft = left - 1
            }
            let contentEnd: Int
            let nextLine: Int
            if let lineFeed = message[lineStart...].firstIndex(of: ASCII.lf) {
                contentEnd = lineFeed > lineStart && message[lineFeed - 1] == ASCII.cr ? lineFeed - 1 : lineFeed
                nextLine = lineFeed + 1
            } else {
                contentEnd = message[message.count - 1] == ASCII.cr ? message.count - 1 : message.count
                nextLine = message.count
            }
            let content = message[lineStart..<contentEnd]
            if content.first == ASCII.dot { output.append(ASCII.dot) }
            if content.contains(ASCII.cr) {
                output += content.lazy.map { $0 == ASCII.cr ? ASCII.space : $0 }
            } else {
                output += content
            }
            output += ASCII.crlf
            if content.isEmpty { inBody = true }
            lineStart = nextLine
        }
        output += [ASCII.dot, ASCII.cr, ASCII.lf]
        return output
    }
}
