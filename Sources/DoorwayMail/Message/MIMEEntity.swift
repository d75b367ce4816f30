// A MIME entity (the message or one body part) with its multipart children, parsed from octets.

/// One MIME entity. Children are parsed eagerly but only to a bounded depth, and every part is a slice of the
/// original octets, so hostile nesting costs at most depth × size work.
struct MIMEEntity: Sendable {
    /// Real clients nest three or four levels; the bound keeps deliberately deep input cheap.
    static let maximumDepth = 20

    /// RFC 2046 limits boundaries to 70 characters; a little slack tolerates sloppy generators.
    private static let maximumBoundaryLength = 200

    var fields: [MailField]
    var body: ArraySlice<UInt8>
    /// The Content-Type, defaulting to text/plain when missing or unusable (RFC 2045 §5.2).
    var contentType: MIMEHeaderValue
    var parts: [MIMEEntity]

    init(fields: [MailField], body: ArraySlice<UInt8>, depth: Int = 0) {
        self.fields = fields
        self.body = body
        var type = fields.first { $0.hasName("Content-Type") }.map { MIMEHeaderValue($0.value) }
        if let parsed = type, !parsed.value.contains("/") {
            type = nil
        }
        contentType = type ?? MIMEHeaderValue("text/plain")
        parts = []
        if isMultipart, depth < Self.maximumDepth, let boundary = contentType.parameter("boundary"),
            !boundary.isEmpty, boundary.utf8.count <= Self.maximumBoundaryLength
        {
            parts = Self.split(body, boundary: Array(boundary.utf8)).map { part in
                let (partFields, partBody) = MailField.parseBlock(part)
                return MIMEEntity(fields: partFields, body: partBody, depth: depth + 1)
            }
        }
    }

    var isMultipart: Bool {
        contentType.value.hasPrefix("multipart/")
    }

    var disposition: MIMEHeaderValue? {
        fields.first { $0.hasName("Content-Disposition") }.map { MIMEHeaderValue($0.value) }
    }

    var isAttachment: Bool {
        disposition?.value == "attachment"
    }

    /// The attachment's file name: Content-Disposition filename, else the older Content-Type name, with
    /// encoded-words decoded (Outlook and others put them there despite RFC 2047 §5).
    var fileName: String? {
        guard let raw = disposition?.parameter("filename") ?? contentType.parameter("name") else { return nil }
        let name = ASCII.trimmingBlanks(MIME.replacingControls(EncodedWord.decode(raw)))
        return name.isEmpty ? nil : name
    }

    /// Leaf entities in document order; multipart entities whose parts could not be found contribute nothing.
    var leaves: [MIMEEntity] {
        var result: [MIMEEntity] = []
        collectLeaves(into: &result)
        return result
    }

    private func collectLeaves(into result: inout [MIMEEntity]) {
        if isMultipart {
            for part in parts {
                part.collectLeaves(into: &result)
            }
        } else {
            result.append(self)
        }
    }

    /// The body with its Content-Transfer-Encoding undone; unknown encodings are passed through.
    var decodedBody: [UInt8] {
        let encoding = fields.first { $0.hasName("Content-Transfer-Encoding") }
            .map { ASCII.lowercased(ASCII.trimmingBlanks($0.value)) }
        switch encoding {
        case "quoted-printable"?: return MIME.decodeQuotedPrintable(body)
        case "base64"?: return MIME.decodeBase64(body)
        default: return Array(body)
        }
    }

    /// The body as text in its declared charset, with CRLF and bare CR turned into LF for display.
    var text: String {
        let decoded = MailCharset.decode(decodedBody, label: contentType.parameter("charset"))
        guard decoded.utf8.contains(ASCII.cr) else { return decoded }
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in decoded.unicodeScalars {
            if scalar == "\r" {
                scalars.append("\n")
                previousWasCR = true
                continue
            }
            if !(scalar == "\n" && previousWasCR) {
                scalars.append(scalar)
            }
            previousWasCR = false
        }
        return String(scalars)
    }

    /// The parts between boundary delimiter lines (RFC 2046 §5.1.1): the line break before a delimiter belongs
    /// to it, the preamble and epilogue are ignored, and a missing close delimiter ends the last part at the end.
    static func split(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        let delimiter = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var start = body.startIndex
        while start < body.endIndex {
            let (range, next) = ASCII.line(in: body, from: start)
            let line = body[range]
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let isClose = rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")])
                let tail = isClose ? rest.dropFirst(2) : rest
                if tail.allSatisfy(ASCII.isBlank) {
                    if let contentStart = partStart {
                        parts.append(body[contentStart..<contentEnd(before: start, in: body, from: contentStart)])
                    }
                    if isClose {
                        return parts
                    }
                    partStart = next
                }
            }
            start = next
        }
        if let contentStart = partStart {
            parts.append(body[contentStart...])
        }
        return parts
    }

    /// Where a part ends given the start of the delimiter line after it: before that line's preceding break.
    private static func contentEnd(before lineStart: Int, in body: ArraySlice<UInt8>, from partStart: Int) -> Int {
        var end = lineStart
        if end > partStart && body[end - 1] == ASCII.lf {
            end -= 1
            if end > partStart && body[end - 1] == ASCII.cr {
                end -= 1
            }
        }
        return end
    }
}
