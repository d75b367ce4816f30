// Breaking seconds since 1970 into UTC calendar fields, and the IMF date shape HTTP and mail both write.

import DoorwayBasics
import Testing

@Suite struct CivilTimeTests {
    @Test("RFC 9110's example date, with HTTP's and mail's zones")
    func imfDate() {
        let time = CivilTime(secondsSince1970: 784_111_777)
        #expect(time.imfDate(zone: "GMT") == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(time.imfDate(zone: "+0000") == "Sun, 06 Nov 1994 08:49:37 +0000")
        #expect(time.weekday == 0 && time.month == 11 && time.clock == "08:49:37")
    }

    @Test("times are clamped to years 1 ... 9999 and converted back")
    func clampedAndBack() {
        #expect(CivilTime(secondsSince1970: .min).year == 1)
        #expect(CivilTime(secondsSince1970: .max).imfDate(zone: "GMT") == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(
            CivilTime.secondsSince1970(year: 1994, month: 11, day: 6, hour: 8, minute: 49, second: 37) == 784_111_777)
        #expect(CivilTime.daysIn(month: 2, year: 2024) == 29 && CivilTime.daysIn(month: 2, year: 2100) == 28)
    }
}
