// `door`: one command for Doorway's network applications.

import ArgumentParser
import Doorway
import NIOCore

@main
struct Door: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "door",
        abstract: "Run network applications: processes that exchange messages through sockets.",
        discussion: """
            A server waits on a port; a client connects to a host and port. `door serve` runs this host's
            applications on their ports; the other commands are netcat-style tools and lookups.
            """,
        subcommands: [
            Serve.self, Status.self, Web.self, Get.self, Mail.self, Torrent.self, Tracker.self, Listen.self,
            Connect.self, ServiceCommand.self, Ports.self,
        ],
        defaultSubcommand: nil
    )
}

/// Prints an error the way every `door` command does and exits non-zero.
func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    printError("door: \(message)")
    return ExitCode(code)
}

func printError(_ message: String, newline: Bool = true) {
    try? StandardOutput.write(ByteBuffer(string: message), newline: newline, to: StandardOutput.error)
}

/// Runs `body`, turning Doorway's errors into a one-line message and a non-zero exit.
func reportingErrors<Result>(_ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch let error as AddressError {
        throw fail(error.description)
    } catch let error as ParameterError {
        throw fail(error.description)
    } catch let error as SocketError {
        throw fail(error.description)
    } catch let error as FramingError {
        throw fail(error.description)
    } catch let error as StandardStreamError {
        throw fail(error.description)
    }
}

/// Prints a line to standard output at once, even when it is a pipe or a file (where `print` would buffer it
/// until exit), so that scripts waiting for it see it.
func printNow(_ line: String) {
    try? StandardOutput.write(ByteBuffer(string: line + "\n"))
}
