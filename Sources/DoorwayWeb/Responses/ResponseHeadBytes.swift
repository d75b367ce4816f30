// A response head as the bytes that go on the wire (RFC 9112 §4 and §5).

import NIOCore
import NIOHTTP1

extension ByteBuffer {
    /// Writes `HTTP/1.1 CODE REASON`, each header line and the blank line that ends the head.
    ///
    /// Every value the Web server sends is its own (dates, tags, types from a table, percent-encoded
    /// locations), never copied from a request, so no value can carry a CR or LF.
    mutating func writeResponseHead(status: HTTPResponseStatus, headers: HTTPHeaders, prepared: ByteBuffer? = nil) {
        if status == .ok {
            writeStaticString("HTTP/1.1 200 OK\r\n")
        } else {
            writeStaticString("HTTP/1.1 ")
            writeString(String(status.code))
            writeStaticString(" ")
            writeString(status.reasonPhrase)
            writeStaticString("\r\n")
        }
        if let prepared { writeImmutableBuffer(prepared) }
        writeHeaderFields(headers)
        writeStaticString("\r\n")
    }

    /// Writes `Name: value` lines.
    mutating func writeHeaderFields(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            writeString(name)
            writeStaticString(": ")
            writeString(value)
            writeStaticString("\r\n")
        }
    }
}
