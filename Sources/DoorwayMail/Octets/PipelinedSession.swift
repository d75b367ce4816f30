// The input handling the SMTP and POP3 server sessions share: chunks sliced into the line reader, pipelined input
// held while a session waits for storage, and that holding bounded.

/// A line-based server session that takes pipelined input (RFC 2920, RFC 2449) and can wait for the I/O layer.
protocol PipelinedSession {
    associatedtype Action

    /// Pipelined input held while the session waits; the excess is dropped and the session must close once the
    /// answer it waits for has been sent.
    static var maximumBufferedInput: Int { get }
    /// Input is consumed in slices of this size so internal buffers stay bounded however large a receive() is.
    static var receiveSliceSize: Int { get }

    var reader: LineReader { get set }
    var inputOverflowed: Bool { get set }
    /// Client errors so far, towards the session's limit.
    var errorCount: Int { get set }
    var isClosed: Bool { get }
    var isWaiting: Bool { get }

    /// Handles every complete line in `reader` until the session closes or waits, then calls `boundInput()`.
    mutating func processBufferedInput(into actions: inout [Action])
}

extension PipelinedSession {
    /// Processes any chunk of the client's byte stream; every complete command is handled in order.
    mutating func feed(_ bytes: [UInt8]) -> [Action] {
        var actions: [Action] = []
        var offset = 0
        while offset < bytes.count && !isClosed {
            if isWaiting {
                holdWhileWaiting(bytes[offset...])
                break
            }
            let end = offset + min(Self.receiveSliceSize, bytes.count - offset)
            reader.append(bytes[offset..<end])
            offset = end
            processBufferedInput(into: &actions)
        }
        return actions
    }

    /// Compacts the reader after processing; if the session now waits, holds no more than the limit.
    mutating func boundInput() {
        reader.compact()
        if isWaiting && reader.bufferedCount > Self.maximumBufferedInput {
            inputOverflowed = true
            reader.truncate(to: Self.maximumBufferedInput)
        }
    }

    /// Counts one client error, saturating; true once the count has reached `limit` and the session must close.
    mutating func countError(limit: Int) -> Bool {
        if errorCount < Int.max { errorCount += 1 }
        return errorCount >= limit
    }

    private mutating func holdWhileWaiting(_ bytes: ArraySlice<UInt8>) {
        let room = max(0, Self.maximumBufferedInput - reader.bufferedCount)
        if bytes.count > room {
            inputOverflowed = true
            reader.append(bytes.prefix(room))
        } else {
            reader.append(bytes)
        }
    }
}
