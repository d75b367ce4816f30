// Why the host could not set up an application.

/// Why the host could not set up an application.
public struct HostError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }

    /// A service built in code whose settings belong to another kind.
    static func settings(of service: ServiceConfiguration) -> HostError {
        HostError("\(service.name): the settings given are not those of a \(service.kind) service")
    }
}
