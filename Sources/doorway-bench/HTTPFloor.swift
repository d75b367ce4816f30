// The floor under `door web serve`: the least a SwiftNIO HTTP/1.1 server can do per request here.
//
// NIO's own server pipeline and one handler that opens, fstats and closes the file (the system calls nginx
// makes) and answers with the file's bytes from memory. Benchmarks/web.sh measures it beside door and
// nginx, to show how much of the gap to nginx is NIO's and how much is door's.

import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

private final class FloorResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let path: String
    let body: ByteBuffer

    init(path: String, body: ByteBuffer) {
        self.path = path
        self.body = body
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        var status = stat()
        fstat(fd, &status)
        close(fd)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Content-Type", value: "application/octet-stream")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

/// `doorway-bench http-floor --listen 127.0.0.1:PORT --file PATH --threads N`
func httpFloor() async throws {
    let path = argument("file")
    let fd = open(path, O_RDONLY)
    var bytes = [UInt8](repeating: 0, count: 1 << 20)
    let count = read(fd, &bytes, bytes.count)
    close(fd)
    let body = ByteBuffer(bytes: bytes[0..<max(count, 0)])
    let group = MultiThreadedEventLoopGroup(numberOfThreads: Int(argument("threads", default: "2"))!)
    let listen = argument("listen").split(separator: ":")
    let channel = try await ServerBootstrap(group: group)
        .serverChannelOption(.backlog, value: 1024)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: false)
                try channel.pipeline.syncOperations.addHandler(FloorResponder(path: path, body: body))
            }
        }
        .bind(host: String(listen[0]), port: Int(listen[1])!).get()
    try await channel.closeFuture.get()
}
