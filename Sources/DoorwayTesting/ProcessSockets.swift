// Probing a process's sockets: whether it holds a listening or bound socket on a port.

import DoorwayBasics
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The sockets a process holds, seen from outside: which ports it listens on or has bound.
///
/// It asks each of the process's sockets for its address through `pidfd_getfd`, and where that is not
/// allowed it reads the sockets' table from `/proc`.
struct ProcessSockets {
    let pid: pid_t

    /// Whether the process holds a socket on `port`: a listening one when `stream`, else a bound datagram
    /// socket.
    func holds(port: UInt16, stream: Bool) -> Bool {
        let sockets = socketDescriptors(of: pid)
        if sockets.isEmpty { return false }
        if let answer = askSockets(of: pid, descriptors: sockets.map(\.descriptor), port: port, stream: stream) {
            return answer
        }
        let inodes = Set(sockets.map(\.inode))
        let tables = stream ? ["tcp", "tcp6"] : ["udp", "udp6"]
        return tables.contains { table in
            boundPorts(in: "/proc/\(pid)/net/\(table)", listeningOnly: stream, inodes: inodes).contains(port)
        }
    }
}

/// The process's open descriptors that are sockets, with their inodes (from links such as `socket:[12345]`).
private func socketDescriptors(of pid: pid_t) -> [(descriptor: Int32, inode: Substring)] {
    let folder = "/proc/\(pid)/fd"
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return entries.compactMap { entry in
        guard let descriptor = Int32(entry),
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(entry)"),
            target.hasPrefix("socket:[")
        else { return nil }
        return (descriptor, target.dropFirst("socket:[".count).dropLast())
    }
}

/// Asks the process's sockets themselves, through copies of its descriptors (`pidfd_getfd`): exact, and
/// cheap however many sockets the machine has. `nil` when the kernel does not allow it here.
private func askSockets(of pid: pid_t, descriptors: [Int32], port: UInt16, stream: Bool) -> Bool? {
    let process = pidfdOpen(pid, 0)
    guard process >= 0 else { return nil }
    defer { close(process) }
    var copied = 0
    for descriptor in descriptors {
        let copy = pidfdGetfd(process, descriptor, 0)
        guard copy >= 0 else { continue }
        defer { close(copy) }
        copied += 1
        if socketMatches(copy, port: port, stream: stream) { return true }
    }
    return copied == 0 ? nil : false
}

private func socketMatches(_ socket: Int32, port: UInt16, stream: Bool) -> Bool {
    func option(_ name: Int32) -> Int32? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(socket, SOL_SOCKET, name, &value, &length) == 0 ? value : nil
    }
    guard let domain = option(SO_DOMAIN), domain == AF_INET || domain == AF_INET6,
        let type = option(SO_TYPE)
    else { return false }
    if stream {
        guard type == Int32(SOCK_STREAM.rawValue), option(SO_ACCEPTCONN) == 1 else { return false }
    } else {
        guard type == Int32(SOCK_DGRAM.rawValue) else { return false }
    }
    var address = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
    }
    guard named == 0 else { return false }
    // sin_port and sin6_port sit at the same offset, in network byte order.
    let bound = withUnsafeBytes(of: &address) { UInt16(bigEndian: $0.load(fromByteOffset: 2, as: UInt16.self)) }
    return bound == port
}

/// The local ports of the sockets in a `/proc/net/tcp`-style table that are among `inodes` (and, if asked,
/// in LISTEN state).
///
/// The table is read in one call with a large buffer: read in small pieces, the kernel resumes each piece
/// at an offset, and while other processes open and close sockets it can skip entries.
private func boundPorts(in table: String, listeningOnly: Bool, inodes: Set<Substring>) -> Set<UInt16> {
    guard !inodes.isEmpty, let text = readWhole(table) else { return [] }
    var ports = Set<UInt16>()
    for line in text.split(separator: "\n").dropFirst() {
        // sl, local address, remote address, state, queues, timer, retransmits, uid, timeout, inode, …
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 9, inodes.contains(fields[9]), let colon = fields[1].lastIndex(of: ":") else { continue }
        if listeningOnly, fields[3] != "0A" { continue }
        if let port = UInt16(fields[1][fields[1].index(after: colon)...], radix: 16) { ports.insert(port) }
    }
    return ports
}

private func readWhole(_ path: String) -> String? {
    let file = open(path, O_RDONLY | O_CLOEXEC)
    guard file >= 0 else { return nil }
    defer { close(file) }
    guard let bytes = try? FileDescriptor(file).readToEnd(chunkSize: 4 << 20) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
}

@_silgen_name("pidfd_open")
private func pidfdOpen(_ pid: pid_t, _ flags: UInt32) -> Int32

@_silgen_name("pidfd_getfd")
private func pidfdGetfd(_ pidfd: Int32, _ descriptor: Int32, _ flags: UInt32) -> Int32
