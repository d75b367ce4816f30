// Octet helpers for MIME work (blanks, line scanning), kept apart so ASCII.swift stays unchanged.

extension ASCII {
    /// Space or tab: the only whitespace that may continue a folded header line or pad the end of a line.
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// The line starting at `start`: its content without the LF or CR LF ending, and where the next line starts.
    /// Only LF ends a line, so stored LF files and CRLF wire data both work.
    static func line(in bytes: ArraySlice<UInt8>, from start: Int) -> (content: Range<Int>, next: Int) {
        let lineFeed = bytes[start...].firstIndex(of: lf) ?? bytes.endIndex
        var contentEnd = lineFeed
        if contentEnd > start && bytes[contentEnd - 1] == cr {
            contentEnd -= 1
        }
        return (start..<contentEnd, lineFeed < bytes.endIndex ? lineFeed + 1 : bytes.endIndex)
    }

    static func trimmingBlanks(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isBlank(first) {
            slice = slice.dropFirst()
        }
        while let last = slice.last, isBlank(last) {
            slice = slice.dropLast()
        }
        return slice
    }

    /// Trims spaces and tabs from both ends of a String without Foundation.
    static func trimmingBlanks(_ text: String) -> String {
        String(decoding: trimmingBlanks(ArraySlice(text.utf8)), as: UTF8.self)
    }
}
