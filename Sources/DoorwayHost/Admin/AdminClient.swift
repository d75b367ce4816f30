// Asks a running host's admin endpoint what it runs, as `door status` does.

import Doorway
import DoorwayHTTP
import Foundation
import NIOCore
import NIOHTTP1

/// A client of the admin endpoint's JSON API.
///
/// ```swift
/// let services = try await AdminClient(admin: try Endpoint(parsing: "127.0.0.1:8099")).services()
/// ```
public struct AdminClient: Sendable {
    public var admin: Endpoint
    public var token: String?

    public init(admin: Endpoint, token: String? = nil) {
        self.admin = admin
        self.token = token
    }

    /// The host's services, as `GET /_door/api/services` gives them.
    public func services() async throws -> [ServiceStatus] {
        try await get("/_door/api/services")
    }

    /// The host's torrents, as `GET /_door/api/torrents` gives them.
    public func torrents() async throws -> [TorrentStatus] {
        try await get("/_door/api/torrents")
    }

    /// The raw JSON of an API path, such as `/_door/api/services`.
    public func json(_ path: String) async throws -> [UInt8] {
        var headers = HTTPHeaders()
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        let client = HTTPClient(timeout: .seconds(10))
        let response: HTTPClient.Response
        do {
            response = try await client.get("http://\(admin)\(path)", headers: headers)
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
        guard response.status == .ok else {
            let hint = response.status == .unauthorized ? "; pass the admin token with --token" : ""
            throw HostError(
                "the admin endpoint \(admin) answered \(response.status.code) \(response.status.reasonPhrase) for \(path)\(hint)"
            )
        }
        return Array(response.body.readableBytesView)
    }

    private func get<Value: Decodable>(_ path: String) async throws -> Value {
        let bytes = try await json(path)
        do {
            return try JSONDecoder().decode(Value.self, from: Data(bytes))
        } catch {
            throw HostError(
                "the admin endpoint \(admin) answered \(path) with JSON that is not a host's status: \(error)")
        }
    }
}
