// A folder of a test's own: made unique under the temporary folder, removed with everything in it at the end.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A new, empty folder that no other test (or test run) uses, such as `/tmp/doorway-mail-k3J9aQ`.
///
/// ```swift
/// let folder = try TemporaryFolder("mail")
/// defer { folder.remove() }
/// let store = try MaildirStore(root: folder.path("store"))
/// ```
///
/// Or, removed however `body` ends:
///
/// ```swift
/// try await withTemporaryFolder("web") { folder in
///     try "hello".write(toFile: folder.path("index.html"), atomically: true, encoding: .utf8)
/// }
/// ```
public struct TemporaryFolder: Sendable, CustomStringConvertible {
    /// The folder's absolute path, without a trailing slash.
    public let path: String

    /// Makes the folder in `/tmp`, named `doorway-LABEL-` and six random characters (with mode 0700).
    ///
    /// `/tmp` rather than `$TMPDIR`: its paths are short enough for Unix sockets, and the same for a test
    /// that runs a program as another user.
    ///
    /// - Parameter label: A word for the test, so a folder left behind says whose it is.
    /// - Throws: ``DoorwayTestingError`` when the folder cannot be made.
    public init(_ label: String = "test") throws {
        var template = Array("/tmp/doorway-\(label)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw DoorwayTestingError("cannot make a temporary folder in /tmp: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    /// The path of `relative` inside the folder; nothing is made.
    public func path(_ relative: String) -> String {
        path + "/" + relative
    }

    /// Makes the folder `relative` inside this one, with any folders above it, and returns its path.
    @discardableResult
    public func makeFolder(_ relative: String) throws -> String {
        let folder = path(relative)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Removes the folder and everything in it. Removing twice does nothing.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    public var description: String { path }
}

/// Runs `body` with a new ``TemporaryFolder`` and removes the folder afterwards, also when `body` throws.
public func withTemporaryFolder<Result>(
    _ label: String = "test", _ body: (TemporaryFolder) async throws -> Result
) async throws -> Result {
    let folder = try TemporaryFolder(label)
    defer { folder.remove() }
    return try await body(folder)
}
