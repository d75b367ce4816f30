// A swift-log logger that hands each message to a closure as one line: how a command line or a host shows what
// its applications log (`door: peer 10.0.0.2: silent for 3 minutes`) without swift-log's timestamp and label.

import Logging

extension Logger {
    /// A logger whose messages at `level` and above go to `write`, one line each, followed by any metadata.
    ///
    /// ```swift
    /// let peer = TorrentPeer(metainfo: metainfo, root: "downloads", logger: .lines(label: "door.torrent") {
    ///     printError("door: \($0)")
    /// })
    /// ```
    public static func lines(
        label: String, level: Logger.Level = .info, _ write: @escaping @Sendable (String) -> Void
    ) -> Logger {
        Logger(label: label) { _ in LineLogHandler(logLevel: level, write: write) }
    }
}

/// The handler behind `Logger.lines(label:level:_:)`.
struct LineLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let write: @Sendable (String) -> Void

    init(logLevel: Logger.Level, write: @escaping @Sendable (String) -> Void) {
        self.logLevel = logLevel
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let suffix = all.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        write(event.message.description + suffix)
    }
}
