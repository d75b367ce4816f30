// `door torrent`'s progress: pieces hashed or verified, then a transfer's share, rates, peers and time left.

import DoorwayTorrent
import Foundation

extension ProgressBar {
    /// A torrent's line: redrawn five times a second on a terminal, else a line every 5 seconds.
    init(name: String) {
        self.init(name: name, redraw: .milliseconds(200), elsewhere: .seconds(5))
    }

    /// `done` of `total` pieces hashed or verified; the last one is always shown.
    mutating func show(pieces done: Int, of total: Int) {
        guard isDue(final: done == total) else { return }
        draw("\(name) \(Self.percent(Double(done) / Double(max(total, 1)))) (\(done)/\(total) pieces)")
    }

    /// A running peer's share of the data, its rates and peers, and the time left at the current rate.
    mutating func show(_ progress: TorrentPeer.Progress) {
        if isDue() { draw(Self.text(name, progress)) }
    }

    private static func text(_ name: String, _ progress: TorrentPeer.Progress) -> String {
        let fraction = Double(progress.bytesHave) / Double(max(progress.totalBytes, 1))
        var text =
            "\(name) \(percent(fraction)) \(ByteCount(Int(progress.downloadRate)))/s down "
            + "\(ByteCount(Int(progress.uploadRate)))/s up, \(progress.peers) peers"
        if progress.downloadRate > 0, !progress.isComplete {
            let seconds = Int(Double(progress.totalBytes - progress.bytesHave) / progress.downloadRate)
            text += ", ETA \(seconds / 60):\(String(format: "%02d", seconds % 60))"
        }
        return text
    }

    private static func percent(_ fraction: Double) -> String {
        String(format: "%5.1f%%", min(max(fraction, 0), 1) * 100)
    }
}
