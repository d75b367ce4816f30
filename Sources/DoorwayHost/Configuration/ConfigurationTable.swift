// Typed reading of one TOML table's keys, with errors that point at the key's line.

import TOMLKit

/// One table of the configuration file (the top level, `[admin]` or one `[[service]]`), read key by key.
///
/// Each accessor returns nil for a missing key and throws a ``ConfigurationError`` naming the file, the
/// line, the key, the value found and an example of a right one for a value of the wrong type.
struct ConfigurationTable {
    let table: TOMLTable
    let section: ConfigurationSourceMap.Section
    /// How errors name the table, such as `service "web"`; nil for the top level.
    var title: String?
    let file: String
    let map: ConfigurationSourceMap
    /// The keys the table may have, for examples in fixes and for spotting unknown keys.
    var known: [ConfigurationKey]

    /// An error about `key` (or the table itself), on the key's line.
    func error(_ key: String?, _ message: String, fix: String) -> ConfigurationError {
        ConfigurationError(
            file: file,
            line: key.flatMap { map.line(ofKey: $0, in: section) } ?? map.line(of: section),
            section: title, key: key, message: message, fix: fix
        )
    }

    /// `write KEY = EXAMPLE`, the usual fix.
    func example(_ key: String) -> String {
        guard let example = ConfigurationKey.named(key, in: known)?.example else { return "remove it" }
        return "write \(key) = \(example)"
    }

    func has(_ key: String) -> Bool { table[key] != nil }

    func string(_ key: String) throws(ConfigurationError) -> String? {
        try value(key, expected: "a string") { $0.string }
    }

    /// A string that must not be empty.
    func text(_ key: String) throws(ConfigurationError) -> String? {
        guard let string = try string(key) else { return nil }
        guard !string.isEmpty else { throw error(key, "the value is empty", fix: example(key)) }
        return string
    }

    func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        try value(key, expected: "true or false") { $0.bool }
    }

    func int(_ key: String) throws(ConfigurationError) -> Int? {
        try value(key, expected: "a whole number") { $0.int }
    }

    /// The value of `key` as `convert` reads it; nil when the key is missing, an error naming `expected` when
    /// `convert` cannot read it.
    private func value<Value>(
        _ key: String, expected: String, _ convert: (any TOMLValueConvertible) -> Value?
    ) throws(ConfigurationError) -> Value? {
        guard let value = table[key] else { return nil }
        guard let converted = convert(value) else { throw wrongType(key, value, expected: expected) }
        return converted
    }

    /// A count or size that must be at least 1.
    func limit(_ key: String) throws(ConfigurationError) -> Int? {
        guard let int = try int(key) else { return nil }
        guard int > 0 else {
            throw error(key, "\(int) is not a limit: it must be at least 1", fix: example(key))
        }
        return int
    }

    /// Whole seconds, kept as a duration; ranges are checked by whoever uses it.
    func seconds(_ key: String) throws(ConfigurationError) -> Duration? {
        try int(key).map { .seconds($0) }
    }

    /// A string, or an array of strings, as an array.
    func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = table[key] else { return nil }
        if let string = value.string { return [string] }
        guard let array = value.array else {
            throw wrongType(key, value, expected: "a string or an array of strings")
        }
        var strings: [String] = []
        for element in array {
            guard let string = element.string else {
                throw wrongType(key, element, expected: "a string or an array of strings", inArray: true)
            }
            strings.append(string)
        }
        return strings
    }

    /// Refuses keys the table may not have, suggesting the closest known one.
    /// - Parameter elsewhere: where a key unknown here does belong, if anywhere (such as "smtp and pop3 services").
    func refuseUnknownKeys(elsewhere: (String) -> String? = { _ in nil }) throws(ConfigurationError) {
        let names = known.map(\.name)
        let unknown = table.keys.filter { !names.contains($0) }
            .sorted { (map.line(ofKey: $0, in: section) ?? 0) < (map.line(ofKey: $1, in: section) ?? 0) }
        guard let key = unknown.first else { return }
        if let owner = elsewhere(key) {
            throw error(
                key, "unknown key here: \"\(key)\" is a setting of \(owner)",
                fix: "remove it, or move it to such a service")
        }
        if let closest = ConfigurationKey.closest(to: key, in: names) {
            throw error(key, "unknown key", fix: "did you mean \"\(closest)\"? \(example(closest))")
        }
        throw error(key, "unknown key", fix: "the keys here are \(names.joined(separator: ", "))")
    }

    private func wrongType(
        _ key: String, _ value: any TOMLValueConvertible, expected: String, inArray: Bool = false
    ) -> ConfigurationError {
        let found = Self.describe(value)
        return error(
            key, "expected \(expected), found \(inArray ? "an element that is " : "")\(found)",
            fix: example(key))
    }

    /// A short description of a TOML value for an error, such as `the string "4096"`.
    static func describe(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return "the string \(TOMLText.quoted(value.string ?? ""))"
        case .int: return "the integer \(value.int ?? 0)"
        case .double: return "the number \(value.double ?? 0)"
        case .bool: return value.bool == true ? "true" : "false"
        case .array: return "an array"
        case .table: return "a table"
        default: return "a \(value.type)"
        }
    }
}
