// The programs the interop tests drive, and the exchange every interop test performs.

import Doorway
import DoorwayTesting
import Testing

/// What to do when a real peer is missing: the interop tests fail rather than skip.
let peerInstallHint = """
    the interop tests drive real peers and fail without them. Run the README's test command, \
    `bash Scripts/test.sh` (as root), which installs them with apt (netcat-openbsd, socat, iproute2, curl, wget, \
    chromium, python3, swaks, msmtp, postfix for smtp-source, aria2, transmission-cli, mktorrent)
    """

/// The `door` binary under test.
func door() throws -> String { try doorExecutable() }

/// OpenBSD netcat (Debian's netcat-openbsd): its `-N`, `-q` and UDP behaviour are what the tests rely on.
func netcat() async throws -> String {
    let path = try requiredExecutable(named: "nc", installHint: peerInstallHint)
    let help = try await Subprocess.run([path, "-h"], timeout: .seconds(5))
    guard (help.standardOutputText + help.standardErrorText).contains("OpenBSD netcat") else {
        throw DoorwayTestingError("\(path) is not OpenBSD netcat (netcat-openbsd): \(peerInstallHint)")
    }
    return path
}

func socat() throws -> String { try requiredExecutable(named: "socat", installHint: peerInstallHint) }

/// The Web's peers: two command-line clients, a browser and a scripting language's standard HTTP client.
func curl() throws -> String { try requiredExecutable(named: "curl", installHint: peerInstallHint) }
func wget() throws -> String { try requiredExecutable(named: "wget", installHint: peerInstallHint) }
func chromium() throws -> String { try requiredExecutable(named: "chromium", installHint: peerInstallHint) }
func python3() throws -> String { try requiredExecutable(named: "python3", installHint: peerInstallHint) }

/// A message with every byte value, so any translation or truncation shows: a line of text, 0…255, and for
/// streams `bulk` pseudo-random bytes more.
func message(_ text: String, bulk: Int = 0) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return Array("\(text)\n".utf8) + (0...255).map { UInt8($0) } + (0..<bulk).map { _ in generator.next() as UInt8 }
}

/// A server and a client that have exchanged one message each way.
struct Exchange {
    let server: BackgroundProcess
    let client: BackgroundProcess
}

/// Starts `serverCommand`, waits until it has bound `port`, starts `clientCommand`, sends `toServer` from the
/// client and then `toClient` back (client first, so a UDP server learns its peer), and checks that exactly
/// those bytes arrived at each end's standard output. Both processes are still running afterwards.
func exchange(
    server serverCommand: [String], client clientCommand: [String], port: UInt16, transport: Transport,
    toServer: [UInt8], toClient: [UInt8]
) async throws -> Exchange {
    let server = try Subprocess.start(serverCommand)
    try await server.waitUntilBound(port: port, transport: transport)
    let client = try Subprocess.start(clientCommand)
    try client.write(toServer)
    let received = try await server.waitForOutput(describedAs: "the client's \(toServer.count) bytes") {
        $0.count >= toServer.count
    }
    #expect(received == toServer, "the server received other bytes than the client sent: \(server.summary)")
    try server.write(toClient)
    let answered = try await client.waitForOutput(describedAs: "the server's \(toClient.count) bytes") {
        $0.count >= toClient.count
    }
    #expect(answered == toClient, "the client received other bytes than the server sent: \(client.summary)")
    return Exchange(server: server, client: client)
}

/// Expects `process` to end by itself within `timeout` with exit status 0.
func expectCleanExit(
    _ process: BackgroundProcess, within timeout: Duration = .seconds(20),
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    let result = await process.waitForExit(timeout: timeout)
    #expect(result.exitCode == 0 && !result.timedOut, "\(result)", sourceLocation: sourceLocation)
}
