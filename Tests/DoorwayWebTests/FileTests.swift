// Files on a live server: types, folders, precompressed siblings, the root's walls, the cache and the log.

import Doorway
import DoorwayTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import DoorwayWeb

#if canImport(Glibc)
import Glibc
#endif

@Suite("Web server: files", .timeLimit(.minutes(1)))
struct FileTests {
    /// A site with a folder, dotfiles, tricky names, precompressed siblings and symlinks in and out of the root.
    private static func populate(_ root: String) throws {
        try write("<h1>home</h1>\n", to: root + "/index.html")
        try write("body{}\n", to: root + "/style.css")
        try write("let a = 1\n", to: root + "/app.mjs")
        try write("text\n", to: root + "/text..txt")
        try write("dots\n", to: root + "/..dots")
        try write("dots\n", to: root + "/dots..")
        try write("space\n", to: root + "/a file #1?.txt")
        try write("SECRET=1\n", to: root + "/.env")
        try makeFolder(root + "/docs")
        try write("<p>docs</p>\n", to: root + "/docs/index.html")
        try makeFolder(root + "/empty")
        try write("x\n", to: root + "/empty/<b>.txt")
        try makeFolder(root + "/.git")
        try write("ref\n", to: root + "/.git/HEAD")
        try write("plain text\n", to: root + "/notes.txt")
        try write([0x1f, 0x8b, 1, 2, 3], to: root + "/notes.txt.gz")
        try write([0xce, 0xb2, 9], to: root + "/notes.txt.br")
        symlink("/etc/passwd", root + "/outside")
        symlink("../../../../../etc", root + "/outside-folder")
        symlink("notes.txt", root + "/inside")
    }

    private func withSite(_ body: (WebFixture) async throws -> Void) async throws {
        try await withSite(configure: { _ in }, body)
    }

    private func withSite(
        configure: (inout WebServer.Configuration) -> Void, _ body: (WebFixture) async throws -> Void
    ) async throws {
        try await WebFixture.with(configure: configure, populate: Self.populate, body)
    }

    @Test("files are served with their media type, and HEAD gives the same headers without the body")
    func mediaTypes() async throws {
        try await withSite { site throws in
            for (path, type) in [
                ("/index.html", "text/html; charset=utf-8"), ("/style.css", "text/css; charset=utf-8"),
                ("/app.mjs", "text/javascript; charset=utf-8"), ("/text..txt", "text/plain; charset=utf-8"),
            ] {
                let get = try await site.get(path)
                #expect(get.status == 200 && get.header("content-type") == type, "\(path): \(get)")
                let head = try await site.ask(
                    "HEAD \(path) HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", head: true)
                #expect(head.status == 200 && head.body.isEmpty)
                #expect(head.header("content-length") == get.header("content-length"))
                #expect(head.header("etag") == get.header("etag") && head.header("content-type") == type)
            }
        }
    }

    @Test("a folder serves index.html, /dir redirects to /dir/, and without index.html it is 403 or a listing")
    func folders() async throws {
        try await withSite { site throws in
            #expect(try await site.get("/").text == "<h1>home</h1>\n")
            #expect(try await site.get("/docs/").text == "<p>docs</p>\n")
            let redirect = try await site.get("/docs?x=1")
            #expect(redirect.status == 301 && redirect.header("location") == "/docs/?x=1", "\(redirect)")
            #expect(try await site.get("/empty/").status == 403)
        }
        try await withSite(configure: { $0.policy.listsFolders = true }) { site throws in
            let listing = try await site.get("/empty/")
            #expect(listing.status == 200 && listing.header("content-type") == "text/html; charset=utf-8")
            #expect(listing.text.contains("&lt;b&gt;.txt") && !listing.text.contains("<b>.txt"), "names are escaped")
            let root = try await site.get("/")
            #expect(root.text == "<h1>home</h1>\n", "index.html wins over the listing")
        }
    }

