// Requests answered, by status, through swift-metrics.

import Metrics
import Synchronization

/// Counts responses as `door_http_requests_total{service, status}`.
///
/// The common statuses have their counters made up front, so answering a request takes no lock; a rare
/// status makes its counter once, under a lock.
final class RequestMetrics: Sendable {
    private let service: String
    private let common: [Int: Counter]
    private let rare = Mutex<[Int: Counter]>([:])

    init(service: String) {
        self.service = service
        let statuses = [200, 206, 301, 304, 400, 403, 404, 405, 408, 412, 413, 414, 416, 431, 500, 501, 503, 505]
        common = Dictionary(uniqueKeysWithValues: statuses.map { ($0, Self.counter(service: service, status: $0)) })
    }

    func record(status: Int) {
        if let counter = common[status] {
            counter.increment()
            return
        }
        let counter = rare.withLock { counters in
            if let counter = counters[status] { return counter }
            let counter = Self.counter(service: service, status: status)
            counters[status] = counter
            return counter
        }
        counter.increment()
    }

    private static func counter(service: String, status: Int) -> Counter {
        Counter(label: "door_http_requests_total", dimensions: [("service", service), ("status", String(status))])
    }
}
