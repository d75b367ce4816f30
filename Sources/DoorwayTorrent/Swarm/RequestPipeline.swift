// How many block requests to keep outstanding with one peer so its link stays busy without hoarding blocks.

/// The request queue depth rule of libtorrent: keep enough requests outstanding to cover `queueTime` seconds at
/// the rate the peer is delivering, so the pipe never drains between a block arriving and the next request
/// reaching the peer.
///
/// ```swift
/// let depth = RequestPipeline.depth(forRate: peer.downloadRate)   // 1 MB/s → 122
/// let requests = picker.nextRequests(for: key, count: depth - outstanding)
/// ```
public enum RequestPipeline: Sendable {
    /// The floor: even a slow or new peer gets a few requests so its rate can be measured at all.
    public static let minimumDepth = 4
    /// The ceiling, a queue length peers commonly accept (BEP 10 `reqq`); a peer advertising a smaller `reqq`
    /// should be held to that instead, which is the caller's job.
    public static let maximumDepth = 250

    /// `bytesPerSecond × queueTime / blockLength`, clamped to `minimumDepth...maximumDepth`. A rate that is
    /// negative, NaN or infinite counts as unknown and yields the floor or the ceiling respectively.
    public static func depth(
        forRate bytesPerSecond: Double,
        queueTime: Double = 2,
        blockLength: Int = 16 * 1024
    ) -> Int {
        guard bytesPerSecond.isFinite, bytesPerSecond > 0, queueTime > 0, blockLength > 0 else {
            return bytesPerSecond == .infinity ? maximumDepth : minimumDepth
        }
        let wanted = bytesPerSecond * queueTime / Double(blockLength)
        guard wanted < Double(maximumDepth) else { return maximumDepth }
        return max(minimumDepth, Int(wanted))
    }
}
