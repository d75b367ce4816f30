// The one progress line `door` draws on standard error, for `door get` and `door torrent`.

import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A progress line on standard error.
///
/// On a terminal it is redrawn in place, at most every `redraw`; elsewhere (a log file, a pipe) it is either
/// printed as a new line every `elsewhere`, or not at all when that is `nil`, so logs stay short.
struct ProgressBar {
    let name: String
    private let terminal = isatty(STDERR_FILENO) == 1
    private let enabled: Bool
    private let redraw: Duration
    private let elsewhere: Duration?
    private var lastDraw: ContinuousClock.Instant?
    private var drew = false
    /// `door get`'s byte counts; see ProgressBar+Download.swift.
    var download: Download?

    init(name: String, redraw: Duration, elsewhere: Duration?, enabled: Bool = true) {
        self.name = name
        self.redraw = redraw
        self.elsewhere = elsewhere
        self.enabled = enabled && (terminal || elsewhere != nil)
    }

    /// Whether a drawing is due: the last one is old enough, or this one is `final`. Saying yes counts as
    /// drawing, so the caller draws next.
    mutating func isDue(final: Bool = false) -> Bool {
        guard enabled else { return false }
        let interval = terminal ? redraw : elsewhere ?? redraw
        if !final, let lastDraw, ContinuousClock.now - lastDraw < interval { return false }
        lastDraw = .now
        return true
    }

    /// Draws `text`: over the line on a terminal, else as a new line. Ask ``isDue(final:)`` first.
    mutating func draw(_ text: String) {
        drew = true
        write(terminal ? "\r" + text + "\u{1B}[K" : text + "\n")
    }

    /// Ends the line: with `text` drawn over it as its last state, or else with a newline after what a
    /// terminal shows, so the shell's prompt starts on a line of its own.
    mutating func end(with text: String? = nil) {
        guard enabled else { return }
        if let text {
            if terminal { write("\r" + text + "\n") }
        } else if terminal && drew {
            write("\n")
        }
    }

    private func write(_ text: String) {
        try? StandardOutput.write(ByteBuffer(string: text), to: StandardOutput.error)
    }
}
