// Formats and parses the HTTP date formats of RFC 9110 §5.6.7 and the Common Log Format timestamp.
#if canImport(Glibc)
    import Glibc
#endif

/// Conversions between seconds since 1970 (UTC) and the textual dates HTTP and access logs use.
public enum HTTPDate: Sendable {
    static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let longDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Every format here has a four-digit year, so times are clamped to 0001-01-01 ... 9999-12-31 rather than
    /// producing a malformed field (or failing inside gmtime_r) for absurd file timestamps.
    static let earliest = -62_135_596_800
    static let latest = 253_402_300_799

    /// A broken-down UTC time; `month` is 1...12 and `weekday` 0 (Sunday) ... 6.
    struct Components: Equatable, Sendable {
        var year: Int
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int
        var weekday: Int
    }

    /// IMF-fixdate, the only format a server may generate: `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func format(_ secondsSince1970: Int) -> String {
        let c = components(secondsSince1970)
        return "\(dayNames[c.weekday]), \(pad2(c.day)) \(monthNames[c.month - 1]) \(pad4(c.year)) "
            + "\(pad2(c.hour)):\(pad2(c.minute)):\(pad2(c.second)) GMT"
    }

    /// Common Log Format timestamp without brackets, always in UTC: `10/Oct/2000:13:55:36 +0000`.
    public static func commonLogFormat(_ secondsSince1970: Int) -> String {
        let c = components(secondsSince1970)
        return "\(pad2(c.day))/\(monthNames[c.month - 1])/\(pad4(c.year)):"
            + "\(pad2(c.hour)):\(pad2(c.minute)):\(pad2(c.second)) +0000"
    }

    /// Parses any of the three formats a recipient must accept; anything else yields nil so the caller can
    /// ignore the header field, which is what RFC 9110 asks for invalid conditional dates.
    public static func parse(_ text: String) -> Int? {
        // Only the RFC 850 two-digit-year rule depends on the current time.
        parse(text, now: Int(time(nil)))
    }

    /// `now` decides the century of RFC 850 two-digit years; injected so tests are deterministic.
    static func parse(_ text: String, now: Int) -> Int? {
        var scanner = Scanner(Array(text.utf8))
        if let value = parseIMFFixdate(&scanner) {
            return value
        }
        scanner.position = 0
        if let value = parseRFC850(&scanner, now: now) {
            return value
        }
        scanner.position = 0
        return parseAsctime(&scanner)
    }

    // MARK: - Breaking down

    static func components(_ secondsSince1970: Int) -> Components {
        var seconds = time_t(min(max(secondsSince1970, earliest), latest))
        var broken = tm()
        guard gmtime_r(&seconds, &broken) != nil else {
            // Unreachable for the clamped range; the epoch is a harmless answer should libc ever refuse.
            return Components(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, weekday: 4)
        }
        return Components(
            year: Int(broken.tm_year) + 1900,
            month: Int(broken.tm_mon) + 1,
            day: Int(broken.tm_mday),
            hour: Int(broken.tm_hour),
            minute: Int(broken.tm_min),
            second: Int(broken.tm_sec),
            weekday: Int(broken.tm_wday)
        )
    }

    static func pad2(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    static func pad4(_ value: Int) -> String {
        let digits = "\(value)"
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    // MARK: - Parsing

    /// `Sun, 06 Nov 1994 08:49:37 GMT`
    private static func parseIMFFixdate(_ s: inout Scanner) -> Int? {
        guard s.word(from: dayNames) != nil, s.literal(", "),
            let day = s.digits(2), s.literal(" "),
            let month = s.word(from: monthNames), s.literal(" "),
            let year = s.digits(4), s.literal(" "),
            let clock = parseTimeOfDay(&s), s.literal(" GMT"), s.atEnd
        else { return nil }
        return makeTime(year: year, month: month + 1, day: day, clock: clock)
    }

    /// `Sunday, 06-Nov-94 08:49:37 GMT`
    private static func parseRFC850(_ s: inout Scanner, now: Int) -> Int? {
        guard s.word(from: longDayNames) != nil, s.literal(", "),
            let day = s.digits(2), s.literal("-"),
            let month = s.word(from: monthNames), s.literal("-"),
            let shortYear = s.digits(2), s.literal(" "),
            let clock = parseTimeOfDay(&s), s.literal(" GMT"), s.atEnd
        else { return nil }
        // RFC 9110 §5.6.7: a date more than 50 years in the future means the most recent past year with the
        // same last two digits. Taking the latest such year that is not too far ahead also handles dates near
        // a century boundary.
        let today = components(now)
        let limitYear = today.year + 50
        // timegm normalises 29 Feb of a non-leap limit year to 1 Mar, which is the right limit then.
        let limit = timestamp(
            year: limitYear, month: today.month, day: today.day, clock: (today.hour, today.minute, today.second))
        let base = today.year - today.year % 100 + shortYear
        for year in stride(from: base + 100, through: base - 100, by: -100) where year <= limitYear {
            if year < limitYear {
                return makeTime(year: year, month: month + 1, day: day, clock: clock)
            }
            if let candidate = makeTime(year: year, month: month + 1, day: day, clock: clock), candidate <= limit {
                return candidate
            }
        }
        return nil
    }

    /// `Sun Nov  6 08:49:37 1994` (day is space-padded; a zero-padded day is tolerated as 2DIGIT allows).
    private static func parseAsctime(_ s: inout Scanner) -> Int? {
        guard s.word(from: dayNames) != nil, s.literal(" "),
            let month = s.word(from: monthNames), s.literal(" ")
        else { return nil }
        let day: Int
        if s.literal(" ") {
            guard let single = s.digits(1) else { return nil }
            day = single
        } else {
            guard let double = s.digits(2) else { return nil }
            day = double
        }
        guard s.literal(" "), let clock = parseTimeOfDay(&s), s.literal(" "),
            let year = s.digits(4), s.atEnd
        else { return nil }
        return makeTime(year: year, month: month + 1, day: day, clock: clock)
    }

    private static func parseTimeOfDay(_ s: inout Scanner) -> (Int, Int, Int)? {
        guard let hour = s.digits(2), s.literal(":"),
            let minute = s.digits(2), s.literal(":"),
            let second = s.digits(2)
        else { return nil }
        // Second 60 is allowed because time-of-day permits a leap second.
        guard hour < 24, minute < 60, second <= 60 else { return nil }
        return (hour, minute, second)
    }

    /// Validates the calendar date (timegm would silently roll 31 Feb into March) and converts it.
    private static func makeTime(year: Int, month: Int, day: Int, clock: (Int, Int, Int)) -> Int? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        return timestamp(year: year, month: month, day: day, clock: clock)
    }

    /// timegm without validation; callers keep every field small, so the Int32 conversions cannot trap.
    private static func timestamp(year: Int, month: Int, day: Int, clock: (Int, Int, Int)) -> Int {
        var broken = tm()
        broken.tm_year = Int32(year - 1900)
        broken.tm_mon = Int32(month - 1)
        broken.tm_mday = Int32(day)
        broken.tm_hour = Int32(clock.0)
        broken.tm_min = Int32(clock.1)
        broken.tm_sec = Int32(clock.2)
        return Int(timegm(&broken))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// A cursor over ASCII bytes; all date grammar here is fixed-width and case-sensitive.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        var atEnd: Bool { position == bytes.count }

        mutating func literal(_ text: String) -> Bool {
            let expected = Array(text.utf8)
            guard bytes.count - position >= expected.count,
                bytes[position..<position + expected.count].elementsEqual(expected)
            else { return false }
            position += expected.count
            return true
        }

        /// Exactly `count` ASCII digits; the fixed widths keep the value far from overflow.
        mutating func digits(_ count: Int) -> Int? {
            guard bytes.count - position >= count else { return nil }
            var value = 0
            for byte in bytes[position..<position + count] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += count
            return value
        }

        /// Index of the first word in `words` found at the cursor.
        mutating func word(from words: [String]) -> Int? {
            for (index, word) in words.enumerated() where literal(word) {
                return index
            }
            return nil
        }
    }
}
