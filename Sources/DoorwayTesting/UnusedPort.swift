// Picking a port for a test server that nothing else on the machine is using.

import Doorway
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A port that is free on every IPv4 and IPv6 address for both TCP and UDP right now, and that this process
/// has not handed out before.
///
/// Ports come from 20000–32767, below Linux's ephemeral range (32768–60999), so a client's own port cannot
/// take one between this call and the server binding it. Tests running in parallel get distinct ports.
///
/// ```swift
/// let port = try unusedPort()
/// let server = try Subprocess.start([door, "listen", "127.0.0.1:\(port)"])
/// ```
public func unusedPort() throws -> UInt16 {
    for _ in 0..<200 {
        let port = UInt16.random(in: 20000...32767)
        guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
        if canBind(port, stream: true), canBind(port, stream: false) { return port }
    }
    throw DoorwayTestingError("no free port found in 20000–32767 after 200 tries")
}

private let handedOut = Mutex(Set<UInt16>())

/// Whether a stream (TCP) or datagram (UDP) socket can bind `port` on the IPv6 wildcard address (which covers
/// IPv4 too), or on 0.0.0.0 where IPv6 is off.
private func canBind(_ port: UInt16, stream: Bool) -> Bool {
    #if os(Linux)
    let socketType = Int32(stream ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
    #else
    let socketType = stream ? SOCK_STREAM : SOCK_DGRAM
    #endif
    let descriptor = socket(AF_INET6, socketType, 0)
    if descriptor >= 0 {
        defer { close(descriptor) }
        var off: Int32 = 0
        setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &off, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        address.sin6_addr = in6addr_any
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0
            }
        }
    }
    let fallback = socket(AF_INET, socketType, 0)
    guard fallback >= 0 else { return false }
    defer { close(fallback) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = INADDR_ANY
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fallback, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
