// The character generator's pattern (RFC 864): 72-character lines of the 95 printable ASCII characters,
// each line starting one character further along.

import NIOCore

enum Chargen {
    static let characters: [UInt8] = Array(32...126)
    static let lineLength = 74  // 72 characters and CR LF

    /// Line number `index` (0–94) of the rotating pattern, with CR LF.
    static func line(_ index: Int) -> ByteBuffer {
        lines[index % characters.count]
    }

    private static let lines: [ByteBuffer] = (0..<characters.count).map { start in
        var buffer = ByteBuffer()
        for offset in 0..<72 { buffer.writeInteger(characters[(start + offset) % characters.count]) }
        buffer.writeString("\r\n")
        return buffer
    }

    /// `count` bytes of the pattern starting at line `start`, for a UDP answer.
    static func block(startingAt start: Int, count: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        var index = start
        while buffer.readableBytes < count {
            var line = Self.line(index)
            buffer.writeBuffer(&line)
            index += 1
        }
        return buffer.getSlice(at: 0, length: count) ?? ByteBuffer()
    }
}
