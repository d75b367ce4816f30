// Accumulates the text of a DATA section line by line, detecting the end of data exactly as RFC 5321 §4.1.1.4
// defines it (CRLF "." CRLF) so that bare-LF tricks can never end a message early (SMTP smuggling).

struct DataCollector: Sendable {
    /// RFC 5321 §4.5.3.1.6: 1000 octets including CRLF, not counting a leading dot added for transparency.
    static let maximumTextLength = 998

    let maximumSize: Int
    let strictLineEndings: Bool
    /// The unstuffed message with CRLF endings; emptied as soon as the message is known to be rejected so memory
    /// stays bounded by the configured size.
    private(set) var body: [UInt8] = []
    private(set) var size = 0
    private(set) var sizeExceeded = false
    private(set) var lineTooLong = false
    private(set) var sawBareLF = false
    /// Whether the previous line ended in CRLF; only then can "." CRLF end the data.
    private var previousEndedWithCRLF: Bool

    /// `dataCommandEndedWithCRLF` seeds the rule: the first line can only end the data if the CRLF before it
    /// (the DATA command's) was a real CRLF.
    init(maximumSize: Int, strictLineEndings: Bool, dataCommandEndedWithCRLF: Bool) {
        self.maximumSize = maximumSize
        self.strictLineEndings = strictLineEndings
        self.previousEndedWithCRLF = dataCommandEndedWithCRLF
    }

    /// The reply that rejects this message, or nil when it may be delivered. Size is reported first because it is
    /// the most actionable for the client.
    var failure: SMTPReply? {
        if sizeExceeded { return .messageTooBig }
        if strictLineEndings && sawBareLF { return .bareLineFeed }
        if lineTooLong { return .messageLineTooLong }
        return nil
    }

    /// Feeds one line event; returns true when it was the end-of-data marker.
    mutating func consume(_ event: LineEvent) -> Bool {
        switch event {
        case .line(let content, let ending):
            if ending == .crlf && previousEndedWithCRLF && content == [ASCII.dot] { return true }
            noteEnding(ending)
            // RFC 5321 §4.5.2: remove the first dot only when other characters follow; a lone "." that did not end
            // the data (bare LF around it) stays a "." line.
            let text = content.count > 1 && content.first == ASCII.dot ? content.dropFirst() : content[...]
            if text.count > Self.maximumTextLength {
                lineTooLong = true
            }
            append(text)
        case .tooLong:
            lineTooLong = true
        case .endOfLongLine(let ending):
            noteEnding(ending)
        }
        if failure != nil && !body.isEmpty {
            body = []
        }
        return false
    }

    private mutating func noteEnding(_ ending: LineEnding) {
        previousEndedWithCRLF = ending == .crlf
        if ending == .bareLF { sawBareLF = true }
    }

    private mutating func append(_ text: ArraySlice<UInt8>) {
        guard failure == nil else { return }
        let (newSize, overflow) = size.addingReportingOverflow(text.count + 2)
        guard !overflow, newSize <= maximumSize else {
            sizeExceeded = true
            body = []
            return
        }
        size = newSize
        body += text
        body += ASCII.crlf
    }
}
