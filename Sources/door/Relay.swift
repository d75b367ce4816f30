// Relaying between standard input/output and a connection or datagram socket, as netcat does.

import Doorway
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

enum Relay {
    /// The parts of a datagram relay, to tell which one finished.
    private enum Part: Sendable { case input, idle, inbound }

    /// Standard input goes to the connection (its end half-closes the connection, like `nc -N`); what
    /// arrives goes to standard output. Returns when the peer has closed its side.
    static func run(_ connection: Connection, input: StandardInput.Chunks) async throws {
        let framed = connection.framing != .raw
        try await connection.exchange { inbound, outbound in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // A failed write means the connection is gone; the inbound side reports why.
                    do {
                        for try await chunk in input { try await outbound.write(chunk) }
                    } catch is CancellationError {
                        return
                    } catch let error as StandardStreamError {
                        printError("door: \(error)")
                    } catch {}
                    outbound.finish()
                }
                for try await message in inbound {
                    try StandardOutput.write(message, newline: framed)
                }
                group.cancelAll()
            }
        }
    }

    /// Datagrams: each chunk of standard input is one datagram to `peer` (or, when listening, to whoever sent
    /// last); each datagram received is written out. Ends after `idleTimeout` without traffic, if given.
    static func run(
        _ socket: DatagramSocket, peer initialPeer: SocketAddress?, input: StandardInput.Chunks,
        idleTimeout: Duration?, verbose: Bool
    ) async throws {
        let peer = NIOLockedValueBox<SocketAddress?>(initialPeer)
        let lastActivity = NIOLockedValueBox(NIODeadline.now())
        try await socket.exchange { inbound, outbound in
            try await withThrowingTaskGroup(of: Part.self) { group in
                group.addTask {
                    for try await chunk in input {
                        var target = peer.withLockedValue { $0 }
                        while target == nil {
                            try await Task.sleep(for: .milliseconds(20))
                            target = peer.withLockedValue { $0 }
                        }
                        try await outbound.write(AddressedEnvelope(remoteAddress: target!, data: chunk))
                        lastActivity.withLockedValue { $0 = .now() }
                    }
                    return .input
                }
                if let idleTimeout {
                    group.addTask {
                        let limit = TimeAmount(idleTimeout)
                        while true {
                            try await Task.sleep(for: .milliseconds(50))
                            if NIODeadline.now() - lastActivity.withLockedValue({ $0 }) > limit { return .idle }
                        }
                    }
                }
                group.addTask {
                    for try await datagram in inbound {
                        if initialPeer != nil, datagram.remoteAddress != initialPeer { continue }
                        if initialPeer == nil {
                            let previous = peer.withLockedValue { current in
                                defer { current = datagram.remoteAddress }
                                return current
                            }
                            if verbose, previous != datagram.remoteAddress {
                                printError("door: datagram from \(Endpoint(datagram.remoteAddress))")
                            }
                        }
                        lastActivity.withLockedValue { $0 = .now() }
                        try StandardOutput.write(datagram.data)
                    }
                    return .inbound
                }
                // The end of standard input ends nothing by itself (answers may still come, as with nc -u):
                // the idle timeout, or the socket closing, does.
                while let part = try await group.next(), part == .input {}
                group.cancelAll()
            }
        }
    }
}
