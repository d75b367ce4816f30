// The keys a configuration file may use: where each belongs, what it means, and an example value.

/// One key of the configuration file, with the words `rendered()` and the errors use for it.
struct ConfigurationKey: Sendable {
    /// The key as written in the file.
    var name: String
    /// What it means and its default, for the comment above it.
    var help: String
    /// A value to suggest in a fix, as TOML.
    var example: String

    init(_ name: String, _ help: String, example: String) {
        self.name = name
        self.help = help
        self.example = example
    }

    /// The top-level keys.
    static let topLevel = [
        ConfigurationKey(
            "data", "The folder relative paths are resolved in (default \"\(HostConfiguration.defaultDataFolder)\").",
            example: "\"door-data\""),
        ConfigurationKey("admin", "The administration interface.", example: "{ listen = \"127.0.0.1:8099\" }"),
        ConfigurationKey("service", "One [[service]] table per service.", example: "[{ kind = \"web\" }]"),
    ]

    /// The keys of `[admin]`.
    static let admin = [
        ConfigurationKey(
            "listen", "Where the administration interface listens (default \"\(AdminConfiguration.defaultListen)\").",
            example: "\"127.0.0.1:8099\""),
        ConfigurationKey(
            "token", "The bearer token every request must carry (default: none required).",
            example: "\"a-long-secret\""),
    ]

    /// The keys every `[[service]]` may have.
    static let common = [
        ConfigurationKey(
            "kind", "Which application runs: \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", ")).",
            example: "\"web\""),
        ConfigurationKey("name", "A name unique among the services (default: the kind).", example: "\"web\""),
        ConfigurationKey(
            "listen",
            "Where it listens: \"HOST:PORT\", \":PORT\" (all interfaces), \"[IPv6]:PORT\" or \"unix:PATH\"; "
                + "a string or an array.",
            example: "[\":8080\"]"),
        ConfigurationKey(
            "transport", "\"tcp\", \"udp\" or \"unix\", or an array of them; unix: endpoints imply unix.",
            example: "\"tcp\""),
        ConfigurationKey(
            "max-connections",
            "The most connections served at once (default: unlimited; web "
                + "\(ServiceKind.web.defaultMaximumConnections.map(String.init) ?? "unlimited")).",
            example: "4096"),
    ]

    /// The transport parameters every `[[service]]` may have; all optional.
    static let parameters = [
        ConfigurationKey("send-buffer", "SO_SNDBUF in bytes.", example: "65536"),
        ConfigurationKey("receive-buffer", "SO_RCVBUF in bytes.", example: "65536"),
        ConfigurationKey("mss", "TCP_MAXSEG in bytes, 88–32767 (TCP only).", example: "1400"),
        ConfigurationKey("no-delay", "TCP_NODELAY (TCP only).", example: "true"),
        ConfigurationKey("keepalive", "TCP keepalive probes (TCP only).", example: "true"),
        ConfigurationKey("keepalive-idle", "Seconds idle before the first probe (default 60).", example: "60"),
        ConfigurationKey("keepalive-interval", "Seconds between probes (default 10).", example: "10"),
        ConfigurationKey("keepalive-count", "Probes before giving up (default 5).", example: "5"),
        ConfigurationKey("reuse-address", "SO_REUSEADDR (default true).", example: "true"),
        ConfigurationKey("backlog", "Connections waiting to be accepted, 1–65535 (streams only).", example: "256"),
        ConfigurationKey("idle-timeout", "Seconds without traffic before a connection is closed.", example: "300"),
        ConfigurationKey(
            "linger-timeout", "Seconds a closing connection waits for its last bytes (streams only).", example: "30"),
    ]

    /// The keys only one kind, or a few kinds, of service have.
    static func settings(of kind: ServiceKind) -> [ConfigurationKey] {
        kind.definition.keys
    }

    /// Every key a `[[service]]` of `kind` may have.
    static func service(_ kind: ServiceKind) -> [ConfigurationKey] {
        common + parameters + settings(of: kind)
    }

    /// The key named `name` among `keys`.
    static func named(_ name: String, in keys: [ConfigurationKey]) -> ConfigurationKey? {
        keys.first { $0.name == name }
    }

    /// The known key closest in spelling to `name`, if one is close enough to be a likely typo.
    static func closest(to name: String, in keys: [String]) -> String? {
        let scored = keys.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
        guard let (key, distance) = scored, distance <= max(2, name.count / 3) else { return nil }
        return key
    }

    /// The Levenshtein distance between two strings.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(
                    previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
