// door serve from a TOML configuration: refused configurations, ports in use, --print-config, SIGHUP reloads
// and door status, each against a real door serve on ports of its own.

import Doorway
import DoorwayTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Not serialized: every door serve here listens on loopback ports from ``unusedPort()``, its admin endpoint too.
@Suite("door serve with a configuration", .timeLimit(.minutes(2)))
struct ServeConfigurationTests {
    // MARK: - Refused configurations

    @Test("an unknown key: exit 2 naming the file, line 6 and the key, and nothing was bound")
    func unknownKey() async throws {
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, echo, web) = (try unusedPort(), try unusedPort(), try unusedPort())
        // The valid echo service comes first, so a door serve that bound services before reading the rest of
        // the file would have bound its port.
        try folder.write(
            """
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(echo)"
            [[service]]
            kind = "web"
            list-folder = true
            listen = "127.0.0.1:\(web)"
            """)
        let result = try await refuse(folder, admin: admin, watching: [echo, web, admin])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.standardErrorText.contains("\(folder.configuration):6:"), "\(result)")
        #expect(result.standardErrorText.contains("key \"list-folder\""), "\(result)")
        #expect(result.standardErrorText.contains("list-folders"), "the error should suggest the key meant: \(result)")
        for transport in [Transport.tcp, .udp] {
            #expect(canBind(echo, transport), "the echo port \(echo) (\(transport)) should still be free: \(result)")
        }
    }

    @Test("a bad endpoint: exit 2 naming the file, the line and listen, and nothing was bound")
    func badEndpoint() async throws {
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, echo) = (try unusedPort(), try unusedPort())
        try folder.write(
            """
            data = "\(folder.data)"
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(echo)"
            [[service]]
            kind = "daytime"
            listen = "127.0.0.1:99999"
            """)
        let result = try await refuse(folder, admin: admin, watching: [echo, admin])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.standardErrorText.contains("\(folder.configuration):7:"), "\(result)")
        #expect(result.standardErrorText.contains("key \"listen\""), "\(result)")
        #expect(result.standardErrorText.contains("127.0.0.1:99999"), "the error should quote the endpoint: \(result)")
        for transport in [Transport.tcp, .udp] {
            #expect(canBind(echo, transport), "the echo port \(echo) (\(transport)) should still be free: \(result)")
        }
    }

    @Test("two services on one port and transport: exit 2 naming both, before anything binds")
    func portConflict() async throws {
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, first, shared) = (try unusedPort(), try unusedPort(), try unusedPort())
        try folder.write(
            """
            data = "\(folder.data)"
            [[service]]
            kind = "discard"
            listen = "127.0.0.1:\(first)"
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(shared)"
            transport = "tcp"
            [[service]]
            kind = "daytime"
            name = "clock"
            listen = ["127.0.0.1:\(shared)"]
            transport = ["tcp"]
            """)
        let result = try await refuse(folder, admin: admin, watching: [first, shared, admin])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.standardErrorText.contains("service \"echo\""), "\(result)")
        #expect(result.standardErrorText.contains("service \"clock\""), "\(result)")
        #expect(result.standardErrorText.contains("\(shared)"), "\(result)")
        #expect(canBind(first, .tcp) && canBind(first, .udp), "discard's port \(first) should still be free")
    }

    @Test("--admin on a service's port is refused like a conflict in the file: exit 2, nothing bound")
    func adminOptionConflict() async throws {
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (first, shared) = (try unusedPort(), try unusedPort())
        try folder.write(
            """
            data = "\(folder.data)"
            [[service]]
            kind = "discard"
            listen = "127.0.0.1:\(first)"
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(shared)"
            transport = "tcp"
            """)
        let result = try await refuse(folder, admin: shared, watching: [first, shared])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.standardErrorText.contains("--admin 127.0.0.1:\(shared)"), "\(result)")
        #expect(result.standardErrorText.contains("service \"echo\""), "\(result)")
        #expect(canBind(first, .tcp) && canBind(first, .udp), "discard's port \(first) should still be free")
    }

    @Test("TCP and UDP on one port are two sockets: both services start and answer")
    func tcpAndUDPShareAPort() async throws {
        let (door, nc) = (try door(), try await netcat())
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, port) = (try unusedPort(), try unusedPort())
        try folder.write(
            """
            data = "\(folder.data)"
            [admin]
            listen = "127.0.0.1:\(admin)"
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(port)"
            transport = "tcp"
            [[service]]
            kind = "daytime"
            name = "clock"
            listen = "127.0.0.1:\(port)"
            transport = "udp"
            """)
        let serve = try Subprocess.start([door, "serve", "--config", folder.configuration])
        defer { serve.kill() }
        try await serve.waitUntilBound(port: port, transport: .tcp)
        try await serve.waitUntilBound(port: port, transport: .udp)
        let table = try await serve.waitForOutput(containing: "dashboard:")
        #expect(
            serveTableRows(table).contains(ServeTableRow("echo", "echo", "tcp", "127.0.0.1:\(port)", "running")),
            "\(table)")
        #expect(
            serveTableRows(table).contains(ServeTableRow("clock", "daytime", "udp", "127.0.0.1:\(port)", "running")),
            "\(table)")

        let echoed = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(port)"], input: "over tcp\n")
        #expect(echoed.standardOutputText == "over tcp\n", "\(echoed)")
        let time = try await Subprocess.run([nc, "-u", "-w", "1", "127.0.0.1", "\(port)"], input: "\n")
        #expect(time.standardOutput.count > 6 && time.standardOutputText != "\n", "daytime over UDP: \(time)")

        serve.terminate()

        await expectCleanExit(serve)
    }

    // MARK: - The configuration printed and run

    @Test("--print-config prints a configuration that prints back the same, for a file and for the defaults")
    func printConfigRoundTrips() async throws {
        let door = try door()
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, echo, clock) = (try unusedPort(), try unusedPort(), try unusedPort())
        try folder.write(
            """
            data = "\(folder.data)"
            [admin]
            listen = "127.0.0.1:\(admin)"
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(echo)"      # a string
            transport = ["tcp", "udp"]
            [[service]]
            kind = "daytime"
            name = "clock"
            listen = ["127.0.0.1:\(clock)"]
            """)
        let printed = try await Subprocess.run([door, "serve", "--config", folder.configuration, "--print-config"])
        #expect(printed.exitCode == 0, "\(printed)")
        let text = printed.standardOutputText
        #expect(text.contains("name = \"clock\""), "\(printed)")
        #expect(text.contains("listen = [\"127.0.0.1:\(echo)\"]"), "\(printed)")
        #expect(text.contains("listen = \"127.0.0.1:\(admin)\""), "\(printed)")
        #expect(text.contains("data = \"\(folder.data)\""), "\(printed)")

        let copy = folder.path + "/printed.toml"
        try Data(printed.standardOutput).write(to: URL(fileURLWithPath: copy))
        let reprinted = try await Subprocess.run([door, "serve", "--config", copy, "--print-config"])
        #expect(reprinted.exitCode == 0, "\(reprinted)")
        #expect(reprinted.standardOutputText == text, "printing the printed configuration changed it: \(reprinted)")

        // The defaults (as root: web on 80, smtp on 25 …) round-trip too; printing binds nothing.
        let defaults = try await Subprocess.run([door, "serve", "--print-config"])
        #expect(defaults.exitCode == 0 && defaults.standardOutputText.contains("kind = \"web\""), "\(defaults)")
        let defaultsCopy = folder.path + "/defaults.toml"
        try Data(defaults.standardOutput).write(to: URL(fileURLWithPath: defaultsCopy))
        let defaultsAgain = try await Subprocess.run([door, "serve", "--config", defaultsCopy, "--print-config"])
        #expect(defaultsAgain.standardOutputText == defaults.standardOutputText, "\(defaultsAgain)")
    }

    @Test("an exec service runs its program per connection, its standard output going to the client")
    func execService() async throws {
        let (door, nc) = (try door(), try await netcat())
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, port) = (try unusedPort(), try unusedPort())
        try folder.write(
            """
            data = "\(folder.data)"
            [admin]
            listen = "127.0.0.1:\(admin)"
            [[service]]
            kind = "exec"
            name = "greeting"
            listen = "127.0.0.1:\(port)"
            program = "/bin/sh -c 'echo \\"hello from $PROTO\\"'"
            """)
        let serve = try Subprocess.start([door, "serve", "--config", folder.configuration])
        defer { serve.kill() }
        let output = try await serve.waitForOutput(containing: "dashboard:")
        #expect(
            serveTableRows(output).contains(ServeTableRow("greeting", "exec", "tcp", "127.0.0.1:\(port)", "running")),
            "\(serve.summary)")
        try await serve.waitUntilBound(port: port, transport: .tcp)
        let greeted = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(port)"])
        #expect(greeted.standardOutputText == "hello from TCP\n", "\(greeted)")

        serve.terminate()

        await expectCleanExit(serve)
    }

    @Test("a configuration with only an echo service runs exactly that service and the admin endpoint")
    func onlyWhatIsConfigured() async throws {
        let (door, nc) = (try door(), try await netcat())
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, echo) = (try unusedPort(), try unusedPort())
        try folder.write(
            """
            data = "\(folder.data)"
            [admin]
            listen = "127.0.0.1:\(admin)"
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(echo)"
            """)
        let serve = try Subprocess.start([door, "serve", "--config", folder.configuration])
        defer { serve.kill() }
        let output = try await serve.waitForOutput(containing: "dashboard: http://127.0.0.1:\(admin)/_door/")
        let rows = serveTableRows(output)
        #expect(
            Set(rows) == [
                ServeTableRow("echo", "echo", "tcp", "127.0.0.1:\(echo)", "running"),
                ServeTableRow("echo", "echo", "udp", "127.0.0.1:\(echo)", "running"),
                ServeTableRow("admin", "admin", "tcp", "127.0.0.1:\(admin)", "running"),
            ] && rows.count == 3,
            "\(serve.summary)")
        try await serve.waitUntilBound(port: echo, transport: .tcp)
        let echoed = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(echo)"], input: "only echo\n")
        #expect(echoed.standardOutputText == "only echo\n", "\(echoed)")

        serve.terminate()

        await expectCleanExit(serve)
    }

    // MARK: - A port in use

    @Test("a port in use: exit 1 naming the service; with --keep-going the others run and it shows as failed")
    func portInUse() async throws {
        let (door, nc) = (try door(), try await netcat())
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, held, echo) = (try unusedPort(), try unusedPort(), try unusedPort())
        // -k: the holder keeps its port even if a stray connection (another test's peer) reaches it first.
        let holder = try Subprocess.start([nc, "-l", "-k", "127.0.0.1", "\(held)"])
        defer { holder.kill() }
        try await holder.waitUntilBound(port: held, transport: .tcp)
        try folder.write(
            """
            data = "\(folder.data)"
            [admin]
            listen = "127.0.0.1:\(admin)"
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(echo)"
            transport = "tcp"
            [[service]]
            kind = "discard"
            name = "blocked"
            listen = "127.0.0.1:\(held)"
            transport = "tcp"
            """)

        let refused = try await Subprocess.run(
            [door, "serve", "--config", folder.configuration], timeout: .seconds(20))
        #expect(refused.exitCode == 1, "\(refused)")
        #expect(refused.standardErrorText.contains("cannot start blocked"), "\(refused)")
        #expect(refused.standardErrorText.contains("--keep-going"), "the error should name the way out: \(refused)")

        let serve = try Subprocess.start([door, "serve", "--config", folder.configuration, "--keep-going"])
        defer { serve.kill() }
        let table = try await serve.waitForOutput(containing: "dashboard:")
        let rows = serveTableRows(table)
        #expect(rows.contains(ServeTableRow("echo", "echo", "tcp", "127.0.0.1:\(echo)", "running")), "\(table)")
        #expect(rows.contains(ServeTableRow("blocked", "discard", "tcp", "127.0.0.1:\(held)", "failed:")), "\(table)")
        try await serve.waitUntilBound(port: echo, transport: .tcp)
        let echoed = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(echo)"], input: "still here\n")
        #expect(echoed.standardOutputText == "still here\n", "\(echoed)")

        let status = try await Subprocess.run([door, "status", "--admin", "127.0.0.1:\(admin)"])
        #expect(status.exitCode == 0, "\(status)")
        let statusRows = serveTableRows(status.standardOutputText)
        #expect(
            statusRows.contains(ServeTableRow("blocked", "discard", "tcp", "127.0.0.1:\(held)", "failed:")), "\(status)"
        )
        #expect(statusRows.contains(ServeTableRow("echo", "echo", "tcp", "127.0.0.1:\(echo)", "running")), "\(status)")
        let services = try await statusJSON(door, admin: admin)
        let blocked = services.first { $0.name == "blocked" }
        #expect(blocked?.problem?.contains("in use") == true, "\(services)")
        #expect(services.first { $0.name == "echo" }?.problem == nil, "\(services)")

        serve.terminate()

        await expectCleanExit(serve)
    }

    // MARK: - SIGHUP

    @Test("SIGHUP moves a changed service, starts an added one and keeps the unchanged one's connection")
    func reloadOnHangUp() async throws {
        let (door, nc) = (try door(), try await netcat())
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, echo, daytime, movedDaytime, discard) = (
            try unusedPort(), try unusedPort(), try unusedPort(), try unusedPort(), try unusedPort()
        )
        func configuration(daytime: UInt16, discard: UInt16?) -> String {
            var text = """
                data = "\(folder.data)"
                [admin]
                listen = "127.0.0.1:\(admin)"
                [[service]]
                kind = "echo"
                listen = "127.0.0.1:\(echo)"
                transport = "tcp"
                [[service]]
                kind = "daytime"
                listen = "127.0.0.1:\(daytime)"
                transport = "tcp"

                """
            if let discard {
                text += """
                    [[service]]
                    kind = "discard"
                    listen = "127.0.0.1:\(discard)"
                    transport = "tcp"

                    """
            }
            return text
        }
        try folder.write(configuration(daytime: daytime, discard: nil))
        let serve = try Subprocess.start([door, "serve", "--config", folder.configuration, "--grace", "1"])
        defer { serve.kill() }
        try await serve.waitForOutput(containing: "dashboard:")
        try await serve.waitUntilBound(port: echo, transport: .tcp)
        try await serve.waitUntilBound(port: daytime, transport: .tcp)

        // A connection to echo that stays open across the reload.
        let client = try Subprocess.start([nc, "127.0.0.1", "\(echo)"])
        defer { client.kill() }
        try client.write("before the reload\n")
        try await client.waitForOutput(containing: "before the reload\n")

        try folder.write(configuration(daytime: movedDaytime, discard: discard))
        serve.send(signal: SIGHUP)
        let log = try await serve.waitForOutput(containing: "door: SIGHUP, configuration reloaded", on: .standardError)
        #expect(log.contains("discard") && log.contains("daytime"), "\(serve.summary)")
        try await serve.waitUntilBound(port: movedDaytime, transport: .tcp)
        try await serve.waitUntilBound(port: discard, transport: .tcp)
        #expect(await eventuallyFree(daytime, .tcp), "daytime's old port \(daytime) is still bound: \(serve.summary)")
        let reprinted = try await serve.waitForOutput(describedAs: "a second table") { output in
            String(decoding: output, as: UTF8.self).components(separatedBy: "SERVICE").count == 3
        }
        let second = String(decoding: reprinted, as: UTF8.self).components(separatedBy: "SERVICE")[2]
        #expect(
            serveTableRows(second).contains(
                ServeTableRow("daytime", "daytime", "tcp", "127.0.0.1:\(movedDaytime)", "running")),
            "\(serve.summary)")
        #expect(
            serveTableRows(second).contains(
                ServeTableRow("discard", "discard", "tcp", "127.0.0.1:\(discard)", "running")),
            "\(serve.summary)")

        try client.write("after the reload\n")
        try await client.waitForOutput(containing: "before the reload\nafter the reload\n")
        let time = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(movedDaytime)"])
        #expect(time.exitCode == 0 && time.standardOutput.count > 6, "daytime on its new port: \(time)")

        // A broken configuration: the old one goes on.
        try folder.write(
            """
            [[service]]
            kind = "echo"
            listen = ["127.0.0.1:\(echo)"
            """)
        serve.send(signal: SIGHUP)
        try await serve.waitForOutput(
            containing: "door: SIGHUP, configuration not reloaded, the old one goes on", on: .standardError)
        #expect(
            serve.standardErrorText.contains(folder.configuration), "the error should name the file: \(serve.summary)")
        try client.write("after the broken one\n")
        try await client.waitForOutput(containing: "after the reload\nafter the broken one\n")
        let fresh = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(echo)"], input: "a new connection\n")
        #expect(fresh.standardOutputText == "a new connection\n", "\(fresh)")
        try await serve.waitUntilBound(port: discard, transport: .tcp)
        try await serve.waitUntilBound(port: movedDaytime, transport: .tcp)

        client.kill()
        serve.terminate()
        await expectCleanExit(serve)
    }

    @Test("SIGHUP swapping two services' ports moves both")
    func reloadSwapsPorts() async throws {
        let (door, nc) = (try door(), try await netcat())
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, first, second) = (try unusedPort(), try unusedPort(), try unusedPort())
        func configuration(echo: UInt16, daytime: UInt16) -> String {
            """
            data = "\(folder.data)"
            [admin]
            listen = "127.0.0.1:\(admin)"
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(echo)"
            transport = "tcp"
            [[service]]
            kind = "daytime"
            listen = "127.0.0.1:\(daytime)"
            transport = "tcp"
            """
        }
        try folder.write(configuration(echo: first, daytime: second))
        let serve = try Subprocess.start([door, "serve", "--config", folder.configuration, "--grace", "1"])
        defer { serve.kill() }
        try await serve.waitForOutput(containing: "dashboard:")

        try folder.write(configuration(echo: second, daytime: first))
        serve.send(signal: SIGHUP)
        try await serve.waitForOutput(containing: "door: SIGHUP, configuration reloaded", on: .standardError)
        try await serve.waitForOutput(describedAs: "a second table") { output in
            String(decoding: output, as: UTF8.self).components(separatedBy: "dashboard:")[1].contains("admin")
        }
        try await serve.waitUntilBound(port: first, transport: .tcp)
        let time = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(first)"])
        #expect(time.standardOutput.count > 6 && time.standardOutputText != "\n", "daytime on its new port: \(time)")
        // Both services stopped before either started again, so echo could take daytime's old port.
        #expect(!serve.standardErrorText.contains("cannot start"), "\(serve.summary)")
        let echoed = try await Subprocess.run([nc, "-N", "-w", "2", "127.0.0.1", "\(second)"], input: "swapped\n")
        #expect(echoed.standardOutputText == "swapped\n", "echo on its new port: \(echoed)")

        serve.terminate()

        await expectCleanExit(serve)
    }

    // MARK: - door status

    @Test("door status lists every service and counts connections; --json has the API's objects")
    func status() async throws {
        let (door, nc) = (try door(), try await netcat())
        let folder = try ServeFolder()
        defer { folder.remove() }
        let (admin, echo, clock) = (try unusedPort(), try unusedPort(), try unusedPort())
        try folder.write(
            """
            data = "\(folder.data)"
            [admin]
            listen = "127.0.0.1:\(admin)"
            [[service]]
            kind = "echo"
            listen = "127.0.0.1:\(echo)"
            [[service]]
            kind = "daytime"
            name = "clock"
            listen = "127.0.0.1:\(clock)"
            transport = "tcp"
            """)
        let serve = try Subprocess.start([door, "serve", "--config", folder.configuration])
        defer { serve.kill() }
        try await serve.waitForOutput(containing: "dashboard:")
        try await serve.waitUntilBound(port: echo, transport: .tcp)

        let listed = try await Subprocess.run([door, "status", "--admin", "127.0.0.1:\(admin)"])
        #expect(listed.exitCode == 0, "\(listed)")
        #expect(
            listed.standardOutputText.split(separator: "\n").first?.split(separator: " ").map(String.init) == [
                "SERVICE", "KIND", "TRANSPORT", "ENDPOINT", "STATE", "ACTIVE", "TOTAL", "IN", "OUT", "ERRORS",
            ], "\(listed)")
        let rows = serveTableRows(listed.standardOutputText)
        for expected in [
            ServeTableRow("echo", "echo", "tcp", "127.0.0.1:\(echo)", "running"),
            ServeTableRow("echo", "echo", "udp", "127.0.0.1:\(echo)", "running"),
            ServeTableRow("clock", "daytime", "tcp", "127.0.0.1:\(clock)", "running"),
            ServeTableRow("admin", "admin", "tcp", "127.0.0.1:\(admin)", "running"),
        ] {
            #expect(rows.contains(expected), "no row \(expected): \(listed)")
        }
        #expect(rows.count == 4, "\(listed)")

        let before = try await statusJSON(door, admin: admin)
        #expect(before.count == 4, "\(before)")
        let echoBefore = try #require(before.first { $0.name == "echo" && $0.transport == "tcp" }, "\(before)")
        #expect(
            echoBefore.kind == "echo" && echoBefore.endpoint == "127.0.0.1:\(echo)" && echoBefore.state == "running")
        let echoed = try await Subprocess.run([nc, "-N", "127.0.0.1", "\(echo)"], input: "count me\n")
        #expect(echoed.standardOutputText == "count me\n", "\(echoed)")
        let after = try await statusJSON(door, admin: admin)
        let echoAfter = try #require(after.first { $0.name == "echo" && $0.transport == "tcp" }, "\(after)")
        #expect(echoAfter.totalConnections >= echoBefore.totalConnections + 1, "\(before)\n\(after)")
        #expect(
            echoAfter.bytesIn >= echoBefore.bytesIn + 9 && echoAfter.bytesOut >= echoBefore.bytesOut + 9, "\(after)")
        let clockAfter = after.first { $0.name == "clock" }
        #expect(clockAfter?.totalConnections == 0, "no one connected to clock: \(after)")

        // Nothing listens on this port: a clear error naming it, and a failure status.
        let nowhere = try unusedPort()
        let unreachable = try await Subprocess.run([door, "status", "--admin", "127.0.0.1:\(nowhere)"])
        #expect(unreachable.exitCode != 0 && unreachable.exitCode != nil, "\(unreachable)")
        #expect(unreachable.standardErrorText.contains("127.0.0.1:\(nowhere)"), "\(unreachable)")
        #expect(unreachable.standardErrorText.contains("door serve"), "\(unreachable)")
        #expect(unreachable.standardOutput.isEmpty, "\(unreachable)")
        let unreachableJSON = try await Subprocess.run([door, "status", "--json", "--admin", "127.0.0.1:\(nowhere)"])
        #expect(unreachableJSON.exitCode != 0 && unreachableJSON.standardOutput.isEmpty, "\(unreachableJSON)")

        serve.terminate()

        await expectCleanExit(serve)
    }

    // MARK: - Helpers

    /// Runs door serve on a configuration it should refuse, and records an issue if it binds any of `ports`
    /// (over TCP) or prints a table while it runs.
    private func refuse(_ folder: ServeFolder, admin: UInt16, watching ports: [UInt16]) async throws -> ProcessResult {
        let serve = try Subprocess.start(
            [
                try door(), "serve", "--config", folder.configuration, "--data", folder.data,
                "--admin", "127.0.0.1:\(admin)",
            ])
        defer { serve.kill() }
        for port in ports {
            // Throws once the process has ended without binding, which is what a refusal does.
            if (try? await serve.waitUntilBound(port: port, transport: .tcp, timeout: .seconds(10))) != nil {
                Issue.record("door serve bound port \(port) for a configuration it should refuse: \(serve.summary)")
            }
        }
        let result = await serve.waitForExit(timeout: .seconds(10))
        #expect(!result.standardOutputText.contains("running"), "a refused configuration printed a table: \(result)")
        return result
    }

    /// `door status --json`, decoded.
    private func statusJSON(_ door: String, admin: UInt16) async throws -> [ServiceObject] {
        let result = try await Subprocess.run([door, "status", "--json", "--admin", "127.0.0.1:\(admin)"])
        #expect(result.exitCode == 0, "\(result)")
        do {
            return try JSONDecoder().decode([ServiceObject].self, from: Data(result.standardOutput))
        } catch {
            throw DoorwayTestingError("door status --json printed no array of services (\(error)): \(result)")
        }
    }

    /// Whether `port` becomes free on 127.0.0.1 within `timeout`.
    private func eventuallyFree(_ port: UInt16, _ transport: Transport, timeout: Duration = .seconds(5)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !canBind(port, transport) {
            if clock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}

/// A temporary folder for one door serve: its configuration file and its data folder.
private struct ServeFolder {
    let temporary: TemporaryFolder
    var path: String { temporary.path }

    init() throws {
        temporary = try TemporaryFolder("serve-configuration")
    }

    var configuration: String { path + "/door.toml" }
    var data: String { path + "/data" }

    /// Replaces the configuration file at once, so a reload never reads half of it.
    func write(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: configuration), options: .atomic)
    }

    func remove() { temporary.remove() }
}

