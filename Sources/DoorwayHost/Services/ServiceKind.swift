// Which application a configured service runs, and where that kind of service is defined.

import Doorway
import DoorwayServices

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

    /// Where this kind's keys, defaults, reading, rendering and launch live.
    var definition: any ServiceKindDefinition {
        switch self {
        case .web: WebService()
        case .smtp: SMTPService()
        case .pop3: POP3Service()
        case .tracker: TrackerService()
        case .seed: SeedService()
        case .exec: ExecService()
        case .echo: SimpleServiceKind(service: .echo)
        case .discard: SimpleServiceKind(service: .discard)
        case .daytime: SimpleServiceKind(service: .daytime)
        case .chargen: SimpleServiceKind(service: .chargen)
        case .qotd: SimpleServiceKind(service: .qotd)
        case .time: SimpleServiceKind(service: .time)
        }
    }

    /// Where the service listens when `listen` is not given; `exec` has no customary port.
    func defaultPort(plan: PortPlan) -> Port? { definition.defaultPort(plan: plan) }

    /// The transports used when `transport` is not given.
    var defaultTransports: [Transport] { definition.defaultTransports }

    /// The transports the application can serve.
    var supportedTransports: [Transport] { definition.supportedTransports }

    /// The connection limit used when `max-connections` is not given.
    var defaultMaximumConnections: Int? { definition.defaultMaximumConnections }
}
