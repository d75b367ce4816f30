// Tests for Range field interpretation and multipart/byteranges framing.
import Testing

@testable import DoorwayHTTP

@Suite struct RangeRequestTests {
    /// The examples of RFC 9110 §14.1.2 for a 10000-byte representation.
    @Test(arguments: [
        ("bytes=0-499", [0...499]),
        ("bytes=500-999", [500...999]),
        ("bytes=-500", [9500...9999]),
        ("bytes=9500-", [9500...9999]),
        ("bytes=0-0,-1", [0...0, 9999...9999]),
        ("bytes=0-999, 4500-5499, -1000", [0...999, 4500...5499, 9000...9999]),
    ])
    func rfcExamples(field: String, expected: [ClosedRange<Int>]) {
        #expect(RangeRequest.parse(field, length: 10_000) == .satisfiable(expected))
    }

    @Test func overlappingAndAdjacentRangesAreCoalesced() {
        // RFC 9110's "bytes=500-600,601-999" and "bytes=500-700,601-999" both mean the second 500 bytes.
        #expect(RangeRequest.parse("bytes=500-600,601-999", length: 10_000) == .satisfiable([500...999]))
        #expect(RangeRequest.parse("bytes=500-700,601-999", length: 10_000) == .satisfiable([500...999]))
        #expect(RangeRequest.parse("bytes=0-10,5-6", length: 100) == .satisfiable([0...10]))
        #expect(RangeRequest.parse("bytes=0-1,3-4", length: 100) == .satisfiable([0...1, 3...4]))
    }

    @Test func multipleRangesAreSorted() {
        #expect(RangeRequest.parse("bytes=-1,0-0", length: 100) == .satisfiable([0...0, 99...99]))
        #expect(RangeRequest.parse("bytes=50-59,10-19", length: 100) == .satisfiable([10...19, 50...59]))
    }

    @Test func lastPositionIsClampedToTheRepresentation() {
        #expect(RangeRequest.parse("bytes=0-99999", length: 100) == .satisfiable([0...99]))
        #expect(RangeRequest.parse("bytes=99-100", length: 100) == .satisfiable([99...99]))
        #expect(RangeRequest.parse("bytes=0-9223372036854775807", length: 10) == .satisfiable([0...9]))
    }

    @Test func suffixLongerThanRepresentationSelectsAll() {
        #expect(RangeRequest.parse("bytes=-500", length: 100) == .satisfiable([0...99]))
        #expect(RangeRequest.parse("bytes=-9223372036854775807", length: 100) == .satisfiable([0...99]))
    }

    @Test(arguments: [
        ("bytes=100-", 100),
        ("bytes=100-200", 100),
        ("bytes=-0", 100),
        ("bytes=0-", 0),
        ("bytes=-5", 0),
        ("bytes=0-0", 0),
        ("bytes=200-300, 150-", 100),
        ("bytes=-0, 100-", 100),
        ("bytes=9223372036854775807-", 10),
        ("bytes=0-", -5),
    ])
    func unsatisfiable(field: String, length: Int) {
        #expect(RangeRequest.parse(field, length: length) == .unsatisfiable)
    }

    @Test func unsatisfiableElementsAreDroppedWhenOthersSatisfy() {
        #expect(RangeRequest.parse("bytes=200-300,0-5", length: 100) == .satisfiable([0...5]))
        #expect(RangeRequest.parse("bytes=-0,90-", length: 100) == .satisfiable([90...99]))
    }

    @Test(arguments: [
        "", "bytes", "bytes=", "bytes=,", "bytes= , ", "items=0-5", "bytes 0-5", "bytes:0-5", "bytes =0-5",
        "bytes=5-1", "bytes=0-1,5-1", "bytes=a-b", "bytes=-", "bytes=--5", "bytes=1-2-3", "bytes=0-5;",
        "bytes=1", "bytes=0x10-", "bytes=+1-2", "bytes=1 -2", "bytes=1- 2", "bytes=0-1 2-3", "bytes=-1-2",
        "bytes=١-٢", "bytes\u{1D}0-5", "bytesx=0-5", "bytes=0-5\u{0}",
        "bytes=99999999999999999999999-", "bytes=0-99999999999999999999999", "bytes=-99999999999999999999",
        "bytes=9223372036854775808-",
    ])
    func invalidFieldsAreIgnored(field: String) {
        #expect(RangeRequest.parse(field, length: 10_000) == .ignored)
    }

    @Test func unitIsCaseInsensitiveAndWhitespaceIsTolerated() {
        #expect(RangeRequest.parse("BYTES=0-1", length: 10) == .satisfiable([0...1]))
        #expect(RangeRequest.parse("Bytes=0-1", length: 10) == .satisfiable([0...1]))
        #expect(RangeRequest.parse(" bytes=0-1 ,\t5-6 ", length: 10) == .satisfiable([0...1, 5...6]))
        #expect(RangeRequest.parse("bytes=0-1,,5-6,", length: 10) == .satisfiable([0...1, 5...6]))
    }

    @Test func tooManyDistinctRangesAreIgnored() {
        let sixtyFour = (0..<64).map { "\($0 * 2)-\($0 * 2)" }.joined(separator: ",")
        let sixtyFive = (0..<65).map { "\($0 * 2)-\($0 * 2)" }.joined(separator: ",")
        guard case .satisfiable(let ranges) = RangeRequest.parse("bytes=" + sixtyFour, length: 1000) else {
            Issue.record("64 ranges should be served")
            return
        }
        #expect(ranges.count == 64)
        #expect(RangeRequest.parse("bytes=" + sixtyFive, length: 1000) == .ignored)
        #expect(RangeRequest.parse("bytes=0-0,2-2,4-4", length: 10, maximumRanges: 2) == .ignored)
        #expect(RangeRequest.parse("bytes=0-0,2-2", length: 10, maximumRanges: 2) == .satisfiable([0...0, 2...2]))
    }

