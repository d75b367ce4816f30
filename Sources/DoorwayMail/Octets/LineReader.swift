// Splits the inbound octet stream into lines with bounded memory, because SMTP input is untrusted and may be
// chunked arbitrarily by the network.

/// How a line was terminated. Only CRLF may take part in the end-of-data sequence (RFC 5321 §4.1.1.4), which is
/// what makes bare-LF SMTP smuggling impossible.
enum LineEnding: Sendable, Equatable {
    case crlf
    case bareLF
}

enum LineEvent: Sendable, Equatable {
    /// A complete line, without its terminator (the CR of CRLF is removed; a bare CR elsewhere is kept).
    case line([UInt8], LineEnding)
    /// The current line is longer than allowed; its octets are being discarded until the next LF.
    case tooLong
    /// The over-long line reported earlier has ended.
    case endOfLongLine(LineEnding)
}

struct LineReader: Sendable {
    private var storage: [UInt8] = []
    /// Index of the first unconsumed octet.
    private var start = 0
    /// Where the next LF search begins, so trickled input is not rescanned (keeps tiny chunks linear).
    private var searchFrom = 0
    private var isDiscarding = false
    /// Whether the last discarded octet was CR, because a CRLF may be split across two receive calls.
    private var discardedTrailingCR = false

    var bufferedCount: Int { storage.count - start }

    /// The storage capacity actually held, exposed so tests can check that memory stays bounded.
    var storageCount: Int { storage.count }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        storage.append(contentsOf: bytes)
    }

    /// The next line event, or nil when more input is needed. `maximumLength` bounds the content without its
    /// terminator; longer lines are never buffered in full.
    mutating func nextEvent(maximumLength: Int) -> LineEvent? {
        let lineFeed = storage[max(start, searchFrom)...].firstIndex(of: ASCII.lf)
        if isDiscarding {
            guard let lineFeed else {
                if start < storage.count {
                    discardedTrailingCR = storage[storage.count - 1] == ASCII.cr
                }
                start = storage.count
                searchFrom = start
                return nil
            }
            let precededByCR = lineFeed > start ? storage[lineFeed - 1] == ASCII.cr : discardedTrailingCR
            start = lineFeed + 1
            searchFrom = start
            isDiscarding = false
            discardedTrailingCR = false
            return .endOfLongLine(precededByCR ? .crlf : .bareLF)
        }
        guard let lineFeed else {
            searchFrom = storage.count
            let pending = storage.count - start
            // A trailing CR may turn out to be half of the CRLF, so it does not count towards the length yet.
            let minimumLength = pending > 0 && storage[storage.count - 1] == ASCII.cr ? pending - 1 : pending
            if minimumLength > maximumLength {
                beginDiscarding()
                return .tooLong
            }
            return nil
        }
        var end = lineFeed
        var ending = LineEnding.bareLF
        if end > start && storage[end - 1] == ASCII.cr {
            end -= 1
            ending = .crlf
        }
        if end - start > maximumLength {
            beginDiscarding()
            return .tooLong
        }
        let line = Array(storage[start..<end])
        start = lineFeed + 1
        searchFrom = start
        return .line(line, ending)
    }

    /// Drops consumed octets so storage holds only the unprocessed tail.
    mutating func compact() {
        guard start > 0 else { return }
        storage.removeSubrange(0..<start)
        searchFrom -= start
        start = 0
    }

    /// Keeps at most `count` unconsumed octets; used when pipelined input exceeds its bound.
    mutating func truncate(to count: Int) {
        compact()
        if storage.count > count {
            storage.removeSubrange(max(0, count)...)
            searchFrom = min(searchFrom, storage.count)
        }
    }

    mutating func removeAll() {
        storage = []
        start = 0
        searchFrom = 0
        isDiscarding = false
        discardedTrailingCR = false
    }

    private mutating func beginDiscarding() {
        isDiscarding = true
        discardedTrailingCR = false
        // Restart the search at the line start so the discard pass sees the whole remaining line.
        searchFrom = start
    }
}
