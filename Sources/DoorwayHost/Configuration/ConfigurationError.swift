// The error for a configuration file that cannot be used, pointing at the line to change.

/// A configuration that cannot be used: where it is wrong, what is wrong, and how to fix it.
///
/// Its ``description`` reads as a compiler's does:
///
/// ```
/// door.toml:12: service "web": key "listen": cannot parse endpoint "x:99999": port must be 0–65535;
///     write listen = [":8080"]
/// ```
/// (on one line).
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The configuration file as named to `door serve`.
    public var file: String
    /// The 1-based line the error is on, when it is known.
    public var line: Int?
    /// The part of the file the key belongs to, such as `service "web"` or `[admin]`.
    public var section: String?
    /// The key whose value is wrong, when one is.
    public var key: String?
    /// What is wrong.
    public var message: String
    /// What to write instead.
    public var fix: String

    public init(
        file: String, line: Int? = nil, section: String? = nil, key: String? = nil, message: String,
        fix: String
    ) {
        (self.file, self.line, self.section, self.key, self.message, self.fix) =
            (file, line, section, key, message, fix)
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let section { text += "\(section): " }
        if let key { text += "key \"\(key)\": " }
        text += message
        if !fix.isEmpty { text += "; \(fix)" }
        return text
    }
}
