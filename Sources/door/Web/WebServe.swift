// `door web serve`: a static file server on the Web's port.

import ArgumentParser
import Doorway
import DoorwayHost
import DoorwayWeb
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

struct WebServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a folder over HTTP/1.1 until SIGINT or SIGTERM.",
        discussion: """
            GET and HEAD with keep-alive and pipelining, ETag and Last-Modified, byte ranges, precompressed
            .br/.gz siblings, and sendfile for large files. Paths never leave the root: `..` is refused in any
            encoding, symlinks out of the root are refused, and dotfiles are hidden unless asked for.
            Examples:
              door web serve                          # ./public (or .) on port 8080 (80 as root)
              door web serve --root site --listing --access-log -
            """
    )

    @Option(help: "The folder to serve (default: ./public if it exists, else the current folder).")
    var root: String?

    @Option(
        name: .customLong("listen"),
        help: ArgumentHelp("Where to wait, repeatable (default :80 as root, else :8080).", valueName: "ENDPOINT"))
    var endpoints: [String] = []

    @Flag(help: "List a folder without index.html as an HTML page (else 403).")
    var listing = false

    @Option(
        name: .customLong("access-log"),
        help: ArgumentHelp("Write a combined-format access log to FILE, or - for standard output.", valueName: "FILE"))
    var accessLog: String?

    @Flag(name: .customLong("show-hidden"), help: "Serve dotfiles (hidden by default).")
    var showHidden = false

    @Flag(
        name: .customLong("follow-symlinks"), help: "Follow symlinks that lead outside the root (refused by default).")
    var followSymlinks = false

    @Option(name: .customLong("max-conns"), help: "Connections served at once; more wait in the backlog.")
    var maximumConnections = WebServer.Limits().maximumConnections

    @Option(
        name: .customLong("header-timeout"), help: "Seconds a client has to send a request once it starts (408 after).")
    var headerTimeout: Double = 10

    @Option(name: .customLong("keepalive-timeout"), help: "Seconds an idle keep-alive connection stays open.")
    var keepAliveTimeout: Double = 60

    @Option(name: .customLong("event-loops"), help: "Event-loop threads (default: one per core).")
    var eventLoops: Int?

    @Option(name: .customLong("grace"), help: "Seconds in-flight responses get to finish at shutdown.")
    var gracePeriod: Double = 5

    func validate() throws {
        if let eventLoops, eventLoops < 1 { throw ValidationError("--event-loops \(eventLoops) must be at least 1") }
        for (name, value) in [("--header-timeout", headerTimeout), ("--keepalive-timeout", keepAliveTimeout)]
        where !(value > 0) {
            throw ValidationError("\(name) \(value) must be a number of seconds above zero")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let configuration = try WebServe.configuration(
                root: root, listing: listing, accessLog: accessLog, showHidden: showHidden,
                followSymlinks: followSymlinks, maximumConnections: maximumConnections,
                headerTimeout: headerTimeout, keepAliveTimeout: keepAliveTimeout
            )
            let web = try webServer(configuration)
            let group: MultiThreadedEventLoopGroup =
                eventLoops.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? .singleton
            let endpoints = try (self.endpoints.isEmpty ? [WebServe.defaultEndpoint] : self.endpoints).map {
                try Endpoint(parsing: $0)
            }
            var servers: [Server] = []
            for endpoint in endpoints {
                let server = try await web.serve(on: endpoint, group: group)
                servers.append(server)
                printNow("door: serving \(configuration.root) on http://\(server.localEndpoint)")
            }
            await serveUntilSignalled(servers, gracePeriod: .milliseconds(Int64(gracePeriod * 1000)))
        }
    }

    static var defaultEndpoint: String { ":\(PortPlan.current.webPort)" }

    /// The default root: `public/` when the current folder has one.
    static var defaultRoot: String {
        var status = stat()
        return stat("public", &status) == 0 && status.st_mode & S_IFMT == S_IFDIR ? "public" : "."
    }

    static func configuration(
        root: String?, listing: Bool, accessLog: String?, showHidden: Bool, followSymlinks: Bool,
        maximumConnections: Int, headerTimeout: Double, keepAliveTimeout: Double
    ) throws -> WebServer.Configuration {
        var limits = WebServer.Limits()
        limits.maximumConnections = maximumConnections
        limits.headerTimeout = .milliseconds(Int64(headerTimeout * 1000))
        limits.keepAliveTimeout = .milliseconds(Int64(keepAliveTimeout * 1000))
        return WebServer.Configuration(
            root: root ?? defaultRoot,
            policy: .init(
                listsFolders: listing, servesHiddenFiles: showHidden, followsSymlinksOutsideRoot: followSymlinks),
            limits: limits,
            accessLog: accessLog.map { $0 == "-" ? .standardOutput : .file($0) }
        )
    }
}

/// Opens a Web server, turning its errors into `door`'s one-line messages.
func webServer(_ configuration: WebServer.Configuration) throws -> WebServer {
    do {
        return try WebServer(configuration: configuration)
    } catch let error as WebServerError {
        throw fail(error.description)
    }
}
