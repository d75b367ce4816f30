// A swift-log handler that prints each message as door prints its own: `door: MESSAGE` on standard error.

import Logging

/// Prints every message at or above ``logLevel`` as one `door: MESSAGE` line on standard error, without the
/// timestamp, level and label of swift-log's stream handler, so the libraries' reports read like door's own.
struct DoorLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String) {}

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        printError("door: \(event.message)")
    }
}
