// The outcome of storing a delivered message, reported back so the session can answer the client.

public enum DeliveryResult: Sendable, Equatable {
    /// Stored durably; the client gets 250 2.0.0.
    case stored
    /// Not stored; the client gets 451 4.3.0 (temporary) or 554 5.3.0 (permanent) with the reason.
    case failed(temporary: Bool, reason: String)
    /// Not stored because the disk (or a quota) is full; the client gets 452 4.3.1 and may retry later.
    case storageFull(reason: String)
}
