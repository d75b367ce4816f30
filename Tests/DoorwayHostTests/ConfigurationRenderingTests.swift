// rendered(): the effective configuration as commented TOML that reads back the same.

import Doorway
import DoorwayHost
import DoorwayMail
import DoorwayWeb
import Testing

struct RenderingTests {
    @Test(arguments: [unprivilegedPlan, privilegedPlan])
    func defaultsRoundTrip(plan: PortPlan) throws {
        let configuration = HostConfiguration.defaults(plan: plan)
        #expect(try parseConfiguration(configuration.rendered(), plan: plan) == configuration)
    }

    @Test func richConfigurationRoundTrips() throws {
        var web = ServiceConfiguration(
            name: "site", kind: .web,
            listen: [testEndpoint("127.0.0.1:8081"), testEndpoint("[fe80::1%eth0]:8081")],
            transports: [.tcp], maximumConnections: 10,
            settings: .web(
                .init(root: "/var/www/\"quoted\"", policy: .init(listsFolders: true, servesHiddenFiles: true))))
        web.parameters = TransportParameters(
            sendBufferSize: 1000, receiveBufferSize: 2000, maximumSegmentSize: 1200, noDelay: false,
            keepAlive: .init(idle: .seconds(7), interval: .seconds(3), count: 2), reuseAddress: true,
            backlog: 64,
            idleTimeout: .seconds(90), lingerTimeout: .seconds(0))
        let configuration = HostConfiguration(
            dataFolder: "/srv/door data",
            admin: AdminConfiguration(listen: testEndpoint("unix:/run/door-admin.sock"), token: "tö\\ken\n"),
            services: [
                web,
                ServiceConfiguration(
                    kind: .smtp, listen: [testEndpoint(":2526")],
                    settings: .smtp(
                        .init(
                            maildir: "m",
                            smtp: SMTPConfiguration(
                                hostname: "mx.example.org", domains: ["a.example", "b.example"],
                                maximumMessageSize: 1000, maximumRecipients: 2, strictLineEndings: true)))),
                ServiceConfiguration(
                    kind: .pop3, listen: [testEndpoint(":1111")],
                    settings: .pop3(pop3Settings(maildir: "m", users: "u"))
                ),
                ServiceConfiguration(
                    kind: .tracker, listen: [testEndpoint(":6970")],
                    settings: .tracker(trackerLimits(interval: 60, maximumTorrents: 3, maximumPeers: 4))),
                ServiceConfiguration(
                    kind: .seed, listen: [testEndpoint(":7000")], settings: .seed(.init(torrents: "t"))),
                ServiceConfiguration(
                    kind: .echo, listen: [testEndpoint(":7")], transports: [.udp],
                    parameters: TransportParameters(receiveBufferSize: 4096)),
                ServiceConfiguration(
                    kind: .daytime, listen: [testEndpoint("unix:/tmp/daytime.sock"), testEndpoint("127.0.0.1:13")],
                    transports: [.tcp, .udp, .unix], parameters: TransportParameters(idleTimeout: .seconds(5))
                ),
                ServiceConfiguration(
                    name: "fortune", kind: .exec, listen: [testEndpoint(":7777")],
                    settings: .exec(.init(program: "/usr/games/fortune -s"))),
            ])
        let text = configuration.rendered()
        let parsed = try parseConfiguration(text)
        #expect(parsed == configuration)
    }

    @Test func everyKeyHasACommentAbove() {
        let lines = HostConfiguration.defaults(plan: unprivilegedPlan).rendered().split(
            separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where !line.hasPrefix("#") && line.contains(" = ") {
            #expect(index > 0 && lines[index - 1].hasPrefix("#"), "no comment above \(line)")
        }
    }

    @Test func unsetOptionalKeysAreShownCommentedOut() {
        let text = HostConfiguration.defaults(plan: unprivilegedPlan).rendered()
        #expect(text.contains("\n# token = "))
        #expect(text.contains("\n# hostname = "))
        #expect(text.contains("\n# users = "))
        #expect(text.contains("# send-buffer = 65536"))
        #expect(text.contains("\nmax-connections = 4096\n"))
    }
}
