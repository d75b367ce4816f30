// Parses the ESMTP parameters of MAIL FROM (SIZE, BODY, SMTPUTF8), because each extension we advertise must
// be honoured and anything else refused with 555 (RFC 5321 §4.1.1.11).

struct MailParameters: Sendable, Equatable {
    enum Failure: Error, Equatable {
        /// Malformed value or duplicate keyword: 501 5.5.4.
        case syntax(String)
        /// A keyword we did not advertise: 555 5.5.4.
        case unsupported(String)
    }

    /// Declared size; Int.max when the number does not fit, which is simply "too big".
    var size: Int?
    var eightBitMIME = false
    var smtputf8 = false

    static func parse(_ text: ArraySlice<UInt8>) -> Result<MailParameters, Failure> {
        var parameters = MailParameters()
        var seen: Set<String> = []
        for item in text.split(separator: ASCII.space) {
            let equals = item.firstIndex(of: ASCII.equals)
            let keywordBytes = item[..<(equals ?? item.endIndex)]
            let value = equals.map { item[($0 + 1)...] }
            guard let keyword = ASCII.uppercasedToken(keywordBytes) else {
                return .failure(.syntax("bad parameter \(ASCII.echoable(item))"))
            }
            guard seen.insert(keyword).inserted else {
                return .failure(.syntax("duplicate parameter \(keyword)"))
            }
            switch keyword {
            case "SIZE":
                guard let value, let size = parseSize(value) else {
                    return .failure(.syntax("bad SIZE parameter"))
                }
                parameters.size = size
            case "BODY":
                if let value, ASCII.equalsIgnoringCase(value, "8BITMIME") {
                    parameters.eightBitMIME = true
                } else if let value, ASCII.equalsIgnoringCase(value, "7BIT") {
                    parameters.eightBitMIME = false
                } else {
                    return .failure(.syntax("bad BODY parameter"))
                }
            case "SMTPUTF8":
                guard value == nil else { return .failure(.syntax("SMTPUTF8 takes no value")) }
                parameters.smtputf8 = true
            default:
                return .failure(.unsupported(ASCII.echoable(keywordBytes)))
            }
        }
        return .success(parameters)
    }

    /// Decimal digits only; values beyond Int saturate so a huge declaration is rejected as too big, never trapped.
    private static func parseSize(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 40, digits.allSatisfy(ASCII.isDigit) else { return nil }
        var total = 0
        for digit in digits {
            let (shifted, overflowA) = total.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int(digit - 0x30))
            if overflowA || overflowB { return Int.max }
            total = sum
        }
        return total
    }
}
