// Finding the programs a test drives: the `door` binary and peers such as nc and socat.

import Foundation

/// The path of the `door` binary to test.
///
/// The environment variable `DOOR_BINARY` wins when set. Otherwise the binary is looked for as a file named
/// `door` in the folder of the running executable (the `.xctest` that SwiftPM builds next to `door`) and in
/// each folder above it, so on macOS a bundle's `Contents/MacOS` finds the `door` beside the bundle.
///
/// Add the `door` executable target to the test target's dependencies so `swift build` and `swift test`
/// build it.
///
/// - Throws: ``DoorwayTestingError`` naming the places it looked.
public func doorExecutable() throws -> String {
    let environment = ProcessInfo.processInfo.environment
    if let path = environment["DOOR_BINARY"], !path.isEmpty {
        guard isExecutableFile(path) else {
            throw DoorwayTestingError(
                "DOOR_BINARY is \"\(path)\", which is not an executable file; unset it or build door")
        }
        return path
    }
    let running = runningExecutablePath()
    var folder = URL(fileURLWithPath: running).deletingLastPathComponent()
    var searched: [String] = []
    while true {
        let candidate = folder.appendingPathComponent("door").path
        searched.append(candidate)
        if isExecutableFile(candidate) { return candidate }
        let parent = folder.deletingLastPathComponent()
        if parent.path == folder.path { break }
        folder = parent
    }
    throw DoorwayTestingError(
        "cannot find the door binary: no executable named door beside \(running) or in a folder above it "
            + "(looked at \(searched.prefix(3).joined(separator: ", ")), …); build it with `swift build` "
            + "(add \"door\" to the test target's dependencies) or set DOOR_BINARY"
    )
}

/// The absolute path of an executable on `PATH`, or an error that says how to install it.
///
/// Interop tests call this for each real peer before using it, so a missing peer fails the test with
/// `installHint` instead of skipping it silently.
///
/// - Parameters:
///   - name: The program's name, such as `nc`.
///   - installHint: What to do about it, such as the test command that installs it.
public func requiredExecutable(named name: String, installHint: String) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") where !folder.isEmpty {
        let candidate = "\(folder)/\(name)"
        if isExecutableFile(candidate) { return candidate }
    }
    throw DoorwayTestingError("\(name) is not installed (not found on PATH \(path)): \(installHint)")
}

private func isExecutableFile(_ path: String) -> Bool {
    var isFolder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
        && FileManager.default.isExecutableFile(atPath: path)
}

private func runningExecutablePath() -> String {
    #if os(Linux)
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        return resolved
    }
    #endif
    return Bundle.main.executablePath ?? CommandLine.arguments[0]
}
