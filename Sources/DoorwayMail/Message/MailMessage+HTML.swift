// The HTML part of a stored message, for readers that can show it safely (the dashboard's sandboxed frame).

extension MailMessage {
    /// The message's HTML, decoded like ``text``: a single-part text/html message's body, else the first
    /// text/html part of a multipart message (depth-first, skipping attachments). Nil when there is none.
    ///
    /// The HTML is the sender's, unfiltered: show it only where its scripts cannot run and it cannot load
    /// anything (a sandboxed frame served with a `sandbox` Content-Security-Policy).
    public var html: String? {
        let root = MIMEEntity(fields: fields, body: body[...])
        if !root.isMultipart {
            return root.contentType.value == "text/html" ? root.text : nil
        }
        return root.leaves.first { !$0.isAttachment && $0.contentType.value == "text/html" }?.text
    }
}
