// Reading each kind of service and every key from TOML.

import Doorway
import DoorwayHost
import DoorwayMail
import DoorwayTesting
import DoorwayTorrent
import DoorwayWeb
import Testing

#if canImport(Glibc)
import Glibc
#endif

struct ParsingTests {
    @Test func topLevelAndAdminKeys() throws {
        let configuration = try parseConfiguration(
            """
            data = "/srv/door"
            [admin]
            listen = "[::1]:9000"
            token = "s3cret"
            [[service]]
            kind = "echo"
            """)
        #expect(configuration.dataFolder == "/srv/door")
        #expect(configuration.admin.listen == .host(.ipv6("::1", zone: nil), port: 9000))
        #expect(configuration.admin.token == "s3cret")
        #expect(configuration.services.map(\.name) == ["echo"])
    }

    @Test func adminDefaultsWhenAbsent() throws {
        let configuration = try parseConfiguration("[[service]]\nkind = \"echo\"\n")
        #expect(configuration.admin.listen == .host(.ipv4("127.0.0.1"), port: 8099))
        #expect(configuration.admin.token == nil)
        #expect(configuration.dataFolder == "door-data")
    }

    @Test func webWithEveryKey() throws {
        let service = try #require(
            parseConfiguration(
                """
                [[service]]
                kind = "web"
                name = "site"
                listen = ["127.0.0.1:8081", "[::1]:8081"]
                transport = "tcp"
                max-connections = 50
                root = "/var/www"
                list-folders = true
                hidden-files = true
                """
            ).services.first)
        #expect(service.name == "site")
        #expect(service.kind == .web)
        #expect(
            service.listen == [
                .host(.ipv4("127.0.0.1"), port: 8081), .host(.ipv6("::1", zone: nil), port: 8081),
            ])
        #expect(service.transports == [.tcp])
        #expect(service.maximumConnections == 50)
        #expect(
            service.settings
                == .web(.init(root: "/var/www", policy: .init(listsFolders: true, servesHiddenFiles: true))))
    }

    @Test func webDefaults() throws {
        let service = try #require(parseConfiguration("[[service]]\nkind = \"web\"\n").services.first)
        #expect(service.name == "web")
        #expect(service.listen == [.host(.any, port: 8080)])
        #expect(service.transports == [.tcp])
        #expect(service.maximumConnections == 4096)
        #expect(
            service.settings
                == .web(.init(root: "public", policy: .init(listsFolders: false, servesHiddenFiles: false))))
        #expect(service.parameters == TransportParameters())
    }

    @Test func listenAcceptsAStringAndServiceNames() throws {
        let service = try #require(
            parseConfiguration("[[service]]\nkind = \"web\"\nlisten = \"localhost:http\"\n").services.first)
        #expect(service.listen == [.host(.name("localhost"), port: 80)])
    }

    @Test func smtpWithEveryKey() throws {
        let service = try #require(
            parseConfiguration(
                """
                [[service]]
                kind = "smtp"
                maildir = "/var/mail/door"
                hostname = "mx.example.org"
                domains = ["example.org", "example.net"]
                max-size = 1048576
                max-recipients = 5
                strict-line-endings = true
                """
            ).services.first)
        #expect(service.listen == [.host(.any, port: 2525)])
        #expect(service.transports == [.tcp])
        #expect(service.maximumConnections == nil)
        #expect(
            service.settings
                == .smtp(
                    .init(
                        maildir: "/var/mail/door",
                        smtp: SMTPConfiguration(
                            hostname: "mx.example.org", domains: ["example.org", "example.net"],
                            maximumMessageSize: 1_048_576, maximumRecipients: 5, strictLineEndings: true))))
    }

    @Test func smtpDefaults() throws {
        let service = try #require(parseConfiguration("[[service]]\nkind = \"smtp\"\n").services.first)
        guard case .smtp(let smtp) = service.settings else {
            Issue.record("expected SMTP settings, got \(service.settings)")
            return
        }
        #expect(smtp.maildir == "mail")
        #expect(smtp.smtp.hostname.isEmpty)  // none given: the machine's name
        #expect(smtp.smtp.domains.isEmpty)
        #expect(smtp.smtp.maximumMessageSize == 25 * 1024 * 1024)
        #expect(smtp.smtp.maximumRecipients == 100)
        #expect(smtp.smtp.strictLineEndings == false)
    }

    @Test func pop3Keys() throws {
        let services = try parseConfiguration(
            """
            [[service]]
            kind = "pop3"
            [[service]]
            kind = "pop3"
            name = "pop3-other"
            listen = ":1111"
            maildir = "other-mail"
            users = "secrets/users"
            """
        ).services
        guard case .pop3(let plain) = services[0].settings, case .pop3(let tuned) = services[1].settings
        else {
            Issue.record("expected POP3 settings")
            return
        }
        #expect(services[0].listen == [.host(.any, port: 1110)])
        #expect(plain.maildir == "mail")
        #expect(plain.users.path == MailServer.Configuration(maildir: "mail", smtp: plain.smtp).users.path)
        #expect(plain.users.path == "mail/.users")
        #expect(tuned.maildir == "other-mail")
        #expect(tuned.users.path == "secrets/users")
    }

    @Test func trackerKeys() throws {
        let service = try #require(
            parseConfiguration("[[service]]\nkind = \"tracker\"\ninterval = 600\nmax-torrents = 10\nmax-peers = 20\n")
                .services.first)
        #expect(service.listen == [.host(.any, port: 6969)])
        #expect(
            service.settings
                == .tracker(trackerLimits(interval: 600, maximumTorrents: 10, maximumPeers: 20)))
        let plain = try #require(parseConfiguration("[[service]]\nkind = \"tracker\"\n").services.first)
        #expect(
            plain.settings
                == .tracker(trackerLimits(interval: 1800, maximumTorrents: 100_000, maximumPeers: 10_000)))
    }

    @Test func trackerPeersAreForgottenAfterTwoIntervalsAndAMinute() throws {
        let service = try #require(
            parseConfiguration("[[service]]\nkind = \"tracker\"\ninterval = 600\n").services.first)
        guard case .tracker(let limits) = service.settings else {
            Issue.record("expected tracker settings, got \(service.settings)")
            return
        }
        #expect(limits.interval == 600)
        #expect(limits.peerLifetime == 2 * 600 + 60)
    }

    @Test func seedKeys() throws {
        let service = try #require(
            parseConfiguration("[[service]]\nkind = \"seed\"\nlisten = \":7000\"\ntorrents = \"shared\"\n").services
                .first)
        #expect(service.listen == [.host(.any, port: 7000)])
        #expect(service.settings == .seed(.init(torrents: "shared")))
        let plain = try #require(parseConfiguration("[[service]]\nkind = \"seed\"\n").services.first)
        #expect(plain.listen == [.host(.any, port: 6881)])
        #expect(plain.settings == .seed(.init(torrents: "torrents")))
    }

    @Test(arguments: [
        (ServiceKind.echo, Port(10007)), (.discard, 10009), (.daytime, 10013), (.chargen, 10019),
        (.qotd, 10017),
        (.time, 10037),
    ])
    func simpleServiceDefaults(kind: ServiceKind, port: Port) throws {
        let service = try #require(parseConfiguration("[[service]]\nkind = \"\(kind.rawValue)\"\n").services.first)
        #expect(service.kind == kind)
        #expect(service.listen == [.host(.any, port: port)])
        #expect(service.transports == [.tcp, .udp])
        #expect(service.settings == .plain)
    }

    @Test func execKeys() throws {
        let service = try #require(
            parseConfiguration(
                """
                [[service]]
                kind = "exec"
                name = "fortune"
                listen = ":7777"
                program = "/usr/games/fortune -s 'a b'"
                """
            ).services.first)
        #expect(service.transports == [.tcp])
        #expect(service.settings == .exec(.init(program: "/usr/games/fortune -s 'a b'")))
        guard case .exec(let exec) = service.settings else { return }
        #expect(exec.arguments == ["/usr/games/fortune", "-s", "a b"])
    }

    @Test func everyTransportParameter() throws {
        let service = try #require(
            parseConfiguration(
                """
                [[service]]
                kind = "web"
                send-buffer = 65536
                receive-buffer = 131072
                mss = 1400
                no-delay = true
                keepalive = true
                keepalive-idle = 30
                keepalive-interval = 5
                keepalive-count = 3
                reuse-address = false
                backlog = 512
                idle-timeout = 300
                linger-timeout = 10
                """
            ).services.first)
        let expected = TransportParameters(
            sendBufferSize: 65536, receiveBufferSize: 131_072, maximumSegmentSize: 1400, noDelay: true,
            keepAlive: .init(idle: .seconds(30), interval: .seconds(5), count: 3), reuseAddress: false,
            backlog: 512,
            idleTimeout: .seconds(300), lingerTimeout: .seconds(10))
        #expect(service.parameters == expected)
    }

    @Test func keepaliveAloneTakesTheDefaultTimings() throws {
        let service = try #require(
            parseConfiguration("[[service]]\nkind = \"web\"\nkeepalive = true\n").services.first)
        #expect(service.parameters.keepAlive == TransportParameters.KeepAlive())
        let tuned = try #require(
            parseConfiguration("[[service]]\nkind = \"web\"\nkeepalive-idle = 20\n").services.first)
        #expect(tuned.parameters.keepAlive == TransportParameters.KeepAlive(idle: .seconds(20)))
        let off = try #require(parseConfiguration("[[service]]\nkind = \"web\"\nkeepalive = false\n").services.first)
        #expect(off.parameters.keepAlive == nil)
    }

    @Test func transportsAsArrayAndUnixEndpoints() throws {
        let services = try parseConfiguration(
            """
            [[service]]
            kind = "echo"
            listen = [":7", "unix:/tmp/echo.sock"]
            transport = ["udp", "unix"]
            [[service]]
            kind = "daytime"
            listen = "unix:/tmp/daytime.sock"
            [[service]]
            kind = "web"
            listen = [":8080", "unix:/tmp/web.sock"]
            """
        ).services
        #expect(services[0].transports == [.udp, .unix])
        #expect(services[0].listen == [.host(.any, port: 7), .unix(path: "/tmp/echo.sock")])
        #expect(services[1].transports == [.unix])
        #expect(services[2].transports == [.tcp, .unix])
    }

    @Test func aFileWithoutServicesGetsTheDefaults() throws {
        let configuration = try parseConfiguration("data = \"elsewhere\"\n")
        #expect(configuration.services == HostConfiguration.defaults(plan: unprivilegedPlan).services)
        #expect(configuration.dataFolder == "elsewhere")
        #expect(try parseConfiguration("").services.count == 11)
    }

    @Test func aFileWithServicesGetsExactlyThose() throws {
        let configuration = try parseConfiguration("[[service]]\nkind = \"qotd\"\n[[service]]\nkind = \"time\"\n")
        #expect(configuration.services.map(\.kind) == [.qotd, .time])
    }

    @Test func pathsAreRelativeToTheDataFolder() {
        #expect(HostConfiguration.path("public", in: "door-data") == "door-data/public")
        #expect(HostConfiguration.path("public", in: "door-data/") == "door-data/public")
        #expect(HostConfiguration.path("/var/www", in: "door-data") == "/var/www")
    }

    @Test func loadNamesAMissingFile() throws {
        do {
            _ = try HostConfiguration.load(file: "/nonexistent/door.toml", plan: unprivilegedPlan)
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "/nonexistent/door.toml")
            #expect(
                error.description.hasPrefix("/nonexistent/door.toml: cannot read the configuration file:"))
            #expect(error.description.contains("No such file"))
        }
    }

    @Test func loadReadsAFile() throws {
        let folder = try TemporaryFolder("config")
        defer { folder.remove() }
        let path = folder.path("door.toml")
        let text = "[[service]]\nkind = \"echo\"\nlisten = \":4007\"\n"
        let file = try #require(fopen(path, "w"))
        fputs(text, file)
        fclose(file)
        let configuration = try HostConfiguration.load(file: path, plan: unprivilegedPlan)
        #expect(configuration.services.first?.listen == [.host(.any, port: 4007)])
    }
}
