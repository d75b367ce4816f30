// A host as a swift-service-lifecycle service: start, reload on SIGHUP, stop gracefully.

import Doorway
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a ``RunningHost`` inside a `ServiceGroup`: starts every service, re-reads the configuration on
/// SIGHUP, and at a graceful shutdown (SIGINT or SIGTERM, as the group is set up) gives in-flight work
/// `gracePeriod` to finish.
///
/// ```swift
/// let host = HostService(configuration: .defaults(plan: .current), events: { print($0) })
/// let group = ServiceGroup(configuration: .init(
///     services: [.init(service: host)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
public struct HostService: ServiceLifecycle.Service, Sendable {
    /// What happens to the host, for a program to print.
    public enum Event: Sendable {
        case started(RunningHost)
        case reloaded(RunningHost.Reload, RunningHost)
        /// The new configuration could not be read; the host goes on with the old one.
        case reloadFailed(String)
        case stopping
    }

    public var configuration: HostConfiguration
    public var keepGoing: Bool
    public var gracePeriod: Duration
    /// Reads the configuration again on SIGHUP; `nil` ignores SIGHUP.
    public var reloadConfiguration: (@Sendable () throws -> HostConfiguration)?
    public var events: @Sendable (Event) async -> Void
    /// Where the services report what happens (a seed's peers, a torrent that cannot be seeded).
    public var logger: Logger

    public init(
        configuration: HostConfiguration, keepGoing: Bool = false, gracePeriod: Duration = .seconds(5),
        reloadConfiguration: (@Sendable () throws -> HostConfiguration)? = nil,
        events: @escaping @Sendable (Event) async -> Void = { _ in }, logger: Logger = RunningHost.silentLogger
    ) {
        self.configuration = configuration
        self.keepGoing = keepGoing
        self.gracePeriod = gracePeriod
        self.reloadConfiguration = reloadConfiguration
        self.events = events
        self.logger = logger
    }

    public func run() async throws {
        let host = try await RunningHost.start(
            configuration, keepGoing: keepGoing, metrics: HostMetrics.bootstrap(), logger: logger)
        await events(.started(host))
        let hangUps = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangUps {
                guard let reloadConfiguration else { continue }
                do {
                    let new = try reloadConfiguration()
                    await events(.reloaded(await host.reload(new, gracePeriod: gracePeriod), host))
                } catch {
                    await events(.reloadFailed("\(error)"))
                }
            }
        }
        await events(.stopping)
        await host.shutdown(gracePeriod: gracePeriod)
    }
}
