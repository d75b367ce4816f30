// Downloads to a file against the Web server: a new file, a resumed one, one already whole, one that changed.

import DoorwayHTTP
import DoorwayTesting
import Foundation
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("HTTP client downloads", .timeLimit(.minutes(1)))
struct HTTPClientDownloadTests {
    private static let content = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }

    /// A site serving `big.bin`, a fresh folder to download into, and a client.
    private func withDownload(_ body: (_ base: String, _ folder: String, HTTPClient) async throws -> Void) async throws
    {
        try await WebFixture.with(populate: { root in try write(Self.content, to: root + "/big.bin") }) { site in
            let folder = try TemporaryFolder("download")
            defer { folder.remove() }
            let http = HTTPClient(timeout: .seconds(5))
            do {
                try await body("http://127.0.0.1:\(site.port)", folder.path, http)
            } catch {
                await http.shutdown()
                throw error
            }
            await http.shutdown()
        }
    }

    private func contents(of path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    @Test("a new download writes the whole body and reports progress up to the file's size")
    func newFile() async throws {
        try await withDownload { base, folder, http in
            var last: HTTPClient.DownloadProgress?
            let download = try await http.download(base + "/big.bin", to: folder + "/big.bin", progress: { last = $0 })
            #expect(download.head.status == .ok && download.resumedFrom == 0 && !download.wasAlreadyComplete)
            #expect(contents(of: folder + "/big.bin") == Self.content)
            #expect(last?.start == 0 && last?.position == Self.content.count && last?.total == Self.content.count)
        }
    }

    @Test("resuming asks for the rest with Range and appends it")
    func resumes() async throws {
        try await withDownload { base, folder, http in
            let path = folder + "/big.bin"
            try write(Array(Self.content.prefix(30_000)), to: path)
            var last: HTTPClient.DownloadProgress?
            let download = try await http.download(base + "/big.bin", to: path, resuming: true, progress: { last = $0 })
            #expect(download.head.status == .partialContent && download.resumedFrom == 30_000)
            #expect(contents(of: path) == Self.content)
            #expect(last?.start == 30_000 && last?.position == Self.content.count && last?.total == Self.content.count)
        }
    }

    @Test("a file already whole is left alone: the server's 416 names its size")
    func alreadyComplete() async throws {
        try await withDownload { base, folder, http in
            let path = folder + "/big.bin"
            try write(Self.content, to: path)
            let download = try await http.download(base + "/big.bin", to: path, resuming: true)
            #expect(download.head.status == .rangeNotSatisfiable && download.wasAlreadyComplete)
            #expect(download.resumedFrom == Self.content.count)
            #expect(contents(of: path) == Self.content)
        }
    }

    @Test("a file changed since the partial download is fetched again from the start (If-Range)")
    func changedFile() async throws {
        try await withDownload { base, folder, http in
            let path = folder + "/big.bin"
            try write(Array(repeating: 0xEE, count: 30_000), to: path)
            DownloadFile.setValidator("\"an-older-version\"", of: path)
            // Without extended attributes on this file system there is no If-Range to test.
            guard DownloadFile.validator(of: path) != nil else { return }
            let download = try await http.download(base + "/big.bin", to: path, resuming: true)
            #expect(download.head.status == .ok && download.resumedFrom == 0)
            #expect(contents(of: path) == Self.content)
            #expect(DownloadFile.validator(of: path) == download.head.headers.first(name: "etag"))
        }
    }

    @Test("an error status writes nothing")
    func errorStatus() async throws {
        try await withDownload { base, folder, http in
            let download = try await http.download(base + "/missing.bin", to: folder + "/missing.bin", resuming: true)
            #expect(download.head.status == .notFound && !download.wasAlreadyComplete)
            #expect(access(folder + "/missing.bin", F_OK) != 0)
        }
    }
}
