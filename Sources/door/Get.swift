// `door get`: the Web's client end — fetch URLs over HTTP/1.1, like a small curl.

import ArgumentParser
import Doorway
import DoorwayHTTP
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

struct Get: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch URLs over HTTP/1.1, reusing one connection per server.",
        discussion: """
            The body goes to standard output unless -o or -O names a file. Redirects are followed. The exit
            code follows curl's: 0 success, 3 bad URL, 6 name not resolved, 7 connection refused, 18 body cut
            short, 22 an HTTP error status (400 or above), 23 cannot write output, 28 timeout, 47 too many
            redirects, 52 no response at all.
            Examples:
              door get http://127.0.0.1:8080/
              door get -O http://192.0.2.1/big.iso      # saved as big.iso, with a progress bar on a terminal
              door get -C -O http://192.0.2.1/big.iso   # resume it
            """
    )

    @Argument(help: "The URLs to fetch, in order (http:// only).")
    var urls: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the body to FILE (one URL only).", valueName: "FILE"))
    var output: String?

    @Flag(name: .customShort("O"), help: "Write each body to a file named after the URL's last path segment.")
    var remoteName = false

    @Flag(name: .shortAndLong, help: "Print the status line and headers before the body.")
    var include = false

    @Flag(name: .customShort("C"), help: "Resume a partial download (with -o or -O) using Range and If-Range.")
    var resume = false

    @Option(name: .customLong("max-redirects"), help: "Redirects to follow before giving up.")
    var maximumRedirects = 10

    @Option(
        name: [.customShort("w"), .long],
        help: ArgumentHelp("Give up when the server is silent for SECONDS.", valueName: "SECONDS"))
    var timeout: Double = 30

    @Flag(name: .shortAndLong, help: "Say on standard error which connection each request uses.")
    var verbose = false

    func validate() throws {
        if output != nil, remoteName { throw ValidationError("-o and -O cannot be combined; choose one") }
        if output != nil, urls.count > 1 { throw ValidationError("-o names one file; with several URLs use -O") }
        if resume, output == nil, !remoteName { throw ValidationError("-C resumes a file: add -o FILE or -O") }
        if maximumRedirects < 0 { throw ValidationError("--max-redirects \(maximumRedirects) must not be negative") }
        if !(timeout > 0) { throw ValidationError("--timeout \(timeout) must be a number of seconds above zero") }
    }

    func run() async throws {
        let timeout = Duration.milliseconds(Int64(self.timeout * 1000))
        let http = HTTPClient(
            client: Client(parameters: TransportParameters(connectTimeout: timeout)),
            maximumRedirects: maximumRedirects, timeout: timeout
        )
        var httpError = false
        defer { Task { await http.shutdown() } }
        for url in urls {
            do {
                let status = try await fetch(url, with: http)
                if status.code >= 400 { httpError = true }
            } catch let error as WebAddressError {
                throw fail(error.description, code: 3)
            } catch let error as HTTPClientError {
                let code: Int32 =
                    switch error.kind {
                    case .bodyCutShort: 18
                    case .closedEarly, .noResponse: 52
                    case .timedOut: 28
                    case .tooManyRedirects: 47
                    case .bodyTooLarge, .protocolViolation: 8
                    }
                throw fail("\(url): \(error.description)", code: code)
            } catch let error as SocketError {
                let code: Int32 =
                    switch error.kind {
                    case .nameNotResolved: 6
                    case .timedOut: 28
                    default: 7
                    }
                throw fail(error.description, code: code)
            } catch let error as OutputError {
                throw fail(error.description, code: 23)
            } catch let error as DownloadFileError {
                throw fail(error.description, code: 23)
            } catch {
                throw fail("\(url): \(error)", code: 56)
            }
        }
        await http.shutdown()
        if httpError { throw ExitCode(22) }
    }

    private func fetch(_ url: String, with http: HTTPClient) async throws -> HTTPResponseStatus {
        let address = try WebAddress(parsing: url)
        var path = output
        if remoteName {
            guard let name = address.fileName else {
                throw OutputError(description: "\(url) has no file name to save under (it ends in /); use -o FILE")
            }
            path = name
        }
        let report: (HTTPClient.ResponseHead) throws -> Void = { head in
            if verbose {
                printError(
                    "* \(head.reusedConnection ? "reusing the connection" : "connected") to \(head.address.authority)")
            }
            if include {
                var text =
                    "HTTP/\(head.version.major).\(head.version.minor) \(head.status.code) \(head.status.reasonPhrase)\r\n"
                for (name, value) in head.headers { text += "\(name): \(value)\r\n" }
                try StandardOutput.write(ByteBuffer(string: text + "\r\n"))
            }
        }
        let response: HTTPClient.ResponseHead
        if let path {
            var progress: ProgressBar?
            let download = try await http.download(url, to: path, resuming: resume, head: report) { state in
                if progress == nil { progress = ProgressBar(name: path, total: state.total, start: state.start) }
                progress?.advance(to: state.position)
            }
            progress?.finish()
            if download.wasAlreadyComplete {
                printError("door: \(path) is already complete (\(download.resumedFrom) bytes)")
                return .ok
            }
            response = download.head
        } else {
            response = try await http.get(url, head: report) { bytes in try StandardOutput.write(bytes) }
        }
        if response.status.code >= 400 {
            printError("door: \(response.address): \(response.status.code) \(response.status.reasonPhrase)")
        }
        return response.status
    }
}

struct OutputError: Error, CustomStringConvertible {
    var description: String
}
