// Settings that shape an SMTP session's policy and limits, supplied once by the server that owns the sessions.

public struct SMTPConfiguration: Sendable {
    /// The largest message accepted unless the host says otherwise: 25 MiB (26214400 octets). Hosts and tools
    /// that offer the setting take their default from here, so it is written once.
    public static let defaultMaximumMessageSize = 25 * 1024 * 1024

    /// Used in the greeting, the EHLO reply and the Received header.
    public var hostname: String
    /// Domains we accept mail for, lower-cased; empty means accept every recipient (a mail catcher).
    public var domains: [String]
    /// Largest message accepted, counted as the un-stuffed content with CRLF line endings, before Received.
    public var maximumMessageSize: Int = Self.defaultMaximumMessageSize
    /// RFC 5321 §4.5.3.1.8 requires at least 100; further RCPTs get 452 4.5.3.
    public var maximumRecipients: Int = 100
    /// Once this many client errors accumulate the session replies 421 4.7.0 and closes.
    public var maximumErrors: Int = 10
    /// false: a bare LF ends a line and is normalised to CRLF (Postfix smtpd_forbid_bare_newline=normalize);
    /// true: any bare LF is rejected with 554 5.5.2.
    public var strictLineEndings: Bool = false

    public init(
        hostname: String,
        domains: [String] = [],
        maximumMessageSize: Int = Self.defaultMaximumMessageSize,
        maximumRecipients: Int = 100,
        maximumErrors: Int = 10,
        strictLineEndings: Bool = false
    ) {
        self.hostname = hostname
        self.domains = domains
        self.maximumMessageSize = maximumMessageSize
        self.maximumRecipients = maximumRecipients
        self.maximumErrors = maximumErrors
        self.strictLineEndings = strictLineEndings
    }
}
