// Endpoint, host and port parsing, including the edge cases people type.

import Doorway
import Testing

struct EndpointTests {
    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1:8080"),
        ("[::1]:25", "[::1]:25"),
        ("[0:0::1]:25", "[::1]:25"),
        ("example.org:http", "example.org:80"),
        ("localhost:smtp", "localhost:25"),
        (":8080", ":8080"),
        ("*:8080", ":8080"),
        ("unix:/run/door.sock", "unix:/run/door.sock"),
        ("[fe80::1%eth0]:80", "[fe80::1%eth0]:80"),
        ("192.0.2.1:0", "192.0.2.1:0"),
        ("host-name.example:65535", "host-name.example:65535"),
    ])
    func parsesAndPrints(input: String, printed: String) throws {
        let endpoint = try Endpoint(parsing: input)
        #expect(endpoint.description == printed)
        #expect(try Endpoint(parsing: printed) == endpoint)
    }

    @Test func partsAreTyped() throws {
        #expect(try Endpoint(parsing: "127.0.0.1:8080") == .host(.ipv4("127.0.0.1"), port: 8080))
        #expect(try Endpoint(parsing: "[fe80::1%eth0]:80") == .host(.ipv6("fe80::1", zone: "eth0"), port: .http))
        #expect(try Endpoint(parsing: ":smtp") == .host(.any, port: .smtp))
        #expect(try Endpoint(parsing: "unix:relative.sock") == .unix(path: "relative.sock"))
    }

    @Test(arguments: [
        ("127.0.0.1:70000", "port must be 0–65535"),
        ("127.0.0.1:99999999999", "port must be 0–65535"),
        ("127.0.0.1:", "missing port"),
        ("127.0.0.1", "expected HOST:PORT"),
        ("::1:25", "IPv6 address goes in brackets"),
        ("[::1]", "missing port"),
        ("[::1", "missing \"]\""),
        ("[::1]x:25", "unexpected \"x:25\""),
        ("[::1]:25junk", "unknown service name"),
        ("127.0.0.1:80x", "unknown service name"),
        ("[fe80::1%]:80", "zone"),
        ("[127.0.0.1]:80", "brackets are for IPv6"),
        ("[:::1]:80", "not a valid IPv6 address"),
        ("256.1.1.1:80", "not a valid IPv4 address"),
        ("1.2.3:80", "not a valid IPv4 address"),
        ("bad_host!:80", "not a valid host name"),
        ("-bad.example:80", "not a valid host name"),
        ("unix:", "path is empty"),
        ("127.0.0.1:nosuchservice", "unknown service name \"nosuchservice\""),
    ])
    func refusesWithTheReason(input: String, reason: String) {
        do {
            _ = try Endpoint(parsing: input)
            Issue.record("\(input) parsed")
        } catch let error as AddressError {
            #expect(error.input == input)
            #expect(error.description.contains(reason), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func unixPathLengthIsChecked() {
        let long = "unix:/" + String(repeating: "a", count: 200)
        #expect(throws: AddressError.self) { try Endpoint(parsing: long) }
        #expect(throws: Never.self) { try Endpoint(parsing: "unix:/" + String(repeating: "a", count: 106)) }
    }

    @Test func portNamesAndNumbers() throws {
        #expect(try Port(parsing: "25") == .smtp)
        #expect(try Port(parsing: "http") == 80)
        #expect(try Port(parsing: "HTTP") == 80)
        #expect(try Port(parsing: "www") == 80)
        #expect(try Port(parsing: "0") == .any)
        #expect(try Port(parsing: "65535") == 65535)
        #expect(throws: AddressError.self) { try Port(parsing: "65536") }
        #expect(throws: AddressError.self) { try Port(parsing: "") }
        #expect(throws: AddressError.self) { try Port(parsing: "-1") }
        #expect(Port.http.isPrivileged)
        #expect(!Port.httpAlt.isPrivileged)
        #expect(Port.smtp.serviceName() == "smtp")
    }
}
