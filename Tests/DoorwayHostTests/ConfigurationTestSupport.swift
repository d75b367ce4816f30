// Shared helpers for the configuration tests: parse text, or get the error parsing it throws.

import Doorway
import DoorwayHost
import DoorwayMail
import DoorwayTorrent
import Testing

let unprivilegedPlan = PortPlan(privileged: false)
let privilegedPlan = PortPlan(privileged: true)

/// Parses `text` as the file "door.toml" with the unprivileged plan.
func parseConfiguration(_ text: String, plan: PortPlan = unprivilegedPlan) throws -> HostConfiguration {
    try HostConfiguration.parse(text, file: "door.toml", plan: plan)
}

/// The error parsing `text` throws; records an issue when it parses.
func configurationError(
    _ text: String, sourceLocation: SourceLocation = #_sourceLocation
)
    -> ConfigurationError?
{
    do {
        let configuration = try HostConfiguration.parse(text, file: "door.toml", plan: unprivilegedPlan)
        Issue.record("expected an error, parsed \(configuration)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

func testEndpoint(_ text: String) -> Endpoint {
    try! Endpoint(parsing: text)
}

/// A tracker's limits as a configuration with these keys gives them.
func trackerLimits(interval: Int, maximumTorrents: Int, maximumPeers: Int) -> TrackerState.Limits {
    var limits = TrackerState.Limits()
    limits.interval = interval
    limits.peerLifetime = TrackerState.Limits.peerLifetime(interval: interval)
    limits.maximumSwarms = maximumTorrents
    limits.maximumPeersPerSwarm = maximumPeers
    return limits
}

/// A post office's settings: its maildir and users file, as written.
func pop3Settings(maildir: String, users: String) -> MailServer.Configuration {
    var mail = MailServer.Configuration(maildir: maildir, smtp: SMTPConfiguration(hostname: ""))
    mail.users = MailUsers(path: users)
    return mail
}
