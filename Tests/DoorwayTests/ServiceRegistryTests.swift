// The service registry compiled into the library.

import Doorway
import Testing

struct ServiceRegistryTests {
    let registry = ServiceRegistry.shared

    @Test(arguments: [
        ("echo", 7), ("discard", 9), ("daytime", 13), ("qotd", 17), ("chargen", 19), ("ftp", 21), ("ssh", 22),
        ("telnet", 23), ("smtp", 25), ("time", 37), ("domain", 53), ("http", 80), ("pop3", 110), ("imap", 143),
        ("https", 443), ("submission", 587), ("imaps", 993), ("pop3s", 995), ("bittorrent", 6881), ("http-alt", 8080),
    ])
    func knowsTheWellKnownServices(name: String, port: UInt16) {
        #expect(registry.service(named: name, transport: .tcp)?.port == Port(port))
    }

    @Test func mapsNumbersToNames() {
        #expect(registry.services(port: 80, transport: .tcp).first?.name == "http")
        #expect(registry.services(port: 25, transport: .tcp).first?.aliases.contains("mail") == true)
        #expect(registry.services(port: 53, transport: .udp).first?.name == "domain")
    }

    @Test func coversTheSystemPorts() {
        let covered = Set(registry.services.filter { $0.port.rawValue < 1024 }.map(\.port))
        // IANA leaves some system ports unassigned; the table must still hold most of them.
        #expect(covered.count > 600)
        #expect(registry.services.allSatisfy { $0.transport == .tcp || $0.transport == .udp })
    }

    @Test func namesAreUniquePerTransport() {
        var seen = Set<String>()
        for service in registry.services {
            #expect(seen.insert("\(service.name)/\(service.transport)").inserted, "\(service.name) twice")
        }
    }

    @Test func unknownNamesFindNothing() {
        #expect(registry.services(named: "no-such-service").isEmpty)
    }
}
