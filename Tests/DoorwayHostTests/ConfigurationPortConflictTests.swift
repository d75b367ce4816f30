// Two sockets on one port are refused before anything binds, naming both services and lines.

import Doorway
import DoorwayHost
import Testing

struct PortConflictTests {
    @Test func wildcardConflictsWithASpecificAddress() throws {
        let error = try #require(
            configurationError(
                """
                [[service]]
                kind = "web"
                listen = ":8080"
                [[service]]
                kind = "echo"
                listen = "127.0.0.1:8080"
                """))
        #expect(error.line == 6)
        #expect(error.key == "listen")
        #expect(error.section == "service \"echo\"")
        #expect(error.message.contains("port 8080/tcp"))
        #expect(error.message.contains("service \"web\" (line 3"))
    }

    @Test func sameAddressConflictsAndDifferentAddressesDoNot() throws {
        let same = try #require(
            configurationError(
                "[[service]]\nkind = \"web\"\nlisten = \"127.0.0.1:9000\"\n"
                    + "[[service]]\nkind = \"smtp\"\nlisten = \"127.0.0.1:9000\"\n"
            ))
        #expect(same.line == 6)
        let different = try parseConfiguration(
            "[[service]]\nkind = \"web\"\nlisten = \"127.0.0.1:9000\"\n"
                + "[[service]]\nkind = \"smtp\"\nlisten = \"127.0.0.2:9000\"\n"
        )
        #expect(different.services.count == 2)
    }

    @Test func tcpAndUDPDoNotConflict() throws {
        let configuration = try parseConfiguration(
            """
            [[service]]
            kind = "web"
            listen = ":9000"
            [[service]]
            kind = "echo"
            listen = ":9000"
            transport = "udp"
            """)
        #expect(configuration.services.count == 2)
        let clash = try #require(
            configurationError(
                "[[service]]\nkind = \"echo\"\nlisten = \":9000\"\n"
                    + "[[service]]\nkind = \"discard\"\nlisten = \":9000\"\ntransport = \"udp\"\n"
            ))
        #expect(clash.line == 6)
        #expect(clash.message.contains("port 9000/udp"))
    }

    @Test func portZeroNeverConflicts() throws {
        let configuration = try parseConfiguration(
            "[[service]]\nkind = \"web\"\nlisten = \":0\"\n[[service]]\nkind = \"smtp\"\nlisten = \":0\"\n"
        )
        #expect(configuration.services.count == 2)
    }

    @Test func twoListensOfOneService() throws {
        let error = try #require(
            configurationError("[[service]]\nkind = \"web\"\nlisten = [\":9000\", \"[::1]:9000\"]\n"))
        #expect(error.line == 3)
        #expect(error.fix == "listen on each port once")
    }

    @Test func unixSocketsConflictOnTheSamePath() throws {
        let error = try #require(
            configurationError(
                "[[service]]\nkind = \"web\"\nlisten = \"unix:/tmp/s\"\n"
                    + "[[service]]\nkind = \"smtp\"\nlisten = \"unix:/tmp/s\"\n"
            ))
        #expect(error.line == 6)
        #expect(error.message.contains("the Unix socket /tmp/s"))
        #expect(
            try parseConfiguration(
                "[[service]]\nkind = \"web\"\nlisten = \"unix:/tmp/a\"\n"
                    + "[[service]]\nkind = \"smtp\"\nlisten = \"unix:/tmp/b\"\n"
            ).services.count == 2)
    }

    @Test func adminConflictsToo() throws {
        let error = try #require(
            configurationError(
                "[admin]\nlisten = \"127.0.0.1:8080\"\n[[service]]\nkind = \"web\"\nlisten = \":8080\"\n"))
        #expect(error.line == 5)
        #expect(error.message.contains("[admin] (line 2"))
    }

    @Test func defaultServicesConflictingWithTheAdminListen() throws {
        let error = try #require(configurationError("[admin]\nlisten = \"127.0.0.1:8080\"\n"))
        #expect(error.section == "service \"web\"")
        #expect(error.line == nil)
    }
}
