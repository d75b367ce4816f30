// Tests for choosing Content-Type values from file names.
import Testing

@testable import DoorwayHTTP

@Suite struct MediaTypeTests {
    @Test(arguments: [
        ("index.html", "text/html; charset=utf-8"),
        ("page.htm", "text/html; charset=utf-8"),
        ("styles/site.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("module.mjs", "text/javascript; charset=utf-8"),
        ("data.json", "application/json; charset=utf-8"),
        ("app.js.map", "application/json; charset=utf-8"),
        ("site.webmanifest", "application/manifest+json; charset=utf-8"),
        ("notes.txt", "text/plain; charset=utf-8"),
        ("README.md", "text/markdown; charset=utf-8"),
        ("feed.xml", "text/xml; charset=utf-8"),
        ("table.csv", "text/csv; charset=utf-8"),
        ("logo.svg", "image/svg+xml"),
        ("photo.jpg", "image/jpeg"),
        ("photo.jpeg", "image/jpeg"),
        ("image.png", "image/png"),
        ("image.avif", "image/avif"),
        ("image.webp", "image/webp"),
        ("module.wasm", "application/wasm"),
        ("font.woff2", "font/woff2"),
        ("movie.mp4", "video/mp4"),
        ("doc.pdf", "application/pdf"),
        ("archive.zip", "application/zip"),
    ])
    func knownExtensions(path: String, expected: String) {
        #expect(MediaType.forPath(path) == expected)
    }

    @Test func extensionMatchIsCaseInsensitive() {
        #expect(MediaType.forPath("INDEX.HTML") == "text/html; charset=utf-8")
        #expect(MediaType.forPath("Photo.JpG") == "image/jpeg")
    }

    @Test func onlyTheLastExtensionCounts() {
        #expect(MediaType.forPath("backup.tar.gz") == "application/gzip")
        #expect(MediaType.forPath("evil.html.exe") != "text/html; charset=utf-8")
        #expect(MediaType.forPath("page.html.bak") == "application/octet-stream")
    }

    @Test(arguments: [
        "Makefile", "unknown.xyzzy", "trailingdot.", ".bashrc", "/srv/.profile", "dir.html/file", "dir.html/", "",
        "/",
    ])
    func unknownOrMissingExtensionFallsBack(path: String) {
        #expect(MediaType.forPath(path) == "application/octet-stream")
    }

    @Test func extensionIsTakenFromTheLastPathComponent() {
        #expect(MediaType.forPath("/var/www/site.v2/index.html") == "text/html; charset=utf-8")
        #expect(MediaType.forPath("a.css/b.png") == "image/png")
    }

    /// Every extension the brief asks for must be present, so none of them is downloaded as a binary blob.
    @Test(arguments: [
        "html", "htm", "shtml", "css", "js", "mjs", "json", "map", "webmanifest", "jsonld", "svg", "svgz", "png",
        "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp", "tif", "tiff", "jxl", "wasm", "pdf", "txt", "md", "xml",
        "rss", "atom", "csv", "tsv", "ics", "mp3", "ogg", "oga", "opus", "wav", "flac", "m4a", "aac", "mp4", "m4v",
        "webm", "ogv", "mov", "avi", "mkv", "woff", "woff2", "ttf", "otf", "eot", "zip", "gz", "tgz", "tar", "bz2",
        "xz", "7z", "rar", "br", "zst", "jar", "apk", "deb", "rpm", "dmg", "iso", "exe", "msi", "epub", "doc",
        "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "ps", "eps", "swf", "kml", "kmz", "m3u8",
        "ts", "3gp", "yaml", "yml", "toml", "wat",
    ])
    func requiredExtensionIsMapped(ext: String) {
        #expect(MediaType.table[ext] != nil, "missing .\(ext)")
        #expect(MediaType.forPath("file.\(ext)") != MediaType.fallback)
    }

    @Test func binIsExplicitlyOctetStream() {
        #expect(MediaType.forPath("firmware.bin") == "application/octet-stream")
    }

    @Test func textualTypesDeclareUTF8AndBinaryTypesDoNot() {
        for (ext, value) in MediaType.table {
            if value.hasPrefix("text/") {
                #expect(value.hasSuffix("; charset=utf-8"), "text type for .\(ext) lacks a charset")
            }
            if value.hasPrefix("image/") || value.hasPrefix("audio/") || value.hasPrefix("video/")
                || value.hasPrefix("font/")
            {
                #expect(!value.contains("charset"), ".\(ext) is binary but has a charset")
            }
        }
    }

    @Test func tableValuesAreWellFormedAndKeysAreLowercase() {
        for (ext, value) in MediaType.table {
            #expect(ext == ext.lowercased())
            #expect(!ext.contains("."))
            let essence = value.split(separator: ";").first.map(String.init) ?? ""
            let parts = essence.split(separator: "/", omittingEmptySubsequences: false)
            #expect(parts.count == 2 && parts.allSatisfy { !$0.isEmpty }, "bad media type \(value)")
            #expect(!essence.contains(" "))
        }
    }
}
