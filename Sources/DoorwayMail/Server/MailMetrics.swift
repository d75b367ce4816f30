// Messages accepted and rejected, through swift-metrics.

import Metrics

/// `door_mail_messages_total{service, outcome}`: `accepted` when a message was stored and answered 250,
/// `rejected` when storing it failed (disk full, an I/O error) and the client got a 4xx or 5xx.
struct MailMetrics: Sendable {
    let accepted: Counter
    let rejected: Counter

    init(service: String) {
        accepted = Counter(
            label: "door_mail_messages_total", dimensions: [("service", service), ("outcome", "accepted")])
        rejected = Counter(
            label: "door_mail_messages_total", dimensions: [("service", service), ("outcome", "rejected")])
    }

    func record(_ outcome: DeliveryResult) {
        if outcome == .stored { accepted.increment() } else { rejected.increment() }
    }
}
