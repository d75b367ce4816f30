// Source files stay small enough to read in one sitting: at most 400 lines, the generated registry excepted.

import Foundation
import Testing

@Suite struct FileSizeTests {
    static let maximumLines = 400
    /// Generated data, not code a person reads (Scripts/generate-service-registry.py writes it).
    static let generated: Set<String> = ["Sources/Doorway/ServiceRegistry+Table.swift"]

    @Test func noSourceFileIsOver400Lines() throws {
        let sources = LayeringTests.sourcesFolder
        let walker = try #require(FileManager.default.enumerator(atPath: sources.path))
        var counted = 0
        var tooLong: [String] = []
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            let path = "Sources/\(relative)"
            guard !Self.generated.contains(path) else { continue }
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            let lines =
                text.split(separator: "\n", omittingEmptySubsequences: false).count - (text.hasSuffix("\n") ? 1 : 0)
            counted += 1
            if lines > Self.maximumLines { tooLong.append("\(path): \(lines) lines") }
        }
        #expect(counted > 100, "read only \(counted) files under \(sources.path)")
        #expect(
            tooLong.isEmpty, "over \(Self.maximumLines) lines (split by concern):\n\(tooLong.joined(separator: "\n"))")
    }
}
