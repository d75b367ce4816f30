// What the I/O layer must do next on behalf of a session; the session itself performs no I/O.

public enum SMTPAction: Sendable, Equatable {
    /// Write the reply's bytes to the client.
    case reply(SMTPReply)
    /// A complete message to store durably; no reply is sent until deliveryFinished(...) is called.
    case deliver(SMTPEnvelope, message: [UInt8])
    /// Close the connection after writing any replies that precede this action.
    case close
}
