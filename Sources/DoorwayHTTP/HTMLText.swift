// Text made safe to put in an HTML page.

import DoorwayBasics

/// Escapes text for HTML element content and double- or single-quoted attribute values, so a file name or
/// a service name can never become markup.
public enum HTMLText {
    /// The characters that could start markup or end a quoted attribute value, and their references.
    private static let references: [Unicode.Scalar: String] = [
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;",
    ]

    public static func escape(_ text: String) -> String {
        text.replacingScalars { references[$0] }
    }
}
