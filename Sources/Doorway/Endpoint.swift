// Where a process is reached: a host and a port, or a Unix socket path.

import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The address of one end of a conversation: an IP host and a port, or a Unix socket path.
///
/// Endpoints parse and print the forms people type:
///
/// ```swift
/// let web = try Endpoint(parsing: "127.0.0.1:8080")
/// let mail = try Endpoint(parsing: "[::1]:smtp")      // [::1]:25
/// let everywhere = try Endpoint(parsing: ":8080")     // all interfaces
/// let local = try Endpoint(parsing: "unix:/run/door.sock")
/// print(mail)                                         // "[::1]:25"
/// ```
public enum Endpoint: Hashable, Sendable {
    /// An IP host (or name to resolve) and a port.
    case host(Host, port: Port)
    /// A Unix domain socket at a path in the file system.
    case unix(path: String)

    /// The longest Unix socket path Linux accepts (`sun_path` holds 108 bytes with the terminating NUL).
    public static let maximumUnixPathLength = 107

    /// An endpoint from a host as text and a port.
    public init(host: String, port: Port) throws {
        self = .host(try Host(parsing: host), port: port)
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT`, `:PORT` (all interfaces) or `unix:PATH`.
    ///
    /// The port may be a number or a service name from the registry (`localhost:smtp`).
    /// - Parameters:
    ///   - text: the endpoint as written, such as `127.0.0.1:7`, `[::1]:8080`, `:7` or `unix:/tmp/door.sock`.
    ///   - transport: which registry entry a service name is looked up for.
    /// - Throws: ``AddressError`` naming the input and the fix.
    public init(parsing text: String, transport: Transport = .tcp) throws {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard !path.isEmpty else {
                throw AddressError(input: text, reason: "the Unix socket path is empty; write unix:/path/to/socket")
            }
            guard path.utf8.count <= Self.maximumUnixPathLength else {
                throw AddressError(
                    input: text,
                    reason: "a Unix socket path may be at most \(Self.maximumUnixPathLength) bytes; use a shorter path"
                )
            }
            self = .unix(path: path)
            return
        }
        let hostText: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw AddressError(input: text, reason: "missing \"]\" after the IPv6 address; write [::1]:25")
            }
            hostText = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else {
                throw AddressError(
                    input: text,
                    reason: rest.isEmpty
                        ? "missing port after the IPv6 address; write [::1]:25"
                        : "unexpected \"\(rest)\" after \"]\"; write [ADDRESS]:PORT"
                )
            }
            portText = rest.dropFirst()
            guard hostText.contains(":") else {
                throw AddressError(
                    input: text, reason: "brackets are for IPv6 addresses; write \(hostText):\(portText)")
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw AddressError(
                    input: text,
                    reason: "expected HOST:PORT, [IPv6]:PORT, :PORT or unix:PATH (for example 127.0.0.1:8080)"
                )
            }
            hostText = text[..<colon]
            portText = text[text.index(after: colon)...]
            if hostText.contains(":") {
                throw AddressError(input: text, reason: "an IPv6 address goes in brackets: [\(hostText)]:\(portText)")
            }
        }
        guard !portText.isEmpty else {
            throw AddressError(input: text, reason: "missing port after \":\"; give a number 0–65535 or a service name")
        }
        let port: Port
        do {
            port = try Port(parsing: String(portText), transport: transport)
        } catch let error as AddressError {
            throw AddressError(input: text, reason: error.reason)
        }
        do {
            self = .host(try Host(parsing: String(hostText)), port: port)
        } catch let error as AddressError {
            throw AddressError(input: text, reason: error.reason)
        }
    }

    /// The endpoint of a socket address as NIO reports it.
    public init(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            self = .host(.ipv4(address.ipAddress ?? v4.host), port: Port(UInt16(address.port ?? 0)))
        case .v6:
            self = .host(.ipv6(address.ipAddress ?? "::", zone: nil), port: Port(UInt16(address.port ?? 0)))
        case .unixDomainSocket:
            self = .unix(path: address.pathname ?? "")
        }
    }

    /// The host, for an IP endpoint.
    public var host: Host? {
        if case .host(let host, _) = self { return host }
        return nil
    }

    /// The port, for an IP endpoint.
    public var port: Port? {
        if case .host(_, let port) = self { return port }
        return nil
    }
}

extension Endpoint: CustomStringConvertible, LosslessStringConvertible {
    public init?(_ description: String) {
        guard let endpoint = try? Endpoint(parsing: description) else { return nil }
        self = endpoint
    }

    public var description: String {
        switch self {
        case .host(let host, let port):
            switch host {
            case .ipv6: return "[\(host)]:\(port)"
            default: return "\(host):\(port)"
            }
        case .unix(let path):
            return "unix:\(path)"
        }
    }
}

/// The host part of an IP endpoint.
public enum Host: Hashable, Sendable, CustomStringConvertible {
    /// Every local interface (bind to the wildcard address).
    case any
    /// An IPv4 address in dotted-quad form.
    case ipv4(String)
    /// An IPv6 address in canonical form, with an optional zone (interface) for link-local addresses.
    case ipv6(String, zone: String?)
    /// A DNS name, resolved when a socket is bound or connected.
    case name(String)

    /// Parses an IPv4 or IPv6 address (without brackets), a DNS name, or `""`/`"*"` for all interfaces.
    public init(parsing text: String) throws {
        if text.isEmpty || text == "*" {
            self = .any
            return
        }
        if let canonical = Self.canonical(text, family: AF_INET) {
            self = .ipv4(canonical)
            return
        }
        if text.contains(":") {
            var address = Substring(text)
            var zone: String?
            if let percent = text.firstIndex(of: "%") {
                address = text[..<percent]
                let zoneText = text[text.index(after: percent)...]
                guard !zoneText.isEmpty,
                    zoneText.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) })
                else {
                    throw AddressError(
                        input: text, reason: "the IPv6 zone after \"%\" must be an interface name such as eth0")
                }
                zone = String(zoneText)
            }
            guard let canonical = Self.canonical(String(address), family: AF_INET6) else {
                throw AddressError(input: text, reason: "not a valid IPv6 address")
            }
            self = .ipv6(canonical, zone: zone)
            return
        }
        if text.allSatisfy({ $0 == "." || ($0.isASCII && $0.isNumber) }) {
            throw AddressError(input: text, reason: "not a valid IPv4 address (four numbers 0–255, such as 192.0.2.1)")
        }
        guard Self.isValidName(text) else {
            throw AddressError(
                input: text,
                reason: "not a valid host name (letters, digits, \"-\" and \".\", labels up to 63 characters)"
            )
        }
        self = .name(text)
    }

    public var description: String {
        switch self {
        case .any: return ""
        case .ipv4(let address): return address
        case .ipv6(let address, let zone): return zone.map { "\(address)%\($0)" } ?? address
        case .name(let name): return name
        }
    }

    /// The text to hand to the resolver (`getaddrinfo`), or nil for the wildcard address.
    var resolvableText: String? {
        switch self {
        case .any: return nil
        default: return description
        }
    }

    private static func canonical(_ text: String, family: Int32) -> String? {
        var storage = [UInt8](repeating: 0, count: 16)
        guard inet_pton(family, text, &storage) == 1 else { return nil }
        var output = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, storage, &output, socklen_t(output.count)) != nil else { return nil }
        return String(decoding: output.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func isValidName(_ text: String) -> Bool {
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
