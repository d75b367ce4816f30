// The keys a configuration file may use: where each belongs, what it means, and an example value.

/// One key of the configuration file, with the words `rendered()` and the errors use for it.
struct ConfigurationKey: Sendable {
    /// The key as written in the file.
    var name: String
    /// What it means and its default, for the comment above it.
    var help: String
    /// A value to suggest in a fix, as TOML.
    var example: String

    /// The top-level keys.
    static let topLevel: [ConfigurationKey] = [
        ConfigurationKey(
            name: "data", help: "The folder relative paths are resolved in (default \"door-data\").",
            example: "\"door-data\""),
        ConfigurationKey(
            name: "admin", help: "The administration interface.",
            example: "{ listen = \"127.0.0.1:8099\" }"),
        ConfigurationKey(
            name: "service", help: "One [[service]] table per service.", example: "[{ kind = \"web\" }]"),
    ]

    /// The keys of `[admin]`.
    static let admin: [ConfigurationKey] = [
        ConfigurationKey(
            name: "listen",
            help: "Where the administration interface listens (default \"127.0.0.1:8099\").",
            example: "\"127.0.0.1:8099\""),
        ConfigurationKey(
            name: "token", help: "The bearer token every request must carry (default: none required).",
            example: "\"a-long-secret\""),
    ]

    /// The keys every `[[service]]` may have.
    static let common: [ConfigurationKey] = [
        ConfigurationKey(
            name: "kind",
            help:
                "Which application runs: \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", ")).",
            example: "\"web\""),
        ConfigurationKey(
            name: "name", help: "A name unique among the services (default: the kind).",
            example: "\"web\""),
        ConfigurationKey(
            name: "listen",
            help:
                "Where it listens: \"HOST:PORT\", \":PORT\" (all interfaces), \"[IPv6]:PORT\" or \"unix:PATH\"; "
                + "a string or an array.",
            example: "[\":8080\"]"),
        ConfigurationKey(
            name: "transport",
            help: "\"tcp\", \"udp\" or \"unix\", or an array of them; unix: endpoints imply unix.",
            example: "\"tcp\""),
        ConfigurationKey(
            name: "max-connections",
            help: "The most connections served at once (default: unlimited; web 4096).",
            example: "4096"),
    ]

    /// The transport parameters every `[[service]]` may have; all optional.
    static let parameters: [ConfigurationKey] = [
        ConfigurationKey(name: "send-buffer", help: "SO_SNDBUF in bytes.", example: "65536"),
        ConfigurationKey(name: "receive-buffer", help: "SO_RCVBUF in bytes.", example: "65536"),
        ConfigurationKey(
            name: "mss", help: "TCP_MAXSEG in bytes, 88–32767 (TCP only).", example: "1400"),
        ConfigurationKey(name: "no-delay", help: "TCP_NODELAY (TCP only).", example: "true"),
        ConfigurationKey(name: "keepalive", help: "TCP keepalive probes (TCP only).", example: "true"),
        ConfigurationKey(
            name: "keepalive-idle", help: "Seconds idle before the first probe (default 60).",
            example: "60"),
        ConfigurationKey(
            name: "keepalive-interval", help: "Seconds between probes (default 10).", example: "10"),
        ConfigurationKey(
            name: "keepalive-count", help: "Probes before giving up (default 5).", example: "5"),
        ConfigurationKey(name: "reuse-address", help: "SO_REUSEADDR (default true).", example: "true"),
        ConfigurationKey(
            name: "backlog", help: "Connections waiting to be accepted, 1–65535 (streams only).",
            example: "256"),
        ConfigurationKey(
            name: "idle-timeout", help: "Seconds without traffic before a connection is closed.",
            example: "300"),
        ConfigurationKey(
            name: "linger-timeout",
            help: "Seconds a closing connection waits for its last bytes (streams only).", example: "30"),
    ]

    /// The keys only one kind, or a few kinds, of service have.
    static func settings(of kind: ServiceKind) -> [ConfigurationKey] {
        switch kind {
        case .web:
            return [
                ConfigurationKey(
                    name: "root", help: "The folder served (default \"public\").", example: "\"public\""),
                ConfigurationKey(
                    name: "list-folders", help: "List a folder that has no index page (default false).",
                    example: "true"),
                ConfigurationKey(
                    name: "hidden-files", help: "Serve names that start with \".\" (default false).",
                    example: "true"),
            ]
        case .smtp:
            return [
                maildir,
                ConfigurationKey(
                    name: "hostname", help: "The name the server greets with (default: the machine's name).",
                    example: "\"mail.example.org\""),
                ConfigurationKey(
                    name: "domains", help: "The domains mail is accepted for (default [], any).",
                    example: "[\"example.org\"]"),
                ConfigurationKey(
                    name: "max-size", help: "The largest message in bytes (default 26214400, 25 MiB).",
                    example: "26214400"),
                ConfigurationKey(
                    name: "max-recipients", help: "The most recipients of one message (default 100).",
                    example: "100"),
                ConfigurationKey(
                    name: "strict-line-endings", help: "Refuse lines that end in a bare LF (default false).",
                    example: "true"),
            ]
        case .pop3:
            return [
                maildir,
                ConfigurationKey(
                    name: "users", help: "The users and passwords file (default: .users in the maildir).",
                    example: "\"mail/.users\""),
            ]
        case .tracker:
            return [
                ConfigurationKey(
                    name: "interval", help: "Seconds peers wait between announces (default 1800).",
                    example: "1800"),
                ConfigurationKey(
                    name: "max-torrents", help: "The most torrents tracked (default 100000).", example: "1000"),
                ConfigurationKey(
                    name: "max-peers", help: "The most peers tracked per torrent (default 10000).",
                    example: "1000"),
            ]
        case .seed:
            return [
                ConfigurationKey(
                    name: "torrents",
                    help:
                        "The folder of .torrent files (default \"torrents\"); "
                        + "each further torrent takes the next port.",
                    example: "\"torrents\"")
            ]
        case .exec:
            return [
                ConfigurationKey(
                    name: "program", help: "The command line run for each connection (required).",
                    example: "\"/usr/games/fortune -s\"")
            ]
        case .echo, .discard, .daytime, .chargen, .qotd, .time:
            return []
        }
    }

    private static let maildir = ConfigurationKey(
        name: "maildir", help: "The maildir of the mail (default \"mail\").", example: "\"mail\"")

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
