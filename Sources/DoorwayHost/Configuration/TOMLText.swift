// Writing TOML values as text, for rendered configurations and for error messages.

import DoorwayBasics

/// TOML literals for the values a configuration holds.
enum TOMLText {
    /// The escapes a basic string has a short form for.
    private static let escapes: [Unicode.Scalar: String] = [
        "\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r",
    ]

    /// A basic string, with quotes, backslashes and control characters escaped.
    static func quoted(_ string: String) -> String {
        let escaped = string.replacingScalars { scalar in
            if let escape = escapes[scalar] { return escape }
            guard scalar.value < 0x20 || scalar.value == 0x7F else { return nil }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        return "\"" + escaped + "\""
    }

    /// An array of strings on one line.
    static func array(_ strings: [String]) -> String {
        "[" + strings.map(quoted).joined(separator: ", ") + "]"
    }
}
