// Which application a configured service runs.

import Doorway

/// The application a `[[service]]` runs, named by its `kind` key.
public enum ServiceKind: String, CaseIterable, Sendable {
    /// The Web server, serving files from a folder.
    case web
    /// The mail exchanger, receiving mail into a maildir.
    case smtp
    /// The post office, handing out the maildir's mail.
    case pop3
    /// The BitTorrent tracker.
    case tracker
    /// The BitTorrent seeds, one per torrent in a folder, on consecutive ports.
    case seed
    /// RFC 862: sends back whatever it receives.
    case echo
    /// RFC 863: throws away whatever it receives.
    case discard
    /// RFC 867: sends the date and time as text.
    case daytime
    /// RFC 864: sends lines of characters.
    case chargen
    /// RFC 865: sends a short quotation.
    case qotd
    /// RFC 868: sends the seconds since 1900.
    case time
    /// Runs a program per connection, its standard input and output joined to the connection.
    case exec

    /// The well-known port of the simple services (RFC 862–868).
    var wellKnownPort: Port? {
        switch self {
        case .echo: .echo
        case .discard: .discard
        case .daytime: .daytime
        case .chargen: .chargen
        case .qotd: .qotd
        case .time: .time
        default: nil
        }
    }

    /// Where the service listens when `listen` is not given; `exec` has no customary port.
    func defaultPort(plan: PortPlan) -> Port? {
        switch self {
        case .web: return plan.webPort
        case .smtp: return plan.smtpPort
        case .pop3: return plan.pop3Port
        case .tracker: return plan.trackerPort
        case .seed: return plan.firstSeedPort
        case .exec: return nil
        default:
            guard let port = wellKnownPort else { return nil }
            return plan.privileged ? port : Port(PortPlan.unprivilegedOffset + port.rawValue)
        }
    }

    /// The transports used when `transport` is not given.
    var defaultTransports: [Transport] {
        wellKnownPort == nil ? [.tcp] : [.tcp, .udp]
    }

    /// The transports the application can serve: only the simple services answer datagrams.
    /// Seeds need IP ports, since each further torrent takes the next one.
    var supportedTransports: [Transport] {
        if self == .seed { return [.tcp] }
        return wellKnownPort == nil ? [.tcp, .unix] : [.tcp, .udp, .unix]
    }

    /// The connection limit used when `max-connections` is not given.
    var defaultMaximumConnections: Int? {
        self == .web ? 4096 : nil
    }
}
