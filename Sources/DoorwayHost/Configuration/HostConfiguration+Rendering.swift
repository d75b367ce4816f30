// The effective configuration as commented TOML, for `door serve --print-config`.

import Doorway

extension HostConfiguration {
    /// The configuration as a TOML file, with a comment above every key saying what it means and its default.
    ///
    /// Reading the text back with ``parse(_:file:plan:)`` gives an equal configuration (so long as it has at
    /// least one service, since a file without services means the default ones).
    public func rendered() -> String {
        var lines = [
            "# door serve configuration. Every key is optional; each comment gives the key's default.",
            "# Relative paths are relative to the data folder.",
        ]
        var writer = TOMLWriter(lines: lines)
        writer.key("data", TOMLText.quoted(dataFolder), in: ConfigurationKey.topLevel)
        writer.blank()
        writer.lines.append("[admin]")
        writer.key("listen", TOMLText.quoted(admin.listen.description), in: ConfigurationKey.admin)
        writer.key("token", admin.token.map(TOMLText.quoted), in: ConfigurationKey.admin)
        for service in services {
            writer.blank()
            writer.service(service)
        }
        lines = writer.lines
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Lines of TOML, each key with its help as a comment above it.
private struct TOMLWriter {
    var lines: [String]

    mutating func blank() { lines.append("") }

    /// `key = value` under its help; commented out with the key's example when `value` is nil.
    mutating func key(_ name: String, _ value: String?, in keys: [ConfigurationKey]) {
        let known = ConfigurationKey.named(name, in: keys)
        if let help = known?.help { lines.append("# \(help)") }
        if let value {
            lines.append("\(name) = \(value)")
        } else {
            lines.append("# \(name) = \(known?.example ?? "")")
        }
    }

    mutating func service(_ service: ServiceConfiguration) {
        let keys = ConfigurationKey.service(service.kind)
        lines.append("[[service]]")
        key("kind", TOMLText.quoted(service.kind.rawValue), in: keys)
        key("name", TOMLText.quoted(service.name), in: keys)
        key("listen", TOMLText.array(service.listen.map(\.description)), in: keys)
        let transports = service.transports.map(\.rawValue)
        key(
            "transport",
            transports.count == 1 ? TOMLText.quoted(transports[0]) : TOMLText.array(transports), in: keys)
        key("max-connections", service.maximumConnections.map(String.init), in: keys)
        for (name, value) in service.kind.definition.values(of: service.settings) {
            key(name, value, in: keys)
        }
        parameters(service.parameters, keys: keys)
    }

    private mutating func parameters(_ parameters: TransportParameters, keys: [ConfigurationKey]) {
        func seconds(_ duration: Duration?) -> String? {
            duration.map { String($0.components.seconds) }
        }
        let keepAlive = parameters.keepAlive
        let values: [(String, String?)] = [
            ("send-buffer", parameters.sendBufferSize.map(String.init)),
            ("receive-buffer", parameters.receiveBufferSize.map(String.init)),
            ("mss", parameters.maximumSegmentSize.map(String.init)),
            ("no-delay", parameters.noDelay.map(String.init)),
            ("keepalive", keepAlive.map { _ in "true" }),
            ("keepalive-idle", seconds(keepAlive?.idle)),
            ("keepalive-interval", seconds(keepAlive?.interval)),
            ("keepalive-count", keepAlive.map { String($0.count) }),
            ("reuse-address", parameters.reuseAddress.map(String.init)),
            ("backlog", parameters.backlog.map(String.init)),
            ("idle-timeout", seconds(parameters.idleTimeout)),
            ("linger-timeout", seconds(parameters.lingerTimeout)),
        ]
        for (name, value) in values where value != nil {
            key(name, value, in: keys)
        }
        let unset = values.filter { $0.1 == nil }.compactMap { ConfigurationKey.named($0.0, in: keys) }
        guard !unset.isEmpty else { return }
        lines.append("# Transport parameters, all optional (unset: the system's defaults):")
        for part in stride(from: 0, to: unset.count, by: 4) {
            let group = unset[part..<min(part + 4, unset.count)]
            lines.append("# " + group.map { "\($0.name) = \($0.example)" }.joined(separator: ", "))
        }
    }
}
