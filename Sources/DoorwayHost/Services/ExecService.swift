// A program per connection as a service of the host: its key, reading, writing and launch.

import Doorway
import DoorwayServices
import Logging

/// `kind = "exec"`: a ``Program`` run for each connection, inetd style. It has no customary port.
struct ExecService: ServiceKindDefinition {
    let keys = [
        ConfigurationKey(
            "program", "The command line run for each connection (required).", example: "\"/usr/games/fortune -s\"")
    ]

    var defaultSettings: ServiceSettings { .exec(ServiceSettings.Exec(program: "")) }

    func defaultPort(plan: PortPlan) -> Port? { nil }

    func read(_ table: ConfigurationTable) throws(ConfigurationError) -> ServiceSettings {
        guard let program = try table.text("program") else {
            throw table.error(
                "program", "an exec service needs the program to run for each connection",
                fix: table.example("program"))
        }
        do {
            _ = try Program(commandLine: program)
        } catch {
            throw table.error("program", "\(error)", fix: table.example("program"))
        }
        return .exec(ServiceSettings.Exec(program: program))
    }

    func values(of settings: ServiceSettings) -> [(key: String, value: String?)] {
        guard case .exec(let exec) = settings else { return [] }
        return [("program", TOMLText.quoted(exec.program))]
    }

    func launch(
        _ service: ServiceConfiguration, in host: HostConfiguration, logger: Logger
    ) async throws
        -> StartedService
    {
        guard case .exec(let exec) = service.settings else { throw HostError.settings(of: service) }
        let program = try Program(commandLine: exec.program)
        return try await StartedService.bind(service, initializer: program.initializer())
    }

    func welcomeHint(port: String) -> String {
        "a program per connection: <code>door connect HOST:\(port)</code>"
    }
}

extension ServiceSettings {
    /// The settings of a service that runs a program per connection: its command line as written, which
    /// `Program.init(commandLine:)` splits when the service starts.
    public struct Exec: Sendable, Hashable {
        /// The command line to run (`program`), such as "/usr/games/fortune -s"; split at spaces, with
        /// double or single quotes keeping a word together.
        public var program: String

        public init(program: String) {
            self.program = program
        }

        /// The program's path and arguments, as split from ``program`` by `Program.init(commandLine:)`
        /// (spaces separate words; quotes and backslashes keep them together); empty if it cannot be split.
        public var arguments: [String] {
            guard let program = try? Program(commandLine: program) else { return [] }
            return [program.executable] + program.arguments
        }
    }
}
