// Finding two sockets that would bind the same port, before anything binds.

import Doorway

extension HostConfiguration {
    /// One socket the configuration binds, and where in the file it comes from.
    private struct Binding {
        var owner: String
        var endpoint: Endpoint
        var transport: Transport
        var line: Int?

        /// Whether both would bind the same port (or path): same transport and port, and addresses that
        /// overlap (equal, or either the wildcard). Port 0 asks the kernel for a free port and never conflicts.
        func conflicts(with other: Binding) -> Bool {
            guard transport == other.transport else { return false }
            switch (endpoint, other.endpoint) {
            case (.unix(let path), .unix(let otherPath)):
                return path == otherPath
            case (.host(let host, let port), .host(let otherHost, let otherPort)):
                guard port == otherPort, port != .any else { return false }
                return host == otherHost || Self.isWildcard(host) || Self.isWildcard(otherHost)
            default:
                return false
            }
        }

        /// `.any`, `0.0.0.0` and `::` all bind every interface (`::` takes IPv4 too on a dual-stack socket).
        private static func isWildcard(_ host: Host) -> Bool {
            switch host {
            case .any: true
            case .ipv4(let address): address == "0.0.0.0"
            case .ipv6(let address, _): address == "::"
            case .name: false
            }
        }
    }

    /// Refuses two sockets on the same port and transport with overlapping addresses, naming both.
    /// - Parameters:
    ///   - serviceLines: the line of each service's `listen` (or header), nil where it has none.
    ///   - adminLine: the line of `[admin]`'s `listen`.
    func refusePortConflicts(
        file: String, serviceLines: [Int?], adminLine: Int?
    )
        throws(ConfigurationError)
    {
        var bindings = [
            Binding(
                owner: "[admin]", endpoint: admin.listen, transport: admin.listen.transport, line: adminLine
            )
        ]
        for (index, service) in services.enumerated() {
            let line = index < serviceLines.count ? serviceLines[index] : nil
            for (endpoint, transport) in service.bindings {
                bindings.append(
                    Binding(
                        owner: "service \(TOMLText.quoted(service.name))", endpoint: endpoint,
                        transport: transport, line: line))
            }
        }
        for (index, binding) in bindings.enumerated() {
            guard let earlier = bindings[..<index].first(where: { $0.conflicts(with: binding) }) else {
                continue
            }
            let what: String
            switch binding.endpoint {
            case .unix(let path): what = "the Unix socket \(path)"
            case .host(_, let port): what = "port \(port)/\(binding.transport)"
            }
            let place = earlier.line.map { "line \($0)" } ?? "the defaults"
            let fix =
                earlier.owner == binding.owner
                ? "listen on each port once"
                : "give \(binding.owner) or \(earlier.owner) another port, or a different address for each"
            throw ConfigurationError(
                file: file, line: binding.line, section: binding.owner, key: "listen",
                message: "\(what) on \(TOMLText.quoted(binding.endpoint.description)) is already taken by "
                    + "\(earlier.owner) (\(place), \(TOMLText.quoted(earlier.endpoint.description)))",
                fix: fix)
        }
    }
}

extension Endpoint {
    /// The transport a single-transport listener (the admin interface) uses on this endpoint.
    fileprivate var transport: Transport {
        if case .unix = self { return .unix }
        return .tcp
    }
}

extension HostConfiguration {
    /// Refuses port conflicts in a configuration changed after loading, such as by a command-line option;
    /// `source` names where the change came from in the error.
    public func checkPortConflicts(source: String) throws(ConfigurationError) {
        try refusePortConflicts(file: source, serviceLines: services.map { _ in nil }, adminLine: nil)
    }
}
