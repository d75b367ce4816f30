// Reads a stored RFC 5322 / MIME message for `door mail inbox` and `door mail show`.

/// A stored message (a Maildir file, LF or CRLF line endings) read for display. Parsing never fails: malformed
/// or hostile input yields whatever could be recovered, in time proportional to its size.
public struct MailMessage: Sendable {
    /// Header fields in order, unfolded, names as written, values not decoded.
    public var fields: [MailField]
    /// The octets after the header block, still transfer-encoded.
    public var body: [UInt8]

    /// Parses a message; a leading `Return-Path:` or mbox `From ` line is handled like any other header line.
    public init(_ bytes: [UInt8]) {
        let (fields, body) = MailField.parseBlock(bytes[...])
        self.fields = fields
        self.body = Array(body)
    }

    /// The raw value of the first field with this name, compared case-insensitively.
    public func field(_ name: String) -> String? {
        fields.first { $0.hasName(name) }?.value
    }

    /// The first field with this name with RFC 2047 encoded-words decoded (B and Q; UTF-8, ISO-8859-1,
    /// US-ASCII, Windows-1252). Words in other charsets are left as written.
    public func decodedField(_ name: String) -> String? {
        field(name).map(EncodedWord.decode)
    }

    /// The decoded Subject, with control characters turned into spaces so a listing stays one line per message.
    public var subject: String? {
        displayField("Subject")
    }

    /// The decoded From, with control characters turned into spaces.
    public var from: String? {
        displayField("From")
    }

    /// The Date as written (decoded, control characters turned into spaces); not parsed.
    public var date: String? {
        displayField("Date")
    }

    private func displayField(_ name: String) -> String? {
        decodedField(name).map { ASCII.trimmingBlanks(MIME.replacingControls($0)) }
    }

    /// The text to show and the media type it came from ("text/plain", "text/html", …). A single-part message
    /// shows its body if it is any text/* type (no Content-Type means text/plain). A multipart message shows its
    /// first text/plain part, searched depth-first through nested multiparts and skipping parts marked as
    /// attachments, else its first such text/html part. The transfer encoding is undone, the charset decoded
    /// (unknown charsets and invalid UTF-8 give replacement characters) and line breaks become LF. Nil when the
    /// message has no displayable text (e.g. only a PDF).
    public var text: (mediaType: String, body: String)? {
        let root = MIMEEntity(fields: fields, body: body[...])
        if !root.isMultipart {
            return root.contentType.value.hasPrefix("text/") ? (root.contentType.value, root.text) : nil
        }
        let candidates = root.leaves.filter { !$0.isAttachment }
        for wanted in ["text/plain", "text/html"] {
            if let part = candidates.first(where: { $0.contentType.value == wanted }) {
                return (wanted, part.text)
            }
        }
        return nil
    }

    /// File names of the parts that carry one (Content-Disposition filename, else Content-Type name; RFC 2231
    /// and encoded-word forms decoded; control characters turned into spaces), in document order.
    public var attachmentNames: [String] {
        MIMEEntity(fields: fields, body: body[...]).leaves.compactMap(\.fileName)
    }
}
