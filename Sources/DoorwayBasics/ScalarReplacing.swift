// Replacing the characters a text format reserves, written once for HTML, TOML and the like.

extension String {
    /// The text with each Unicode scalar for which `replacement` returns text replaced by that text; the
    /// others are kept as they are.
    ///
    /// ```swift
    /// "a<b".replacingScalars { $0 == "<" ? "&lt;" : nil }   // "a&lt;b"
    /// ```
    package func replacingScalars(_ replacement: (Unicode.Scalar) -> String?) -> String {
        var output = ""
        output.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            if let replaced = replacement(scalar) {
                output += replaced
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
