// Whole reads and writes on a file descriptor, and errno as an error with the system's words.

import DoorwayBasics
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct FileDescriptorTests {
    @Test("a file written whole reads back whole, in chunks, to a limit, and at an offset")
    func roundTrip() throws {
        var template = Array("/tmp/doorway-basics-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        try #require(descriptor >= 0)
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer {
            close(descriptor)
            unlink(path)
        }
        let file = FileDescriptor(descriptor)
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        try file.writeAll(bytes)
        try file.writeAll([9, 9, 9, 9], at: 10)
        var expected = bytes
        expected.replaceSubrange(10..<14, with: [9, 9, 9, 9])

        #expect(lseek(descriptor, 0, SEEK_SET) == 0)
        #expect(try file.readToEnd(chunkSize: 4096) == expected)
        #expect(lseek(descriptor, 0, SEEK_SET) == 0)
        #expect(try file.readToEnd(limit: 1000) == Array(expected.prefix(1000)))

        var tail = [UInt8](repeating: 0, count: 100)
        let count = try file.readAll(into: &tail[0..<100], at: bytes.count - 40)
        #expect(count == 40 && Array(tail.prefix(40)) == Array(expected.suffix(40)))
    }

    @Test("a failed call is an Errno with strerror's words")
    func failure() {
        #expect(throws: Errno(EBADF)) {
            try FileDescriptor(-1).writeAll([0])
        }
        #expect(Errno(ENOENT).description == "No such file or directory")
    }
}
