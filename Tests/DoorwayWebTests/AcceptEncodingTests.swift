// Tests for Accept-Encoding evaluation.
import Testing

@testable import DoorwayWeb

@Suite struct AcceptEncodingTests {
    @Test func listedCodingsAreAllowed() {
        #expect(AcceptEncoding.allows("gzip", in: "gzip"))
        #expect(AcceptEncoding.allows("br", in: "gzip, deflate, br, zstd"))
        #expect(AcceptEncoding.allows("zstd", in: "gzip, deflate, br, zstd"))
        #expect(!AcceptEncoding.allows("br", in: "gzip, deflate"))
    }

    @Test func matchingIsCaseInsensitive() {
        #expect(AcceptEncoding.allows("gzip", in: "GZIP"))
        #expect(AcceptEncoding.allows("GZip", in: "gzip;Q=0.5"))
    }

    @Test func zeroWeightExcludes() {
        #expect(!AcceptEncoding.allows("gzip", in: "gzip;q=0"))
        #expect(!AcceptEncoding.allows("gzip", in: "gzip;q=0.0"))
        #expect(!AcceptEncoding.allows("gzip", in: "gzip;q=0.000"))
        #expect(!AcceptEncoding.allows("gzip", in: "br, gzip ; q=0"))
        #expect(AcceptEncoding.allows("gzip", in: "gzip;q=0.001"))
        #expect(AcceptEncoding.allows("gzip", in: "gzip;q=1"))
        #expect(AcceptEncoding.allows("gzip", in: "gzip;q=1.000"))
        #expect(AcceptEncoding.allows("gzip", in: "gzip; q=0.5 "))
    }

    /// The examples of RFC 9110 §12.5.3.
    @Test func rfcExamples() {
        #expect(AcceptEncoding.allows("compress", in: "compress, gzip"))
        #expect(!AcceptEncoding.allows("gzip", in: ""))
        #expect(AcceptEncoding.allows("br", in: "*"))
        #expect(AcceptEncoding.allows("compress", in: "compress;q=0.5, gzip;q=1.0"))
        #expect(AcceptEncoding.allows("gzip", in: "gzip;q=1.0, identity; q=0.5, *;q=0"))
        #expect(!AcceptEncoding.allows("br", in: "gzip;q=1.0, identity; q=0.5, *;q=0"))
        #expect(AcceptEncoding.allows("identity", in: "gzip;q=1.0, identity; q=0.5, *;q=0"))
    }

    @Test func wildcardCoversOnlyUnlistedCodings() {
        #expect(AcceptEncoding.allows("br", in: "gzip;q=0, *"))
        #expect(!AcceptEncoding.allows("gzip", in: "gzip;q=0, *"))
        #expect(AcceptEncoding.allows("gzip", in: "gzip, *;q=0"))
        #expect(!AcceptEncoding.allows("br", in: "gzip, *;q=0"))
    }

    @Test func identityIsAcceptableUnlessExcluded() {
        #expect(AcceptEncoding.allows("identity", in: "gzip"))
        #expect(AcceptEncoding.allows("identity", in: ""))
        #expect(!AcceptEncoding.allows("identity", in: "identity;q=0"))
        #expect(!AcceptEncoding.allows("identity", in: "gzip, *;q=0"))
    }

    @Test func xGzipIsAnAliasOfGzip() {
        #expect(AcceptEncoding.allows("gzip", in: "x-gzip"))
        #expect(AcceptEncoding.allows("x-gzip", in: "gzip"))
        #expect(!AcceptEncoding.allows("gzip", in: "x-gzip;q=0"))
    }

    @Test func conflictingDuplicatesPreferExclusion() {
        #expect(!AcceptEncoding.allows("gzip", in: "gzip, gzip;q=0"))
        #expect(!AcceptEncoding.allows("gzip", in: "gzip;q=0, gzip"))
    }

    @Test func emptyElementsAndWhitespaceAreTolerated() {
        #expect(AcceptEncoding.allows("br", in: " ,, br ,\t, "))
        #expect(AcceptEncoding.allows("br", in: "gzip,br"))
    }

    @Test(arguments: [
        "br;q=2", "br;q=1.5", "br;q=0.5x", "br;q=.5", "br;q=0.0001", "br;q=", "br;q", "br;level=1", "br q=1",
        "br;;q=1", "br;q=1;q=1", "b r", "br;q =1", "br;q= 1", "\"br\"", "br;q=-1", "br;q=1.0000", "br;q=0.5 x",
    ])
    func malformedElementsAreIgnored(field: String) {
        #expect(!AcceptEncoding.allows("br", in: field))
    }

    @Test func malformedElementDoesNotHideValidOnes() {
        #expect(AcceptEncoding.allows("gzip", in: "br;q=oops, gzip"))
        // A malformed exclusion is ignored too, so the wildcard decides.
        #expect(AcceptEncoding.allows("br", in: "br;q=zero, *"))
    }

    @Test func noPrefixMatching() {
        #expect(!AcceptEncoding.allows("gzip", in: "gzipx"))
        #expect(!AcceptEncoding.allows("gz", in: "gzip"))
    }

    @Test func pointZeroQValueWithTrailingDotIsValidForZeroAndOne() {
        #expect(!AcceptEncoding.allows("br", in: "br;q=0."))
        #expect(AcceptEncoding.allows("gzip", in: "gzip;q=0.5, br;q=0."))
        #expect(AcceptEncoding.allows("br", in: "br;q=1."))
    }
}
