// Formats and parses the HTTP date formats of RFC 9110 §5.6.7 and the Common Log Format timestamp.

import DoorwayBasics

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Conversions between seconds since 1970 (UTC) and the textual dates HTTP and access logs use.
public enum HTTPDate: Sendable {
    private static let dayNames = CivilTime.dayNames
    private static let longDayNames = CivilTime.longDayNames
    private static let monthNames = CivilTime.monthNames

    /// IMF-fixdate, the only format a server may generate: `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func format(_ secondsSince1970: Int) -> String {
        CivilTime(secondsSince1970: secondsSince1970).imfDate(zone: "GMT")
    }

    /// Common Log Format timestamp without brackets, always in UTC: `10/Oct/2000:13:55:36 +0000`.
    public static func commonLogFormat(_ secondsSince1970: Int) -> String {
        let c = CivilTime(secondsSince1970: secondsSince1970)
        return "\(CivilTime.pad2(c.day))/\(c.monthName)/\(CivilTime.pad4(c.year)):\(c.clock) +0000"
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

    // MARK: - Parsing

    /// `Sun, 06 Nov 1994 08:49:37 GMT`
    private static func parseIMFFixdate(_ s: inout Scanner) -> Int? {
        guard let date = parseDayFirst(&s, dayNames: dayNames, separator: " ", yearDigits: 4) else { return nil }
        return makeTime(year: date.year, month: date.month + 1, day: date.day, clock: date.clock)
    }

    /// `Sunday, 06-Nov-94 08:49:37 GMT`
    private static func parseRFC850(_ s: inout Scanner, now: Int) -> Int? {
        guard let date = parseDayFirst(&s, dayNames: longDayNames, separator: "-", yearDigits: 2) else { return nil }
        let (day, month, shortYear, clock) = date
        // RFC 9110 §5.6.7: a date more than 50 years in the future means the most recent past year with the
        // same last two digits. Taking the latest such year that is not too far ahead also handles dates near
        // a century boundary.
        let today = CivilTime(secondsSince1970: now)
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

    /// The grammar IMF-fixdate and RFC 850 dates share: `DAYNAME, DD MON YEAR HH:MM:SS GMT`, with `separator`
    /// between day, month and year. The month is 0-based.
    private static func parseDayFirst(
        _ s: inout Scanner, dayNames: [String], separator: String, yearDigits: Int
    ) -> (day: Int, month: Int, year: Int, clock: (Int, Int, Int))? {
        guard s.word(from: dayNames) != nil, s.literal(", "),
            let day = s.digits(2), s.literal(separator),
            let month = s.word(from: monthNames), s.literal(separator),
            let year = s.digits(yearDigits), s.literal(" "),
            let clock = parseTimeOfDay(&s), s.literal(" GMT"), s.atEnd
        else { return nil }
        return (day, month, year, clock)
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
        guard (1...12).contains(month), day >= 1, day <= CivilTime.daysIn(month: month, year: year) else { return nil }
        return timestamp(year: year, month: month, day: day, clock: clock)
    }

    private static func timestamp(year: Int, month: Int, day: Int, clock: (Int, Int, Int)) -> Int {
        CivilTime.secondsSince1970(year: year, month: month, day: day, hour: clock.0, minute: clock.1, second: clock.2)
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
