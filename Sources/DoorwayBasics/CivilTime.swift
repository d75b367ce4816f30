// A moment broken down into UTC calendar fields, and the day and month names Internet dates are written with.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Seconds since 1970 as a UTC calendar date and time of day: what HTTP dates, mail dates, access-log
/// timestamps and folder listings are all written from.
///
/// ```swift
/// let time = CivilTime(secondsSince1970: 784_111_777)
/// time.imfDate(zone: "GMT")   // "Sun, 06 Nov 1994 08:49:37 GMT"
/// ```
package struct CivilTime: Equatable, Sendable {
    package static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    package static let longDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    package static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// Every format written from this has a four-digit year, so times are clamped to 0001-01-01 ... 9999-12-31
    /// rather than producing a malformed field (or failing inside gmtime_r) for absurd timestamps.
    package static let earliest = -62_135_596_800
    package static let latest = 253_402_300_799

    /// 1...12.
    package var year, month, day, hour, minute, second: Int
    /// 0 (Sunday) ... 6.
    package var weekday: Int

    package init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (
            year, month, day, hour, minute, second
        )
        self.weekday = weekday
    }

    /// `secondsSince1970`, clamped to years 1 ... 9999, in UTC.
    package init(secondsSince1970: Int) {
        var seconds = time_t(min(max(secondsSince1970, Self.earliest), Self.latest))
        var broken = tm()
        guard gmtime_r(&seconds, &broken) != nil else {
            // Unreachable for the clamped range; the epoch is a harmless answer should libc ever refuse.
            self.init(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, weekday: 4)
            return
        }
        self.init(
            year: Int(broken.tm_year) + 1900, month: Int(broken.tm_mon) + 1, day: Int(broken.tm_mday),
            hour: Int(broken.tm_hour), minute: Int(broken.tm_min), second: Int(broken.tm_sec),
            weekday: Int(broken.tm_wday))
    }

    /// The seconds since 1970 of a date and time of day in UTC, without validation (timegm rolls 31 Feb into
    /// March); callers keep every field small, so the Int32 conversions cannot trap.
    package static func secondsSince1970(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    ) -> Int {
        var broken = tm()
        broken.tm_year = Int32(year - 1900)
        broken.tm_mon = Int32(month - 1)
        broken.tm_mday = Int32(day)
        broken.tm_hour = Int32(hour)
        broken.tm_min = Int32(minute)
        broken.tm_sec = Int32(second)
        return Int(timegm(&broken))
    }

    package static func daysIn(month: Int, year: Int) -> Int {
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

    package var dayName: String { Self.dayNames[weekday] }
    package var monthName: String { Self.monthNames[month - 1] }

    /// The RFC 5322 / IMF-fixdate shape, `Sun, 06 Nov 1994 08:49:37 ZONE`: HTTP writes `GMT`, mail `+0000`.
    package func imfDate(zone: String) -> String {
        "\(dayName), \(Self.pad2(day)) \(monthName) \(Self.pad4(year)) \(clock) \(zone)"
    }

    /// `08:49:37`.
    package var clock: String { "\(Self.pad2(hour)):\(Self.pad2(minute)):\(Self.pad2(second))" }

    package static func pad2(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    package static func pad4(_ value: Int) -> String {
        let digits = "\(value)"
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
