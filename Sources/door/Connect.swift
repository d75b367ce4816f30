// `door connect`: a client, like netcat.

import ArgumentParser
import Doorway

struct Connect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Connect to HOST PORT and relay standard input and output (like nc).",
        discussion: """
            Standard input goes to the server; what the server sends goes to standard output. End of standard
            input half-closes the connection (like nc -N); the command ends when the server closes.

              door connect example.org http
              echo hello | door connect -v 127.0.0.1 7
              door connect -u 192.0.2.1 9000
              door connect --unix /run/door.sock
            """
    )

    @Argument(help: "Host name or IP address of the server.")
    var host: String?

    @Argument(help: "Port number or service name.")
    var port: String?

    @OptionGroup var options: TransportOptions

    func validate() throws {
        if options.unixPath == nil, host == nil || port == nil {
            throw ValidationError("give HOST and PORT, such as: door connect 127.0.0.1 8080 (or --unix PATH)")
        }
        if options.unixPath != nil, host != nil {
            throw ValidationError("--unix PATH replaces HOST and PORT; give one or the other")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let endpoint: Endpoint
            if let path = options.unixPath {
                endpoint = try Endpoint(parsing: "unix:\(path)")
            } else {
                var hostText = host!
                if hostText.hasPrefix("["), hostText.hasSuffix("]") {
                    hostText = String(hostText.dropFirst().dropLast())
                }
                endpoint = try Endpoint(host: hostText, port: try Port(parsing: port!, transport: options.transport))
            }
            let input = StandardInput.chunks(chunkSize: options.udp ? 8192 : 64 * 1024, lines: options.framing != .raw)
            if options.udp {
                var parameters = options.parameters
                parameters.idleTimeout = nil
                parameters.connectTimeout = nil
                let (socket, peer) = try await DatagramSocket.open(
                    toward: endpoint, parameters: parameters, family: options.family)
                if options.verbose {
                    printError(
                        "door: sending to \(Endpoint(peer)) from \(socket.localEndpoint.map { "\($0)" } ?? "?") (udp)")
                    options.report(try await socket.appliedParameters())
                }
                try await Relay.run(
                    socket, peer: peer, input: input, idleTimeout: options.parameters.idleTimeout,
                    verbose: options.verbose)
                return
            }
            let client = Client(parameters: options.parameters, family: options.family)
            let connection = try await client.connect(to: endpoint, framing: options.messageFraming)
            if options.verbose {
                let local = connection.localEndpoint.map { "\($0)" } ?? "?"
                printError(
                    "door: connected to \(connection.remoteEndpoint.map { "\($0)" } ?? "\(endpoint)") from \(local) (\(connection.transport))"
                )
                options.report(try await connection.appliedParameters())
            }
            try await Relay.run(connection, input: input)
        }
    }
}
