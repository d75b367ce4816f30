// `door get`'s progress: bytes so far of the whole, a bar, the rate and the time left.

extension ProgressBar {
    /// Where a download stands; `start` is what an earlier run left (a resumed download).
    struct Download {
        let total: Int?
        let start: Int
        var current: Int
        let began = ContinuousClock.now
    }

    /// A download's bar: drawn only on a terminal, and only when at least 1 MiB is still to come.
    init(name: String, total: Int?, start: Int) {
        self.init(
            name: name, redraw: .milliseconds(100), elsewhere: nil,
            enabled: (total ?? Int.max) - start >= 1 << 20)
        download = Download(total: total, start: start, current: start)
    }

    /// The download has reached `position` bytes.
    mutating func advance(to position: Int) {
        download?.current = position
        if isDue() { draw(downloadText(final: false)) }
    }

    /// Draws the final state and ends the line.
    mutating func finish() {
        if download != nil { end(with: downloadText(final: true)) } else { end() }
    }

    private func downloadText(final: Bool) -> String {
        guard let download else { return name }
        let (total, start, current) = (download.total, download.start, download.current)
        let since = ContinuousClock.now - download.began
        let elapsed = max(Double(since.components.attoseconds) / 1e18 + Double(since.components.seconds), 0.001)
        let rate = Double(current - start) / elapsed
        var line = "\(name) "
        if let total, total > 0 {
            let fraction = min(Double(current) / Double(total), 1)
            let width = 30
            let filled = Int(fraction * Double(width))
            line +=
                Self.threeWide(fraction * 100) + "% [" + String(repeating: "=", count: filled)
                + String(repeating: " ", count: width - filled) + "] "
            if rate > 0, !final { line += "ETA \(Int(Double(total - current) / rate)) s " }
        }
        return line + "\(ByteCount(current)) \(ByteCount(Int(rate)))/s"
    }

    private static func threeWide(_ value: Double) -> String {
        let rounded = Int(value.rounded())
        return String(repeating: " ", count: max(0, 3 - String(rounded).count)) + String(rounded)
    }
}
