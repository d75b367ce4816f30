// Where the host's administration interface listens, and who may use it.

import Doorway

/// The administration interface of `door serve`, from the `[admin]` table.
public struct AdminConfiguration: Sendable, Hashable {
    /// The default address: loopback only, port 8099.
    public static let defaultListen: Endpoint = .host(.ipv4("127.0.0.1"), port: 8099)

    /// Where the interface listens (`listen`), 127.0.0.1:8099 by default.
    public var listen: Endpoint
    /// The bearer token requests must carry (`token`); none required when unset.
    public var token: String?

    public init(listen: Endpoint = AdminConfiguration.defaultListen, token: String? = nil) {
        self.listen = listen
        self.token = token
    }
}
