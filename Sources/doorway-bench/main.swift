// doorway-bench: the Doorway side of Benchmarks/core.sh, built on the library's Server, Client and Connection.
//
//   doorway-bench bulk-server --listen 127.0.0.1:PORT
//   doorway-bench bulk-client --connect 127.0.0.1:PORT --seconds S
//   doorway-bench echo-server --listen 127.0.0.1:PORT
//   doorway-bench echo-client --connect 127.0.0.1:PORT --count N --size BYTES
//   doorway-bench http-floor --listen 127.0.0.1:PORT --file PATH --threads N   (for Benchmarks/web.sh)

import Doorway
import DoorwayServices
import Foundation
import NIOCore
import NIOPosix

func argument(_ name: String, default fallback: String? = nil) -> String {
    let arguments = CommandLine.arguments
    if let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count { return arguments[index + 1] }
    guard let fallback else {
        FileHandle.standardError.write("doorway-bench: --\(name) is required\n".data(using: .utf8)!)
        exit(2)
    }
    return fallback
}

/// Receives through the async `Connection` API and drops what arrives.
func bulkServer() async throws {
    let server = try await Server.bind(try Endpoint(parsing: argument("listen")), framing: .raw)
    await withDiscardingTaskGroup { group in
        for await connection in server.connections {
            group.addTask {
                try? await connection.exchange { inbound, _ in
                    for try await _ in inbound {}
                }
            }
        }
    }
}

/// The echo service as `door` runs it: handlers on the event loop (framing, then echo), no task per message.
func echoServer() async throws {
    let framing = Framing.lengthPrefixed()
    let echo = SimpleService.echo.initializer(transport: .tcp)
    let server = try await Server.bind(
        try Endpoint(parsing: argument("listen")), parameters: TransportParameters(noDelay: true)
    ) { channel in
        channel.eventLoop.makeCompletedFuture { try framing.addHandlers(to: channel.pipeline.syncOperations) }
            .flatMap { echo(channel) }
    }
    await server.closed()
}

func bulkClient() async throws {
    let seconds = Double(argument("seconds", default: "5"))!
    let connection = try await Client().connect(to: try Endpoint(parsing: argument("connect")))
    let block = ByteBuffer(repeating: 0, count: 1 << 20)
    let clock = ContinuousClock()
    let start = clock.now
    let limit = start + .milliseconds(Int64(seconds * 1000))
    var bytes = 0
    try await connection.exchange { _, outbound in
        while clock.now < limit {
            try await outbound.write(block)
            bytes += block.readableBytes
        }
    }
    let elapsed = clock.now - start
    let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(bytes) * 8 / elapsedSeconds / 1e9
    print(String(format: "{\"bytes\":%d,\"seconds\":%.3f,\"gbits_per_second\":%.2f}", bytes, elapsedSeconds, rate))
}

func echoClient() async throws {
    let count = Int(argument("count", default: "20000"))!
    let size = Int(argument("size", default: "64"))!
    let connection = try await Client(parameters: TransportParameters(noDelay: true))
        .connect(to: try Endpoint(parsing: argument("connect")), framing: .lengthPrefixed())
    let message = ByteBuffer(repeating: 0x61, count: size)
    let clock = ContinuousClock()
    var samples: [Double] = []
    samples.reserveCapacity(count)
    try await connection.exchange { inbound, outbound in
        var replies = inbound.makeAsyncIterator()
        for round in 0..<(count + 1000) {
            let start = clock.now
            try await outbound.write(message)
            guard let reply = try await replies.next(), reply.readableBytes == size else {
                throw SocketError(.other, reason: "echo reply missing or wrong size")
            }
            let elapsed = clock.now - start
            if round >= 1000 {
                samples.append(Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
            }
        }
        outbound.finish()
    }
    samples.sort()
    let p50 = samples[samples.count / 2]
    let p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
    let mean = samples.reduce(0, +) / Double(samples.count)
    print(String(format: "{\"count\":%d,\"p50_us\":%.1f,\"p99_us\":%.1f,\"mean_us\":%.1f}", count, p50, p99, mean))
}

// Run Swift Concurrency's jobs on NIO's event loops, so that an async client resumes on an event loop thread
// instead of hopping to the cooperative pool and back for every message.
// A client with one connection needs one event loop: its task then resumes on the channel's own thread.
if ProcessInfo.processInfo.environment["DOORWAY_BENCH_COOPERATIVE_POOL"] == nil {
    if CommandLine.arguments.dropFirst().first?.hasSuffix("-client") == true {
        NIOSingletons.groupLoopCountSuggestion = 1
    }
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

let command = CommandLine.arguments.dropFirst().first ?? ""
do {
    switch command {
    case "bulk-server": try await bulkServer()
    case "bulk-client": try await bulkClient()
    case "echo-server": try await echoServer()
    case "echo-client": try await echoClient()
    case "http-floor": try await httpFloor()
    default:
        FileHandle.standardError.write(
            "usage: doorway-bench bulk-server|bulk-client|echo-server|echo-client|http-floor ...\n".data(using: .utf8)!)
        exit(2)
    }
} catch {
    FileHandle.standardError.write("doorway-bench: \(error)\n".data(using: .utf8)!)
    exit(1)
}
