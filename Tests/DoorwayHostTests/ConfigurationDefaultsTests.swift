// The configuration without a file, as root and not.

import Doorway
import DoorwayHost
import Testing

struct DefaultsTests {
    @Test func unprivilegedPorts() {
        let configuration = HostConfiguration.defaults(plan: unprivilegedPlan)
        let ports = Dictionary(
            uniqueKeysWithValues: configuration.services.map { ($0.name, $0.listen) })
        #expect(
            configuration.services.map(\.kind) == [
                .web, .smtp, .pop3, .tracker, .seed, .echo, .discard, .daytime, .chargen, .qotd, .time,
            ])
        #expect(ports["web"] == [.host(.any, port: 8080)])
        #expect(ports["smtp"] == [.host(.any, port: 2525)])
        #expect(ports["pop3"] == [.host(.any, port: 1110)])
        #expect(ports["tracker"] == [.host(.any, port: 6969)])
        #expect(ports["seed"] == [.host(.any, port: 6881)])
        #expect(ports["echo"] == [.host(.any, port: 10007)])
        #expect(ports["discard"] == [.host(.any, port: 10009)])
        #expect(ports["daytime"] == [.host(.any, port: 10013)])
        #expect(ports["chargen"] == [.host(.any, port: 10019)])
        #expect(ports["qotd"] == [.host(.any, port: 10017)])
        #expect(ports["time"] == [.host(.any, port: 10037)])
        #expect(configuration.dataFolder == "door-data")
        #expect(configuration.admin == AdminConfiguration())
    }

    @Test func privilegedPorts() {
        let configuration = HostConfiguration.defaults(plan: privilegedPlan)
        let ports = configuration.services.map { $0.listen.first?.port?.rawValue }
        #expect(ports == [80, 25, 110, 6969, 6881, 7, 9, 13, 19, 17, 37])
    }

    @Test func transportsAndLimits() {
        let services = HostConfiguration.defaults(plan: unprivilegedPlan).services
        for service in services {
            let expected: [Transport] = service.settings == .plain ? [.tcp, .udp] : [.tcp]
            #expect(service.transports == expected, "\(service.name)")
            #expect(service.maximumConnections == (service.kind == .web ? 4096 : nil), "\(service.name)")
        }
    }

    @Test func addressAndDataFolder() {
        let configuration = HostConfiguration.defaults(
            plan: unprivilegedPlan, address: .ipv4("192.0.2.1"), dataFolder: "/srv/door")
        #expect(configuration.dataFolder == "/srv/door")
        #expect(configuration.services.allSatisfy { $0.listen.first?.host == .ipv4("192.0.2.1") })
    }

    @Test func defaultsRenderWildcardAsColonPort() {
        let text = HostConfiguration.defaults(plan: unprivilegedPlan).rendered()
        #expect(text.contains("listen = [\":8080\"]"))
        #expect(text.contains("listen = \"127.0.0.1:8099\""))
    }
}