    @Test func repeatedOverlappingRangesCollapseInsteadOfAmplifying() {
        let field = "bytes=" + Array(repeating: "0-", count: 10_000).joined(separator: ",")
        #expect(RangeRequest.parse(field, length: 1_000_000) == .satisfiable([0...999_999]))
        let nested = "bytes=" + (0..<500).map { "\($0)-\(999 - $0)" }.joined(separator: ", ")
        #expect(RangeRequest.parse(nested, length: 1000) == .satisfiable([0...999]))
    }

    @Test func singleRangeIsNotReordered() {
        #expect(RangeRequest.parse("bytes=5-", length: 10) == .satisfiable([5...9]))
    }
}

@Suite struct MultipartByteRangesTests {
    static let content: [UInt8] = Array("The quick brown fox jumps over the lazy dog. 0123456789".utf8)

    @Test func boundaryIsDeterministicValidAndSeedDependent() {
        let a = MultipartByteRanges.boundary(seed: 1)
        #expect(a == MultipartByteRanges.boundary(seed: 1))
        #expect(a != MultipartByteRanges.boundary(seed: 2))
        #expect(MultipartByteRanges.boundary(seed: 0) != MultipartByteRanges.boundary(seed: .max))
        for seed: UInt64 in [0, 1, 42, .max] {
            let boundary = MultipartByteRanges.boundary(seed: seed)
            // RFC 2046 bchars without space, so it never needs quoting, and at most 70 characters.
            #expect((1...70).contains(boundary.utf8.count))
            #expect(
                boundary.utf8.allSatisfy { byte in
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                })
        }
    }

    @Test func boundariesOfConsecutiveSeedsAreDistinct() {
        let boundaries = Set((0..<1000 as Range<UInt64>).map { MultipartByteRanges.boundary(seed: $0) })
        #expect(boundaries.count == 1000)
    }

    @Test func partHeaderHasLeadingCRLFAndContentRange() {
        let header = MultipartByteRanges.partHeader(
            boundary: "B", contentType: "text/plain; charset=utf-8", range: 0...499, length: 1234)
        #expect(
            header == "\r\n--B\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-499/1234\r\n\r\n")
    }

    @Test func closingDelimiter() {
        #expect(MultipartByteRanges.closing(boundary: "B") == "\r\n--B--\r\n")
    }

    static func body(boundary: String, contentType: String, ranges: [ClosedRange<Int>], content: [UInt8]) -> [UInt8] {
        var body: [UInt8] = []
        for range in ranges {
            body += Array(
                MultipartByteRanges.partHeader(
                    boundary: boundary, contentType: contentType, range: range, length: content.count
                ).utf8)
            body += content[range]
        }
        body += Array(MultipartByteRanges.closing(boundary: boundary).utf8)
        return body
    }

    @Test(arguments: [[0...0], [0...3, 10...19], [0...3, 10...19, 50...54], [5...54]])
    func contentLengthMatchesTheAssembledBody(ranges: [ClosedRange<Int>]) {
        let boundary = MultipartByteRanges.boundary(seed: 99)
        let type = "text/plain; charset=utf-8"
        let body = Self.body(boundary: boundary, contentType: type, ranges: ranges, content: Self.content)
        let length = MultipartByteRanges.contentLength(
            boundary: boundary, contentType: type, ranges: ranges, length: Self.content.count)
        #expect(length == body.count)
    }

    @Test func contentLengthSaturatesInsteadOfTrapping() {
        let huge = MultipartByteRanges.contentLength(
            boundary: "B", contentType: "x/y", ranges: [0...(Int.max - 1), 0...(Int.max - 1)], length: Int.max)
        #expect(huge == Int.max)
        let absurd = MultipartByteRanges.contentLength(
            boundary: "B", contentType: "x/y", ranges: [Int.min...Int.max], length: 0)
        #expect(absurd == Int.max)
    }

    /// Parses the assembled body the way a multipart client would and checks every part.
    @Test func bodyHasTheMultipartByterangesShape() throws {
        let boundary = MultipartByteRanges.boundary(seed: 7)
        let type = "text/plain; charset=utf-8"
        let ranges = [0...3, 10...19, 50...54]
        let text = String(
            decoding: Self.body(
                boundary: boundary, contentType: type, ranges: ranges,
                content: Self.content), as: UTF8.self)

        // The close delimiter ends the body, and nothing but an empty preamble precedes the first boundary.
        #expect(text.hasSuffix("\r\n--\(boundary)--\r\n"))
        let delimiter = "\r\n--\(boundary)"
        var pieces = text.split(separator: delimiter, omittingEmptySubsequences: false).map(String.init)
        #expect(pieces.first == "")
        #expect(pieces.last == "--\r\n")
        pieces = Array(pieces.dropFirst().dropLast())
        try #require(pieces.count == ranges.count)

        for (piece, range) in zip(pieces, ranges) {
            let split = piece.split(separator: "\r\n\r\n", maxSplits: 1, omittingEmptySubsequences: false)
            try #require(split.count == 2)
            let headerLines = split[0].split(separator: "\r\n", omittingEmptySubsequences: false)
            // The boundary line itself ends right where the headers begin.
            #expect(
                headerLines == [
                    "", "Content-Type: \(type)",
                    "Content-Range: bytes \(range.lowerBound)-"
                        + "\(range.upperBound)/\(Self.content.count)",
                ])
            #expect(Array(split[1].utf8) == Array(Self.content[range]))
        }
    }
}
