// A Web server on loopback over a folder of test files, and a raw HTTP connection to talk to it byte by byte.

import Doorway
import DoorwayTesting
import DoorwayWeb
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A temporary site folder and a `WebServer` bound to 127.0.0.1 on a kernel-chosen port.
final class WebFixture: Sendable {
    let folder: TemporaryFolder
    var root: String { folder.path }
    let server: Server
    let web: WebServer
    var port: UInt16 {
        if case .host(_, let port) = server.localEndpoint { return port.rawValue }
        return 0
    }

    /// Starts a server over a fresh folder that `populate` fills first.
    init(
        configure: (inout WebServer.Configuration) -> Void = { _ in },
        populate: (String) throws -> Void = { _ in }
    ) async throws {
        folder = try TemporaryFolder("web")
        try populate(folder.path)
        var configuration = WebServer.Configuration(root: folder.path)
        configure(&configuration)
        web = try WebServer(configuration: configuration)
        server = try await web.serve(on: try Endpoint(parsing: "127.0.0.1:0"))
    }

    /// Runs `body` against a fresh site and stops it afterwards, also when `body` throws.
    static func with(
        configure: (inout WebServer.Configuration) -> Void = { _ in },
        populate: (String) throws -> Void,
        _ body: (WebFixture) async throws -> Void
    ) async throws {
        let site = try await WebFixture(configure: configure, populate: populate)
        do {
            try await body(site)
        } catch {
            await site.stop()
            throw error
        }
        await site.stop()
    }

    func stop() async {
        await server.shutdown(gracePeriod: .seconds(1))
        folder.remove()
    }

    func connect() throws -> RawConnection { try RawConnection(port: port) }

    /// Sends `request` on a new connection and reads one response.
    func ask(_ request: String, head: Bool = false) async throws -> RawResponse {
        let connection = try connect()
        defer { connection.close() }
        try connection.send(request)
        return try await connection.readResponse(head: head)
    }

    /// A GET for `path` with extra header lines, on a connection that closes afterwards.
    func get(_ path: String, _ headers: String...) async throws -> RawResponse {
        try await ask(
            "GET \(path) HTTP/1.1\r\nHost: test\r\n" + headers.map { $0 + "\r\n" }.joined()
                + "Connection: close\r\n\r\n")
    }
}

func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
}

func write(_ bytes: [UInt8], to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw DoorwayTestingError("cannot create \(path)") }
    defer { close(fd) }
    guard bytes.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
        throw DoorwayTestingError("cannot write \(path)")
    }
}

func makeFolder(_ path: String) throws {
    guard mkdir(path, 0o755) == 0 else { throw DoorwayTestingError("cannot create \(path)") }
}

/// One parsed response.
struct RawResponse: CustomStringConvertible {
    var statusLine: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    var status: Int { Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0 }
    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    func headers(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    var description: String {
        ([statusLine] + headers.map { "\($0.name): \($0.value)" }).joined(separator: "\n")
            + "\n\n(\(body.count) body bytes)"
    }
}

/// A blocking TCP connection with a receive timeout, for sending exact bytes and reading exact responses.
///
/// Reads block, so each runs on a thread of its own: blocking Swift's cooperative pool (two threads on two
/// cores) would starve every other test in the process. One task uses a connection at a time.
final class RawConnection: @unchecked Sendable {
    private let fd: CInt
    private var pending: [UInt8] = []

    init(port: UInt16, receiveTimeout: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DoorwayTestingError("socket failed") }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw DoorwayTestingError("cannot connect to 127.0.0.1:\(port)")
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw DoorwayTestingError("send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Sends `bytes` over and over without blocking until the kernel takes no more or `limit` bytes have
    /// gone; returns how many went.
    func flood(with bytes: [UInt8], limit: Int) -> Int {
        var total = 0
        while total < limit {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if sent <= 0 { break }
            total += sent
        }
        return total
    }

    /// Reads more bytes; false at EOF (or a reset).
    private func fill() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            pending += buffer[0..<count]
            return true
        }
        if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
            throw DoorwayTestingError("timed out waiting for the server")
        }
        return false
    }

    /// Reads one response; `head` when it answers a HEAD request (no body whatever the headers say).
    func readResponse(head: Bool = false) async throws -> RawResponse {
        try await onOwnThread { try self.readResponseBlocking(head: head) }
    }

    /// Reads one response on the calling thread; call it from a thread of the caller's own (see ``onOwnThread``).
    func readResponseBlocking(head: Bool = false) throws -> RawResponse {
        var end: Int?
        while true {
            if let index = find([13, 10, 13, 10]) {
                end = index
                break
            }
            guard try fill() else {
                throw DoorwayTestingError(
                    "the connection closed before a whole response head: \(String(decoding: pending, as: UTF8.self))")
            }
        }
        let headText = String(decoding: pending[0..<end!], as: UTF8.self)
        pending.removeFirst(end! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let headers = lines.map { line -> (String, String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: " "))
        }
        var response = RawResponse(statusLine: statusLine, headers: headers, body: [])
        let status = response.status
        if head || status == 204 || status == 304 || (100..<200).contains(status) { return response }
        guard let length = response.header("content-length").flatMap({ Int($0) }) else {
            throw DoorwayTestingError("no Content-Length in \(response)")
        }
        while pending.count < length {
            guard try fill() else { throw DoorwayTestingError("the body was cut short: \(pending.count) of \(length)") }
        }
        response.body = Array(pending[0..<length])
        pending.removeFirst(length)
        return response
    }

    /// Waits until the server has sent something (kept for the next read).
    func awaitFirstBytes() async throws {
        guard try await onOwnThread({ try self.fill() }) else {
            throw DoorwayTestingError("the server closed without answering")
        }
    }

    /// True when the server has closed its side (EOF), after reading anything still pending.
    func isClosedByServer() async throws -> Bool {
        try await onOwnThread {
            while try self.fill() {}
            return true
        }
    }

    /// Everything until the server closes.
    func readToEnd() async throws -> [UInt8] {
        try await onOwnThread {
            while try self.fill() {}
            defer { self.pending = [] }
            return self.pending
        }
    }

    func close() { Glibc.close(fd) }

    /// Half-closes: the server sees the end of the request stream, as `nc -N` sends it.
    func finishSending() { shutdown(fd, Int32(SHUT_WR)) }

    private func find(_ needle: [UInt8]) -> Int? {
        guard pending.count >= needle.count else { return nil }
        for index in 0...(pending.count - needle.count) where pending[index] == needle[0] {
            if Array(pending[index..<index + needle.count]) == needle { return index }
        }
        return nil
    }
}

/// Runs blocking `work` on a new thread and resumes with its result.
func onOwnThread<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Swift.Result { try work() }) }
    }
}

extension String {
    fileprivate func components(separatedBy separator: String) -> [String] {
        split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
