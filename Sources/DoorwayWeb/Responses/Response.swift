// A response as the Web server decided it, before its head is serialised.

import NIOCore
import NIOHTTP1

/// A response ready to write: the body as byte buffers and file ranges, Content-Length already set.
struct Response {
    enum Chunk {
        case bytes(ByteBuffer)
        /// Bytes of ``Response/file``, sent with sendfile.
        case file(Range<Int>)
    }

    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: [Chunk] = []
    var file: OpenedFile?
    /// Header lines already serialised (a cached file's), written before ``headers``.
    var preparedFields: ByteBuffer?

    /// A 400 ends the connection, as nginx does: a client that sent one malformed request may not frame the
    /// next one right either.
    var closesConnection: Bool { status == .badRequest }
}