/// The first five columns of a row of door serve's or door status's table; `state` is the state's first word
/// (`running`, or `failed:` followed by the problem).
struct ServeTableRow: Hashable, CustomStringConvertible {
    var service, kind, transport, endpoint, state: String

    init(_ service: String, _ kind: String, _ transport: String, _ endpoint: String, _ state: String) {
        (self.service, self.kind, self.transport, self.endpoint, self.state) = (
            service, kind, transport, endpoint, state
        )
    }

    var description: String { "\(service) \(kind) \(transport) \(endpoint) \(state)" }
}

/// The rows of every service table in `text`, without the headers and other lines.
func serveTableRows(_ text: String) -> [ServeTableRow] {
    text.split(separator: "\n").compactMap { line in
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count >= 5, fields[0] != "SERVICE", Transport(rawValue: fields[2]) != nil else { return nil }
        return ServeTableRow(fields[0], fields[1], fields[2], fields[3], fields[4])
    }
}

/// One object of `GET /_door/api/services`, as `door status --json` prints it.
private struct ServiceObject: Decodable, CustomStringConvertible {
    var name, kind, transport, endpoint, state: String
    var problem: String?
    var activeConnections, totalConnections, bytesIn, bytesOut, errors: Int

    var description: String { "\(name)/\(transport) \(state) total \(totalConnections) problem \(problem ?? "none")" }
}

/// Whether this process can bind `port` on 127.0.0.1 now, that is, no one listens there (TCP) or has bound it
/// (UDP). TCP sets SO_REUSEADDR, so connections in TIME_WAIT do not count.
private func canBind(_ port: UInt16, _ transport: Transport) -> Bool {
    #if os(Linux)
    let type = Int32(transport == .udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue)
    #else
    let type = transport == .udp ? SOCK_DGRAM : SOCK_STREAM
    #endif
    let descriptor = socket(AF_INET, type, 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    if transport != .udp {
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
