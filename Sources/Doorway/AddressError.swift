// The error for an address, port or service name that cannot be read.

/// An endpoint, host, port or service name that cannot be parsed, with what to do about it.
public struct AddressError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text as the user typed it.
    public var input: String
    /// What is wrong with it and how to fix it.
    public var reason: String

    public init(input: String, reason: String) {
        self.input = input
        self.reason = reason
    }

    public var description: String { "cannot parse \"\(input)\": \(reason)" }
}
