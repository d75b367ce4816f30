// Turning an endpoint into the socket addresses to bind or try, through getaddrinfo.

import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Which IP version to use when a name has addresses of both.
public enum AddressFamily: Hashable, Sendable {
    case ipv4
    case ipv6

    var posixValue: Int32 {
        switch self {
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        }
    }
}

extension Endpoint {
    /// The socket addresses this endpoint stands for, in the resolver's order (IPv6 and IPv4 alike).
    ///
    /// Names go through `getaddrinfo` on NIO's thread pool, so no event loop blocks on DNS. For `.any`, the
    /// IPv6 wildcard (dual-stack on Linux) comes first and the IPv4 one second, for hosts without IPv6.
    public func socketAddresses(family: AddressFamily? = nil) async throws -> [SocketAddress] {
        switch self {
        case .unix(let path):
            return [try SocketAddress(unixDomainSocketPath: path)]
        case .host(.any, let port):
            var wildcards: [SocketAddress] = []
            if family != .ipv4 { wildcards.append(try SocketAddress(ipAddress: "::", port: Int(port.rawValue))) }
            if family != .ipv6 { wildcards.append(try SocketAddress(ipAddress: "0.0.0.0", port: Int(port.rawValue))) }
            return wildcards
        case .host(let host, let port):
            let text = host.resolvableText ?? ""
            let isLiteral: Bool
            switch host {
            case .ipv4, .ipv6: isLiteral = true
            default: isLiteral = false
            }
            let addresses: [SocketAddress]
            if isLiteral {
                addresses = try Self.getaddrinfo(text, port: port, family: family, numericOnly: true)
            } else {
                addresses = try await NIOThreadPool.singleton.runIfActive {
                    try Self.getaddrinfo(text, port: port, family: family, numericOnly: false)
                }
            }
            guard !addresses.isEmpty else {
                throw SocketError(
                    .nameNotResolved, endpoint: self,
                    reason:
                        "\(host) has no \(family == .ipv4 ? "IPv4" : "IPv6") address; drop -4/-6 or use another host")
            }
            return addresses
        }
    }

    private static func getaddrinfo(
        _ host: String, port: Port, family: AddressFamily?, numericOnly: Bool
    ) throws
        -> [SocketAddress]
    {
        var hints = addrinfo()
        hints.ai_family = family?.posixValue ?? AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_flags = numericOnly ? AI_NUMERICHOST : 0
        var result: UnsafeMutablePointer<addrinfo>?
        let status = Glibc.getaddrinfo(host, String(port.rawValue), &hints, &result)
        guard status == 0 else {
            let message = String(cString: gai_strerror(status))
            throw SocketError(
                .nameNotResolved, endpoint: try? Endpoint(host: host, port: port),
                reason: "cannot resolve \"\(host)\": \(message); check the host name")
        }
        defer { freeaddrinfo(result) }
        var addresses: [SocketAddress] = []
        var next = result
        while let info = next {
            if let address = info.pointee.ai_addr {
                switch info.pointee.ai_family {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        addresses.append(SocketAddress($0.pointee, host: host))
                    }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        addresses.append(SocketAddress($0.pointee, host: host))
                    }
                default: break
                }
            }
            next = info.pointee.ai_next
        }
        var seen = Set<SocketAddress>()
        return addresses.filter { seen.insert($0).inserted }
    }
}

/// Hands NIO's Happy Eyeballs connector addresses that were already resolved, so that `-4`/`-6` and our own
/// error messages apply while NIO still races IPv6 against IPv4 and honours the connect timeout.
struct ResolvedAddresses: Resolver, Sendable {
    let addresses: [SocketAddress]
    let eventLoop: any EventLoop

    func initiateAQuery(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        eventLoop.makeSucceededFuture(addresses.filter { $0.protocol == .inet })
    }

    func initiateAAAAQuery(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        eventLoop.makeSucceededFuture(addresses.filter { $0.protocol == .inet6 })
    }

    func cancelQueries() {}
}