    @Test("precompressed siblings are served when Accept-Encoding allows, always with Vary")
    func precompressed() async throws {
        try await withSite { site throws in
            let plain = try await site.get("/notes.txt")
            #expect(plain.text == "plain text\n" && plain.header("content-encoding") == nil)
            #expect(plain.header("vary") == "Accept-Encoding")
            let gzip = try await site.get("/notes.txt", "Accept-Encoding: gzip")
            #expect(gzip.body == [0x1f, 0x8b, 1, 2, 3] && gzip.header("content-encoding") == "gzip")
            #expect(
                gzip.header("content-type") == "text/plain; charset=utf-8" && gzip.header("vary") == "Accept-Encoding")
            let brotli = try await site.get("/notes.txt", "Accept-Encoding: gzip, deflate, br")
            #expect(brotli.body == [0xce, 0xb2, 9] && brotli.header("content-encoding") == "br")
            let refused = try await site.get("/notes.txt", "Accept-Encoding: br;q=0, gzip;q=0")
            #expect(refused.text == "plain text\n")
            #expect(gzip.header("etag") != plain.header("etag"), "each representation has its own ETag")
        }
    }

    @Test("no encoding of .. escapes the root; names with dots in them are still served")
    func traversal() async throws {
        try await withSite { site throws in
            for path in [
                "/../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/%2e%2e/etc/passwd", "/docs/../../etc/passwd",
                "/.%2e/etc/passwd", "/docs/%2e%2e/%2e%2e/etc/passwd", "/..%2fetc%2fpasswd", "/%2e%2e%2fetc",
            ] {
                let response = try await site.get(path)
                #expect(
                    [400, 404].contains(response.status) && !response.text.contains("root:"), "\(path): \(response)")
            }
            // Decoded once: %252e%252e is the literal name "%2e%2e", which does not exist.
            #expect(try await site.get("/%252e%252e/etc/passwd").status == 404)
            #expect(try await site.get("/docs/../index.html").text == "<h1>home</h1>\n", "dot segments inside the root")
            #expect(try await site.get("/text..txt").text == "text\n")
            #expect(try await site.get("/dots..").text == "dots\n")
            #expect(try await site.get("/..dots").status == 404, "a name that starts with a dot is a dotfile")
            #expect(try await site.get("/a%20file%20%231%3F.txt").text == "space\n")
            #expect(try await site.get("/%00").status == 400)
        }
    }

    @Test("symlinks out of the root are refused by default, those inside are followed")
    func symlinks() async throws {
        try await withSite { site throws in
            #expect(try await site.get("/outside").status == 403)
            #expect(try await site.get("/outside-folder/passwd").status == 403)
            #expect(try await site.get("/inside").text == "plain text\n")
        }
        try await withSite(configure: { $0.policy.followsSymlinksOutsideRoot = true }) { site throws in
            #expect(try await site.get("/outside").text.contains("root:"))
        }
    }

    @Test("dotfiles and dot-folders are hidden by default and served when asked for")
    func dotfiles() async throws {
        try await withSite { site throws in
            #expect(try await site.get("/.env").status == 404)
            #expect(try await site.get("/.git/HEAD").status == 404)
            #expect(try await site.get("/%2eenv").status == 404)
        }
        try await withSite(configure: { $0.policy.servesHiddenFiles = true }) { site throws in
            #expect(try await site.get("/.env").text == "SECRET=1\n")
        }
    }

    @Test("the cache notices a changed file, even one of the same size")
    func cacheRevalidation() async throws {
        try await withSite(configure: { $0.limits.cacheValidity = .zero }) { site throws in
            #expect(try await site.get("/notes.txt").text == "plain text\n")
            #expect(try await site.get("/notes.txt").text == "plain text\n")
            #expect(site.web.cache.totalSize > 0, "the file was cached")
            // Same size, new content; a new inode too, as editors that write and rename make.
            try write("PLAIN TEXT\n", to: site.root + "/notes.new")
            rename(site.root + "/notes.new", site.root + "/notes.txt")
            #expect(try await site.get("/notes.txt").text == "PLAIN TEXT\n")
            // Rewritten in place: same inode, same size, later mtime.
            var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
            try write("plain TEXT\n", to: site.root + "/notes.txt")
            utimensat(AT_FDCWD, site.root + "/notes.txt", &times, 0)
            #expect(try await site.get("/notes.txt").text == "plain TEXT\n")
        }
    }

    @Test("within the cache validity a hot file is served from memory; after it, changes show")
    func cacheValidity() async throws {
        try await withSite(configure: { $0.limits.cacheValidity = .milliseconds(300) }) { site throws in
            #expect(try await site.get("/notes.txt").text == "plain text\n")
            try write("PLAIN TEXT\n", to: site.root + "/notes.new")
            rename(site.root + "/notes.new", site.root + "/notes.txt")
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await site.get("/notes.txt").text == "PLAIN TEXT\n")
            // A file that disappears is gone once the validity has passed.
            unlink(site.root + "/notes.txt")
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await site.get("/notes.txt").status == 404)
        }
    }

    @Test("small files come from memory; large files go out as file regions (sendfile)")
    func bodySources() async throws {
        let big = [UInt8]((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let site = try await WebFixture(populate: { root in
            try write(big, to: root + "/big.bin")
            try write("small\n", to: root + "/small.txt")
        })
        defer { Task { await site.stop() } }
        let builder = ResponseBuilder(site: site.web.site, allocator: ByteBufferAllocator())
        func head(_ uri: String, _ headers: HTTPHeaders = ["Host": "a"]) -> HTTPRequestHead {
            HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers)
        }
        let large = builder.response(to: head("/big.bin"))
        guard case .file(let range) = large.body.first, large.file != nil else {
            Issue.record("a 1 MiB file should be a file region: \(large.body)")
            return
        }
        #expect(range == 0..<big.count)
        let small = builder.response(to: head("/small.txt"))
        guard case .bytes(let bytes) = small.body.first else {
            Issue.record("a small file should come from memory")
            return
        }
        #expect(String(buffer: bytes) == "small\n")
        // And over the wire the large one arrives whole, also in ranges.
        #expect(try await site.get("/big.bin").body == big)
        #expect(try await site.get("/big.bin", "Range: bytes=1000-1999").body == Array(big[1000...1999]))
    }

    @Test("the access log has one combined-format line per response")
    func accessLog() async throws {
        let logs = try TemporaryFolder("web-log")
        defer { logs.remove() }
        let log = logs.path("access.log")
        try await withSite(configure: { $0.accessLog = .file(log) }) { site throws in
            _ = try await site.get("/index.html", "User-Agent: tester/1.0", "Referer: http://ref.example/")
            _ = try await site.get("/missing")
            let fd = open(log, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(fd, &buffer, buffer.count)
            close(fd)
            let lines = String(decoding: buffer[0..<max(count, 0)], as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("127.0.0.1 - - [") == true)
            #expect(
                lines.first?.hasSuffix("] \"GET /index.html HTTP/1.1\" 200 14 \"http://ref.example/\" \"tester/1.0\"")
                    == true, "\(lines)")
            #expect(lines.last?.contains("\"GET /missing HTTP/1.1\" 404 ") == true)
        }
    }

    @Test("a root that is not a folder is a clear error")
    func badRoot() {
        #expect(throws: WebServerError.self) { try WebServer(configuration: .init(root: "/nonexistent/folder")) }
        #expect(throws: WebServerError.self) { try WebServer(configuration: .init(root: "/etc/passwd")) }
    }
}
