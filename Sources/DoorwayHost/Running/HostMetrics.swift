// The process's metrics backend: swift-metrics into a Prometheus registry, for `/metrics`.

import Metrics
import Prometheus
import Synchronization

/// Routes every swift-metrics metric of the process (the servers' connections and bytes, the Web's
/// statuses, mail's messages, torrents' pieces and bans) into one Prometheus registry.
///
/// swift-metrics takes one backend per process, so the first call bootstraps it and later calls return the
/// same registry's text.
public enum HostMetrics {
    private static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Bootstraps swift-metrics with Prometheus (once per process) and returns the function that renders
    /// the exposition text.
    public static func bootstrap() -> @Sendable () -> String {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
        return { registry.emitToString() }
    }
}
