// One whole HTTP response in memory: what a small endpoint (the admin dashboard, a tracker) answers with.

import NIOHTTP1

/// A status, header fields and a whole body, for resources small enough to build in memory.
///
/// ```swift
/// HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: Array("hello\n".utf8))
/// ```
///
/// ``HTTPResponder`` adds `Content-Length` and `Connection` when it writes one.
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
