// Path traversal and other unsafe file names in torrent metadata must all be refused, with the reason named.

import DoorwayTorrent
import Testing

struct PathSafetyTests {
    func pathError(_ components: [String]) -> SafePathError? {
        let input = torrent(name: "safe", files: [(components, 40)])
        guard case .unsafePath(let field, let error) = metainfoError(input) else { return nil }
        #expect(field == "info.files[0].path")
        return error
    }

    @Test func traversalVariantsAreRejected() {
        #expect(pathError([".."])?.reason == .dotComponent)
        #expect(pathError(["..", "x"])?.reason == .dotComponent)
        #expect(pathError(["a", "..", "..", "etc"])?.component == 1)
        #expect(pathError(["."])?.reason == .dotComponent)
        #expect(pathError(["", "etc", "passwd"])?.reason == .emptyComponent)
        #expect(pathError(["a", ""])?.reason == .emptyComponent)
        #expect(pathError(["a/b"])?.reason == .containsSlash)
        #expect(pathError(["../x"])?.reason == .containsSlash)
        #expect(pathError(["/etc/passwd"])?.reason == .containsSlash)
        #expect(pathError(["a\\b"])?.reason == .containsBackslash)
        #expect(pathError(["..\\..\\windows"])?.reason == .containsBackslash)
        #expect(pathError(["a\u{0}b"])?.reason == .containsNUL)
        #expect(pathError(["a\u{1}b"])?.reason == .containsControlCharacter(1))
        #expect(pathError(["line\nbreak"])?.reason == .containsControlCharacter(10))
        #expect(pathError(["del\u{7F}"])?.reason == .containsControlCharacter(0x7F))
        #expect(pathError(["c1\u{85}"])?.reason == .containsControlCharacter(0x85))
        #expect(pathError([String(repeating: "x", count: 256)])?.reason == .componentTooLong(bytes: 256))
        #expect(pathError([String(repeating: "x", count: 255)]) == nil)
        let long = [String](repeating: String(repeating: "y", count: 200), count: 21)
        #expect(pathError(long)?.reason == .pathTooLong(bytes: 21 * 200 + 20))
        #expect(pathError(["ok", "fine.txt"]) == nil)
    }

    @Test func emptyPathListIsRejected() {
        let input = modifyingInfo(torrent(files: [(["a"], 40)])) {
            $0["files"] = .list([.dictionary(["length": 40, "path": .list([])])])
        }
        guard case .unsafePath(_, let error) = metainfoError(input) else {
            Issue.record("expected an unsafe path error")
            return
        }
        #expect(error.reason == .noComponents)
    }

    @Test func invalidUTF8IsRejected() {
        let input = modifyingInfo(torrent(files: [(["a"], 40)])) {
            $0["files"] = .list([.dictionary(["length": 40, "path": .list(["ok", .bytes([0x66, 0xC3, 0x28])])])])
        }
        guard case .unsafePath(_, let error) = metainfoError(input) else {
            Issue.record("expected an unsafe path error")
            return
        }
        #expect(error.reason == .invalidUTF8)
        #expect(error.component == 1)
    }

    @Test func errorsDescribeTheProblem() {
        let input = torrent(name: "safe", files: [(["a", ".."], 40)])
        #expect(
            metainfoError(input)?.description
                == "metainfo: info.files[0].path: unsafe path \"a/..\": component 1 is \".\" or \"..\""
        )
        let absolute = torrent(name: "safe", files: [(["", "etc"], 40)])
        #expect(
            metainfoError(absolute)?.description
                == "metainfo: info.files[0].path: unsafe path \"/etc\": component 0 is empty (an absolute path)"
        )
        let nul = torrent(name: "safe", files: [(["a\u{0}b"], 40)])
        #expect(
            metainfoError(nul)?.description
                == "metainfo: info.files[0].path: unsafe path \"a\\u{0}b\": component 0 contains NUL"
        )
    }

    @Test func nameIsValidatedLikeAComponent() {
        for bad in ["..", ".", "", "a/b", "/", "a\\b", "x\u{0}", "tab\t"] {
            guard case .unsafePath(let field, _) = metainfoError(torrent(name: .string(bad))) else {
                Issue.record("name \(bad.debugDescription) was accepted")
                continue
            }
            #expect(field == "info.name")
        }
        if case .unsafePath("info.name", let error) = metainfoError(torrent(name: .bytes([0xFF]))) {
            #expect(error.reason == .invalidUTF8)
        } else {
            Issue.record("a non-UTF-8 name was accepted")
        }
        #expect(
            metainfoError(torrent(name: ".."))?.description
                == "metainfo: info.name: unsafe path \"..\": component 0 is \".\" or \"..\""
        )
    }

    @Test func duplicatesAndFileDirectoryConflictsAreRejected() {
        #expect(metainfoError(torrent(name: "t", files: [(["a"], 20), (["a"], 20)])) == .duplicatePath("t/a"))
        #expect(
            metainfoError(torrent(name: "t", files: [(["d", "x"], 20), (["d", "x"], 20)])) == .duplicatePath("t/d/x")
        )
        #expect(
            metainfoError(torrent(name: "t", files: [(["a"], 20), (["a", "b"], 20)]))
                == .pathConflict(file: "t/a", directoryOf: "t/a/b")
        )
        #expect(
            metainfoError(torrent(name: "t", files: [(["a", "b", "c"], 20), (["a", "b"], 20)]))
                == .pathConflict(file: "t/a/b", directoryOf: "t/a/b/c")
        )
        #expect(
            metainfoError(torrent(name: "t", files: [(["a", "b"], 20), (["a"], 20)]))?.description
                == "metainfo: info.files: \"t/a\" is a file but also a directory of \"t/a/b\""
        )
        // Siblings and shared directories are fine.
        #expect(metainfoError(torrent(name: "t", files: [(["a", "b"], 20), (["a", "c"], 20), (["ab"], 1)])) == nil)
    }

    @Test func safePathConstruction() throws {
        #expect(throws: SafePathError.self) { try SafePath(relativePath: "a//b") }
        #expect(throws: SafePathError.self) { try SafePath(relativePath: "/etc/passwd") }
        #expect(throws: SafePathError.self) { try SafePath(relativePath: "a/../b") }
        #expect(throws: SafePathError.self) { try SafePath(relativePath: "a/") }
        #expect(throws: SafePathError.self) { try SafePath([]) }
        let path = try SafePath(relativePath: "Season 1/e01.mkv")
        #expect(path.components == ["Season 1", "e01.mkv"])
        #expect(path.destination(under: "/srv") == "/srv/Season 1/e01.mkv")
        #expect(path.destination(under: "/srv/") == "/srv/Season 1/e01.mkv")
        #expect(path.destination(under: "") == "Season 1/e01.mkv")
        #expect(try SafePath(["x"]).appending(path).relativePath == "x/Season 1/e01.mkv")
    }
}
