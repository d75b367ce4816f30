// How door shows what its libraries log: `door: MESSAGE` on standard error, as door prints its own reports.

import Doorway
import Logging

extension Logger {
    /// A logger that prints each message at `info` and above as one `door: MESSAGE` line on standard error,
    /// without the timestamp, level and label of swift-log's stream handler.
    static func door(_ label: String) -> Logger {
        .lines(label: label) { printError("door: \($0)") }
    }
}
