// Unit tests of the line splitter that underlies both command and DATA parsing.
import Testing

@testable import DoorwayMail

@Suite struct LineReaderTests {
    func events(_ input: [[UInt8]], maximum: Int = 10) -> [LineEvent] {
        var reader = LineReader()
        var result: [LineEvent] = []
        for chunk in input {
            reader.append(chunk[...])
            while let event = reader.nextEvent(maximumLength: maximum) { result.append(event) }
            reader.compact()
        }
        return result
    }

    let a = UInt8(ascii: "a")
    let b = UInt8(ascii: "b")

    @Test func splitsOnCRLFAndBareLF() {
        #expect(events([[a, 0x0D, 0x0A, b, 0x0A]]) == [.line([a], .crlf), .line([b], .bareLF)])
    }

    @Test func bareCRIsContent() {
        #expect(events([[a, 0x0D, b, 0x0D, 0x0D, 0x0A]]) == [.line([a, 0x0D, b, 0x0D], .crlf)])
    }

    @Test func crlfSplitAcrossChunks() {
        #expect(events([[a, 0x0D], [0x0A]]) == [.line([a], .crlf)])
    }

    @Test func needsMoreInputWithoutLineFeed() {
        #expect(events([[a, b, 0x0D]]).isEmpty)
    }

    @Test func lineAtLimitIsReturnedAndOverLimitIsReportedOnce() {
        let ten = [UInt8](repeating: a, count: 10)
        #expect(events([ten + [0x0D, 0x0A]]) == [.line(ten, .crlf)])
        #expect(events([ten + [a, 0x0A, b, 0x0A]]) == [.tooLong, .endOfLongLine(.bareLF), .line([b], .bareLF)])
    }

    @Test func trailingCRDoesNotTriggerTooLongEarly() {
        let ten = [UInt8](repeating: a, count: 10)
        #expect(events([ten + [0x0D], [0x0A]]) == [.line(ten, .crlf)])
        #expect(events([ten + [0x0D], [a]]) == [.tooLong])
    }

    @Test func longLineEndingIsTrackedAcrossDiscardedChunks() {
        let long = [UInt8](repeating: a, count: 30)
        #expect(
            events([long, long + [0x0D], [0x0A, b, 0x0A]]) == [
                .tooLong, .endOfLongLine(.crlf),
                .line([b], .bareLF),
            ])
        #expect(events([long, [0x0D], [a], [0x0A]]) == [.tooLong, .endOfLongLine(.bareLF)])
    }

    @Test func truncateBoundsStorage() {
        var reader = LineReader()
        reader.append([UInt8](repeating: a, count: 100)[...])
        reader.truncate(to: 10)
        #expect(reader.bufferedCount == 10)
    }
}
