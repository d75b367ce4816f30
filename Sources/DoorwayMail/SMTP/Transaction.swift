// The state of one mail transaction (MAIL, RCPT..., DATA), reset by RSET, HELO/EHLO and the end of data.

struct Transaction: Sendable, Equatable {
    var reversePath: String
    var recipients: [String] = []
    var smtputf8: Bool
    var eightBitMIME: Bool
}
