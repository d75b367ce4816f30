// The one error DoorwayTesting throws: a test's set-up or a process it drives went wrong.

/// Something a test needs is missing, or a process did not do what the test waited for.
///
/// The description names what was expected, what happened instead (with the process's output), and the fix
/// where there is one, so a failing test reads as a diagnosis.
public struct DoorwayTestingError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
