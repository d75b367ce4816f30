// Tests for entity tags, their comparison functions and If-Match / If-None-Match parsing.
import Testing

@testable import DoorwayHTTP

@Suite struct EntityTagTests {
    @Test func headerValueQuotesAndMarksWeakness() {
        #expect(EntityTag(opaque: "xyzzy", isWeak: false).headerValue == "\"xyzzy\"")
        #expect(EntityTag(opaque: "xyzzy", isWeak: true).headerValue == "W/\"xyzzy\"")
        #expect(EntityTag(opaque: "", isWeak: false).headerValue == "\"\"")
    }

    /// The comparison table of RFC 9110 §8.8.3.2.
    @Test(arguments: [
        (EntityTag(opaque: "1", isWeak: true), EntityTag(opaque: "1", isWeak: true), false, true),
        (EntityTag(opaque: "1", isWeak: true), EntityTag(opaque: "2", isWeak: true), false, false),
        (EntityTag(opaque: "1", isWeak: true), EntityTag(opaque: "1", isWeak: false), false, true),
        (EntityTag(opaque: "1", isWeak: false), EntityTag(opaque: "1", isWeak: false), true, true),
    ])
    func rfcComparisonTable(lhs: EntityTag, rhs: EntityTag, strong: Bool, weak: Bool) {
        #expect(lhs.matchesStrongly(rhs) == strong)
        #expect(rhs.matchesStrongly(lhs) == strong)
        #expect(lhs.matchesWeakly(rhs) == weak)
        #expect(rhs.matchesWeakly(lhs) == weak)
    }

    @Test func comparisonIsCaseSensitive() {
        #expect(!EntityTag(opaque: "abc").matchesWeakly(EntityTag(opaque: "ABC")))
    }

    @Test func parsesStar() {
        #expect(EntityTagCondition.parse("*") == .any)
        #expect(EntityTagCondition.parse("  *\t") == .any)
    }

    @Test func parsesRFCExamples() {
        #expect(EntityTagCondition.parse("\"xyzzy\"") == .tags([EntityTag(opaque: "xyzzy")]))
        #expect(
            EntityTagCondition.parse("\"xyzzy\", \"r2d2xxxx\", \"c3piozzzz\"")
                == .tags([EntityTag(opaque: "xyzzy"), EntityTag(opaque: "r2d2xxxx"), EntityTag(opaque: "c3piozzzz")]))
        #expect(
            EntityTagCondition.parse("W/\"xyzzy\", W/\"r2d2xxxx\"")
                == .tags([EntityTag(opaque: "xyzzy", isWeak: true), EntityTag(opaque: "r2d2xxxx", isWeak: true)]))
    }

    @Test func toleratesEmptyElementsAndWhitespace() {
        #expect(
            EntityTagCondition.parse(" , \"a\" ,, \t\"b\",W/\"c\" , ")
                == .tags([EntityTag(opaque: "a"), EntityTag(opaque: "b"), EntityTag(opaque: "c", isWeak: true)]))
        #expect(EntityTagCondition.parse("\"a\",\"b\"") == .tags([EntityTag(opaque: "a"), EntityTag(opaque: "b")]))
    }

    @Test func acceptsEmptyOpaqueAndObsText() {
        #expect(EntityTagCondition.parse("\"\"") == .tags([EntityTag(opaque: "")]))
        #expect(EntityTagCondition.parse("\"café\"") == .tags([EntityTag(opaque: "café")]))
        #expect(EntityTagCondition.parse("\"!#~/W\"") == .tags([EntityTag(opaque: "!#~/W")]))
    }

    @Test(arguments: [
        "", "   ", ",", " , ,", "xyzzy", "\"a", "a\"", "\"a\" \"b\"", "\"a\"b", "w/\"a\"", "W/ \"a\"", "W\"a\"", "W/a",
        "*, \"a\"", "\"a\", *", "**", "* *", "\"a b\"", "\"a\u{1}\"", "\"a\tb\"", "\"a\"\"\"", "\"a\";", "'a'",
    ])
    func rejectsMalformedValues(value: String) {
        #expect(EntityTagCondition.parse(value) == nil)
    }

    @Test func strongTagFromFileMetadataIsHex() {
        let tag = EntityTag.strong(inode: 0x1a2b, size: 0x400, modificationNanoseconds: 0x17f3a)
        #expect(tag == EntityTag(opaque: "1a2b-400-17f3a", isWeak: false))
        #expect(tag.headerValue == "\"1a2b-400-17f3a\"")
    }

    @Test func strongTagChangesWithEachInput() {
        let base = EntityTag.strong(inode: 7, size: 100, modificationNanoseconds: 1_700_000_000_000_000_000)
        #expect(base != EntityTag.strong(inode: 8, size: 100, modificationNanoseconds: 1_700_000_000_000_000_000))
        #expect(base != EntityTag.strong(inode: 7, size: 101, modificationNanoseconds: 1_700_000_000_000_000_000))
        #expect(base != EntityTag.strong(inode: 7, size: 100, modificationNanoseconds: 1_700_000_000_000_000_001))
    }

    @Test func strongTagHandlesExtremesAndStaysParseable() {
        let tags = [
            EntityTag.strong(inode: .max, size: .max, modificationNanoseconds: .max),
            EntityTag.strong(inode: 0, size: -1, modificationNanoseconds: .min),
            EntityTag.strong(inode: 0, size: 0, modificationNanoseconds: 0),
        ]
        #expect(tags[1].opaque == "0-ffffffffffffffff-8000000000000000")
        #expect(tags[2].opaque == "0-0-0")
        for tag in tags {
            #expect(!tag.isWeak)
            #expect(EntityTagCondition.parse(tag.headerValue) == .tags([tag]))
        }
    }
}
