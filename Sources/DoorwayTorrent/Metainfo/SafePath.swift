// A relative file path that has been checked to stay inside the directory it is joined to. Torrent metadata is
// untrusted input; making this the only way to spell a file path means later code cannot skip the check.

/// A validated relative path, as a list of components.
///
/// Every component is non-empty valid UTF-8, not `.` or `..`, at most ``maximumComponentLength`` bytes, and holds
/// no `/`, `\`, NUL or other control character (Unicode general category Cc). Because no component may be empty or
/// contain a separator, the path can be neither absolute nor escape its root. The whole relative path is at most
/// ``maximumLength`` bytes. The initialisers are the only way to make one.
///
/// Not checked: names Windows reserves (`CON`, trailing dots) and Unicode normalisation, which Linux does not care
/// about. Equality uses Swift `String` comparison (canonical equivalence), so it is the stricter choice when
/// ``Metainfo`` rejects duplicate paths.
///
/// ```swift
/// let path = try SafePath(["Season 1", "episode.mkv"])
/// path.destination(under: "/srv/downloads")   // "/srv/downloads/Season 1/episode.mkv"
/// try SafePath(["..", "etc", "passwd"])        // throws SafePathError
/// ```
public struct SafePath: Sendable, Hashable, CustomStringConvertible {
    /// Longest accepted component, in UTF-8 bytes (NAME_MAX on Linux).
    public static let maximumComponentLength = 255
    /// Longest accepted relative path, in UTF-8 bytes including the `/` separators (PATH_MAX on Linux).
    public static let maximumLength = 4096

    public let components: [String]

    /// Validates `components`.
    public init(_ components: [String]) throws(SafePathError) {
        guard !components.isEmpty else { throw SafePathError(.noComponents, in: components) }
        var totalLength = components.count - 1
        for (index, component) in components.enumerated() {
            try Self.check(component, index: index, in: components)
            totalLength += component.utf8.count
        }
        guard totalLength <= Self.maximumLength else {
            throw SafePathError(.pathTooLong(bytes: totalLength), in: components)
        }
        self.components = components
    }

    /// Validates raw byte components, as found in a torrent; each must be valid UTF-8.
    public init(validating rawComponents: [[UInt8]]) throws(SafePathError) {
        var components: [String] = []
        components.reserveCapacity(rawComponents.count)
        for (index, raw) in rawComponents.enumerated() {
            guard let component = String(validating: raw, as: UTF8.self) else {
                let shown = rawComponents.map { String(decoding: $0, as: UTF8.self) }
                throw SafePathError(.invalidUTF8, component: index, in: shown)
            }
            components.append(component)
        }
        try self.init(components)
    }

    /// Splits `relativePath` at `/` and validates the parts, so `"a//b"`, `"/etc"` and `"a/../b"` all throw.
    public init(relativePath: String) throws(SafePathError) {
        try self.init(relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
    }

    /// This path followed by `other`; throws only when the result is too long.
    public func appending(_ other: SafePath) throws(SafePathError) -> SafePath {
        try SafePath(components + other.components)
    }

    /// The components joined with `/`.
    public var relativePath: String {
        components.joined(separator: "/")
    }

    /// `root` followed by the components, separated by `/`. Safe to hand to the file system: the result names
    /// `root` itself or something beneath it (symbolic links inside `root` aside, which are the caller's concern).
    public func destination(under root: String) -> String {
        if root.isEmpty { return relativePath }
        return root.hasSuffix("/") ? root + relativePath : root + "/" + relativePath
    }

    public var description: String {
        relativePath
    }

    private static func check(_ component: String, index: Int, in components: [String]) throws(SafePathError) {
        if component.isEmpty { throw SafePathError(.emptyComponent, component: index, in: components) }
        if component == "." || component == ".." {
            throw SafePathError(.dotComponent, component: index, in: components)
        }
        let length = component.utf8.count
        if length > maximumComponentLength {
            throw SafePathError(.componentTooLong(bytes: length), component: index, in: components)
        }
        for scalar in component.unicodeScalars {
            switch scalar {
            case "/": throw SafePathError(.containsSlash, component: index, in: components)
            case "\\": throw SafePathError(.containsBackslash, component: index, in: components)
            case "\0": throw SafePathError(.containsNUL, component: index, in: components)
            default:
                if scalar.properties.generalCategory == .control {
                    throw SafePathError(.containsControlCharacter(scalar.value), component: index, in: components)
                }
            }
        }
    }
}
