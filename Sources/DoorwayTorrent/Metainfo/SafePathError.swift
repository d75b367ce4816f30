// Why a file path from torrent metadata (or a caller) was refused, naming the offending component.

/// A path failed ``SafePath`` validation.
///
/// ```swift
/// do { _ = try SafePath(["a", ".."]) }
/// catch { print(error) }   // unsafe path "a/..": component 1 is "." or ".."
/// ```
public struct SafePathError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case noComponents
        /// An empty component; as the first one it would make the path absolute.
        case emptyComponent
        case dotComponent
        case containsSlash
        case containsBackslash
        case containsNUL
        case containsControlCharacter(UInt32)
        case invalidUTF8
        case componentTooLong(bytes: Int)
        case pathTooLong(bytes: Int)
    }

    public var reason: Reason
    /// Index of the offending component, when one component is to blame.
    public var component: Int?
    /// The rejected path, for display (control characters escaped).
    public var path: String

    init(_ reason: Reason, component: Int? = nil, in components: [String]) {
        self.reason = reason
        self.component = component
        self.path = Self.display(components)
    }

    public var description: String {
        let whose = component.map { "component \($0) " } ?? ""
        let problem: String
        switch reason {
        case .noComponents:
            problem = "path has no components"
        case .emptyComponent:
            problem = component == 0 ? "\(whose)is empty (an absolute path)" : "\(whose)is empty"
        case .dotComponent:
            problem = "\(whose)is \".\" or \"..\""
        case .containsSlash:
            problem = "\(whose)contains '/'"
        case .containsBackslash:
            problem = "\(whose)contains '\\'"
        case .containsNUL:
            problem = "\(whose)contains NUL"
        case .containsControlCharacter(let value):
            problem = "\(whose)contains control character U+\(Self.hex4(value))"
        case .invalidUTF8:
            problem = "\(whose)is not valid UTF-8"
        case .componentTooLong(let bytes):
            problem = "\(whose)is \(bytes) bytes, more than \(SafePath.maximumComponentLength)"
        case .pathTooLong(let bytes):
            problem = "path is \(bytes) bytes, more than \(SafePath.maximumLength)"
        }
        return "unsafe path \"\(path)\": \(problem)"
    }

    private static func display(_ components: [String]) -> String {
        var out = ""
        for scalar in components.joined(separator: "/").unicodeScalars.prefix(300) {
            if scalar.properties.generalCategory == .control || scalar == "\"" {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
