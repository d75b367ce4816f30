// Errors from binding, connecting and exchanging messages, in words a user can act on.

import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A socket operation that failed: binding, connecting, resolving a name, or a connection that ended badly.
public struct SocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure; new kinds may be added.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        public static let addressInUse = Kind(name: "address in use")
        public static let permissionDenied = Kind(name: "permission denied")
        public static let addressNotAvailable = Kind(name: "address not available")
        public static let connectionRefused = Kind(name: "connection refused")
        public static let timedOut = Kind(name: "timed out")
        public static let unreachable = Kind(name: "unreachable")
        public static let nameNotResolved = Kind(name: "name not resolved")
        public static let unsupported = Kind(name: "unsupported")
        public static let closed = Kind(name: "closed")
        public static let other = Kind(name: "other")
    }

    public var kind: Kind
    /// The endpoint the operation was about, if any.
    public var endpoint: Endpoint?
    /// A sentence that names the input and the fix.
    public var reason: String

    public init(_ kind: Kind, endpoint: Endpoint? = nil, reason: String) {
        self.kind = kind
        self.endpoint = endpoint
        self.reason = reason
    }

    public var description: String { reason }

    public static let closed = SocketError(.closed, reason: "the connection is closed")

    /// Translates an error from binding `endpoint` into one the user can act on.
    static func binding(_ endpoint: Endpoint, transport: Transport, _ error: any Error) -> SocketError {
        if let error = error as? SocketError { return error }
        let privileged = if case .host(_, let port) = endpoint { port.isPrivileged } else { false }
        let (kind, problem): (Kind, String) =
            switch errnoCode(of: error) {
            case EADDRINUSE:
                (.addressInUse, "the address is already in use; stop the other process or choose another port")
            case EACCES where privileged, EPERM where privileged:
                (.permissionDenied, "ports below 1024 need root; run as root or choose a port from 1024 up")
            case EACCES, EPERM:
                (.permissionDenied, "permission denied")
            case EADDRNOTAVAIL:
                (.addressNotAvailable, "that address is not on this host; use one of its addresses or :PORT for all")
            default:
                (.other, "\(error)")
            }
        return SocketError(kind, endpoint: endpoint, reason: "cannot listen on \(endpoint) (\(transport)): \(problem)")
    }

    /// Translates an error from connecting to `endpoint` into one the user can act on.
    static func connecting(_ endpoint: Endpoint, timeout: Duration, _ error: any Error) -> SocketError {
        if let error = error as? SocketError { return error }
        // Names are resolved before NIO connects (see `ResolvedAddresses`), so NIO reports only connection errors.
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return connecting(endpoint, timeout: timeout, first.error)
        }
        if case ChannelError.connectTimeout = error {
            return SocketError(
                .timedOut, endpoint: endpoint,
                reason:
                    "no answer from \(endpoint) within \(timeout); check the address, or allow longer with a connect timeout"
            )
        }
        switch errnoCode(of: error) {
        case ECONNREFUSED:
            return SocketError(
                .connectionRefused, endpoint: endpoint,
                reason:
                    "connection refused by \(endpoint): nothing is listening there; start the server or check the port")
        case ENETUNREACH, EHOSTUNREACH:
            return SocketError(
                .unreachable, endpoint: endpoint,
                reason: "cannot reach \(endpoint): no route to that host; check the address and the network")
        case ETIMEDOUT:
            return SocketError(.timedOut, endpoint: endpoint, reason: "connecting to \(endpoint) timed out")
        case ENOENT:
            return SocketError(
                .connectionRefused, endpoint: endpoint,
                reason: "no socket at \(endpoint): nothing is listening there; start the server or check the path")
        default:
            return SocketError(.other, endpoint: endpoint, reason: "cannot connect to \(endpoint): \(error)")
        }
    }

    private static func errnoCode(of error: any Error) -> Int32? {
        if let error = error as? IOError { return error.errnoCode }
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return errnoCode(of: first.error)
        }
        return nil
    }
}
