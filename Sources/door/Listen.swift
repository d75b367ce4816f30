// `door listen`: a server, like netcat's -l, or a program per connection like tcpserver.

import ArgumentParser
import Doorway
import DoorwayServices
import NIOCore

struct Listen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Wait for connections on an endpoint or port and relay standard input and output (like nc -l).",
        discussion: """
            ENDPOINT is a port (9000), HOST:PORT (127.0.0.1:9000, [::1]:9000, :9000) or a service name.
            Connections are served one at a time; with --exec, each runs PROGRAM with the socket as its
            standard input and output and PROTO, TCPREMOTEIP, TCPREMOTEPORT, TCPLOCALIP, TCPLOCALPORT set.

              door listen 9000
              door listen -k --exec 'cat' 127.0.0.1:7000
              door listen -u 9000
            """
    )

    @Argument(help: "Where to listen: PORT or HOST:PORT. Not needed with --unix.")
    var endpoint: String?

    @Flag(name: [.customShort("k"), .customLong("keep-open")], help: "Keep listening after a connection ends.")
    var keepOpen = false

    @Option(
        name: .customLong("exec"),
        help: ArgumentHelp("Run PROGRAM for each connection (tcpserver style).", valueName: "PROGRAM ARGS"))
    var program: String?

    @Option(name: .customLong("max-conns"), help: "Connections served at once with --exec (default 40); others wait.")
    var maximumConnections: Int?

    @OptionGroup var options: TransportOptions

    func validate() throws {
        if options.unixPath == nil, endpoint == nil {
            throw ValidationError("give a PORT or HOST:PORT to listen on, such as: door listen 9000")
        }
        if let maximumConnections, maximumConnections < 1 {
            throw ValidationError("--max-conns \(maximumConnections) must be at least 1")
        }
        if program != nil, options.udp {
            throw ValidationError("--exec needs connections; it cannot be used with --udp")
        }
        if program != nil, options.framing != .raw {
            throw ValidationError("--exec hands the raw socket to the program; drop --framing")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let local = try listenEndpoint()
            if options.udp { return try await runDatagrams(local) }
            if let program { return try await runProgram(try Program(commandLine: program), at: local) }
            let server = try await Server.bind(
                local, transport: options.transport, framing: options.messageFraming, parameters: options.parameters,
                maximumConnections: 1
            )
            try await announce(server)
            let input = StandardInput.chunks(lines: options.framing != .raw)
            for await connection in server.connections {
                if options.verbose {
                    printError("door: connection from \(connection.remoteEndpoint.map { "\($0)" } ?? "?")")
                    options.report(try await connection.appliedParameters())
                }
                do {
                    try await Relay.run(connection, input: input)
                } catch let error as FramingError where keepOpen {
                    printError("door: \(error)")
                }
                if !keepOpen { break }
            }
            await server.shutdown(gracePeriod: .seconds(1))
        }
    }

    /// A bare port or service name means every interface, narrowed by -4 or -6.
    private func listenEndpoint() throws -> Endpoint {
        if let path = options.unixPath { return try Endpoint(parsing: "unix:\(path)") }
        let text = endpoint!
        if !text.contains(":") {
            let port = try Port(parsing: text, transport: options.transport)
            let host: Host = options.ipv4Only ? .ipv4("0.0.0.0") : (options.ipv6Only ? .ipv6("::", zone: nil) : .any)
            return .host(host, port: port)
        }
        return try Endpoint(parsing: text, transport: options.transport)
    }

    private func announce(_ server: Server) async throws {
        guard options.verbose else { return }
        printError("door: listening on \(server.localEndpoint) (\(server.transport))")
        options.report(try await server.appliedParameters())
    }

    private func runProgram(_ program: Program, at endpoint: Endpoint) async throws {
        let (accepted, acceptedContinuation) = AsyncStream.makeStream(of: (any Channel).self)
        let start = program.initializer()
        let server = try await Server.bind(
            endpoint, transport: options.transport, parameters: options.parameters,
            maximumConnections: maximumConnections ?? 40
        ) { channel in
            acceptedContinuation.yield(channel)
            return start(channel)
        }
        try await announce(server)
        let verbose = options.verbose
        let keepOpen = self.keepOpen
        // Without -k the first connection's end ends the command; either way SIGINT or SIGTERM does.
        _ = try await runUntilSignalled {
            for await channel in accepted {
                if verbose {
                    printError(
                        "door: connection from \(channel.remoteAddress.map { "\(Endpoint($0))" } ?? "?"), running \(program)"
                    )
                }
                if !keepOpen {
                    try? await channel.closeFuture.get()
                    return
                }
            }
        }
        acceptedContinuation.finish()
        await server.shutdown(gracePeriod: .seconds(5))
    }

    private func runDatagrams(_ endpoint: Endpoint) async throws {
        var parameters = options.parameters
        parameters.idleTimeout = nil
        parameters.connectTimeout = nil
        let socket = try await DatagramSocket.bind(endpoint, parameters: parameters, family: options.family)
        if options.verbose {
            printError("door: listening on \(socket.localEndpoint.map { "\($0)" } ?? "\(endpoint)") (udp)")
            options.report(try await socket.appliedParameters())
        }
        try await Relay.run(
            socket, peer: nil, input: StandardInput.chunks(chunkSize: 8192),
            idleTimeout: options.parameters.idleTimeout,
            verbose: options.verbose
        )
    }
}
