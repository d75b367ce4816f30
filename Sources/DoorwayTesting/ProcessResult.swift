// How a finished test process ended and what it wrote.

/// How a process ended.
public enum ProcessTermination: Sendable, Hashable, CustomStringConvertible {
    /// It called `exit` with this status.
    case exited(Int32)
    /// A signal with this number ended it.
    case signaled(Int32)

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signaled(let signal): "was killed by signal \(signal)"
        }
    }
}

/// What a finished process left: how it ended and everything it wrote.
public struct ProcessResult: Sendable, CustomStringConvertible {
    /// The command line that ran.
    public var command: [String]
    /// How it ended; `nil` if it could not be stopped even with `SIGKILL`.
    public var termination: ProcessTermination?
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]
    /// Whether it was killed because it outlived its timeout.
    public var timedOut: Bool

    /// The exit status, or `nil` if a signal ended the process.
    public var exitCode: Int32? {
        if case .exited(let status) = termination { return status }
        return nil
    }

    public var standardOutputText: String { String(decoding: standardOutput, as: UTF8.self) }
    public var standardErrorText: String { String(decoding: standardError, as: UTF8.self) }

    /// The command, how it ended and its output: enough to tell why a test failed.
    public var description: String {
        let ending = timedOut ? "was killed after its timeout" : (termination?.description ?? "could not be stopped")
        return "`\(command.joined(separator: " "))` \(ending)\n"
            + "  stdout: \(quoted(standardOutput))\n  stderr: \(quoted(standardError))"
    }
}

/// The first 4000 bytes of `bytes` as text in quotes, for error messages.
func quoted(_ bytes: [UInt8]) -> String {
    if bytes.isEmpty { return "(nothing)" }
    let text = String(decoding: bytes.prefix(4000), as: UTF8.self)
    return "\"\(text)\"" + (bytes.count > 4000 ? " … (\(bytes.count) bytes)" : "")
}
