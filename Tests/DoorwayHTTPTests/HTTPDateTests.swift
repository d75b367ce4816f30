// Tests for HTTP date formatting and parsing (RFC 9110 §5.6.7) and the access-log timestamp.
import Testing

@testable import DoorwayHTTP

@Suite struct HTTPDateTests {
    /// The instant used by all the RFC 9110 examples: Sun, 06 Nov 1994 08:49:37 GMT.
    static let rfcExample = 784_111_777
    /// 2026-06-01T00:00:00Z, a fixed "now" for the two-digit-year rule.
    static let now2026 = 1_780_272_000

    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.format(Self.rfcExample) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(1_709_208_000) == "Thu, 29 Feb 2024 12:00:00 GMT")
        #expect(HTTPDate.format(-1) == "Wed, 31 Dec 1969 23:59:59 GMT")
    }

    @Test func formatClampsToFourDigitYears() {
        #expect(HTTPDate.format(Int.max) == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(HTTPDate.format(Int.min) == "Mon, 01 Jan 0001 00:00:00 GMT")
        #expect(HTTPDate.commonLogFormat(Int.max) == "31/Dec/9999:23:59:59 +0000")
    }

    @Test func commonLogFormat() {
        #expect(HTTPDate.commonLogFormat(971_186_136) == "10/Oct/2000:13:55:36 +0000")
        #expect(HTTPDate.commonLogFormat(0) == "01/Jan/1970:00:00:00 +0000")
    }

    @Test func parsesAllThreeRFCExamples() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Self.rfcExample)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == Self.rfcExample)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == Self.rfcExample)
    }

    @Test func asctimeAcceptsTwoDigitDays() {
        #expect(HTTPDate.parse("Wed Nov 16 08:49:37 1994") == Self.rfcExample + 10 * 86_400)
        #expect(HTTPDate.parse("Sun Nov 06 08:49:37 1994") == Self.rfcExample)
    }

    @Test func roundTripsFormattedDates() {
        var value = -2_000_000_000
        while value < 4_000_000_000 {
            #expect(HTTPDate.parse(HTTPDate.format(value)) == value)
            value += 7_777_777
        }
    }

    @Test func validatesCalendarDates() {
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 12:00:00 GMT") == 1_709_208_000)
        #expect(HTTPDate.parse("Wed, 29 Feb 2023 12:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Tue, 29 Feb 2100 12:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Tue, 29 Feb 2000 12:00:00 GMT") != nil)
        #expect(HTTPDate.parse("Sun, 31 Apr 1994 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("Sun, 00 Nov 1994 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("Sun, 32 Jan 1994 08:49:37 GMT") == nil)
    }

    @Test func validatesTimeOfDay() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 24:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:60:00 GMT") == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:61 GMT") == nil)
        // A leap second is valid syntax; it lands on the following second.
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:60 GMT") == Self.rfcExample + 23)
    }

    @Test(arguments: [
        "",
        "garbage",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 gmt",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        " Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun,06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT\u{0}",
        "Sun, ٠٦ Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06 Nov 94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT",
        "1994-11-06T08:49:37Z",
        "784111777",
    ])
    func rejectsEverythingElse(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test func weekdayNameIsNotCrossChecked() {
        // Most servers accept a wrong day name; the date digits are authoritative.
        #expect(HTTPDate.parse("Mon, 06 Nov 1994 08:49:37 GMT") == Self.rfcExample)
    }

    @Test func rfc850TwoDigitYearsUseTheFiftyYearRule() {
        let now = Self.now2026
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == Self.rfcExample)
        // 2026 itself and years up to 50 years ahead stay in the 21st century.
        #expect(HTTPDate.parse("Monday, 01-Jun-26 00:00:00 GMT", now: now) == now)
        #expect(HTTPDate.parse("Wednesday, 01-Jan-76 00:00:00 GMT", now: now) == 3_345_062_400)
        // 1 Dec 2076 is more than 50 years after 1 Jun 2026, so it means 1976.
        #expect(HTTPDate.parse("Wednesday, 01-Dec-76 00:00:00 GMT", now: now) == 218_246_400)
        #expect(HTTPDate.parse("Thursday, 01-Jan-70 00:00:00 GMT", now: now) == 3_155_760_000)
    }

    @Test func rfc850CenturyWindowMovesWithNow() {
        // In 1995, "94" is last year and "40" is 45 years ahead.
        let now1995 = 788_918_400
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: now1995) == Self.rfcExample)
        #expect(HTTPDate.parse("Sunday, 01-Jan-40 00:00:00 GMT", now: now1995) == 2_208_988_800)
        // In 2090, "10" is 20 years ahead, not 80 years ago.
        let now2090 = 3_786_912_000
        #expect(HTTPDate.parse("Sunday, 01-Jan-10 00:00:00 GMT", now: now2090) == 4_417_977_600)
    }

    @Test func rfc850LeapDayFallsBackToAValidCentury() {
        // In 2050 the limit year is 2100, which has no 29 February, so "00" must mean 2000.
        let now2050 = 2_524_608_000
        #expect(HTTPDate.parse("Tuesday, 29-Feb-00 00:00:00 GMT", now: now2050) == 951_782_400)
    }

    @Test func publicParseUsesTheCurrentClockForRFC850() {
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == Self.rfcExample)
    }
}
