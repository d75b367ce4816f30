// Maps file names to Content-Type values for responses.

/// Chooses a `Content-Type` from a file name's extension.
///
/// Textual types carry `charset=utf-8` so browsers do not fall back to a locale-dependent guess
/// (which is also a classic XSS vector via UTF-7 sniffing on old clients).
public enum MediaType: Sendable {
    /// Sent when the extension is missing or unknown; it makes browsers download rather than render.
    static let fallback = "application/octet-stream"

    private static let utf8 = "; charset=utf-8"

    /// Returns the media type for `path`, judged only by the part after the last `.` of the last path component.
    public static func forPath(_ path: String) -> String {
        guard let ext = fileExtension(of: path) else { return fallback }
        return table[ext] ?? fallback
    }

    /// Lower-cased extension of the last path component, or nil when it has none.
    static func fileExtension(of path: String) -> String? {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else {
            // A leading dot marks a hidden file (".profile"), not an extension.
            return nil
        }
        let ext = name[name.index(after: dot)...]
        return ext.isEmpty ? nil : ext.lowercased()
    }

    // Based on nginx's mime.types, extended with types that nginx predates (avif, jxl, wasm, mjs, ...).
    // Where nginx and IANA disagree the registered IANA type wins (for example text/javascript per RFC 9239).
    static let table: [String: String] = [
        // Text and web documents
        "html": "text/html" + utf8,
        "htm": "text/html" + utf8,
        "shtml": "text/html" + utf8,
        "xhtml": "application/xhtml+xml" + utf8,
        "css": "text/css" + utf8,
        "js": "text/javascript" + utf8,
        "mjs": "text/javascript" + utf8,
        "cjs": "text/javascript" + utf8,
        "json": "application/json" + utf8,
        "jsonld": "application/ld+json" + utf8,
        "map": "application/json" + utf8,
        "webmanifest": "application/manifest+json" + utf8,
        "txt": "text/plain" + utf8,
        "text": "text/plain" + utf8,
        "log": "text/plain" + utf8,
        "md": "text/markdown" + utf8,
        "markdown": "text/markdown" + utf8,
        "xml": "text/xml" + utf8,
        "xsl": "application/xslt+xml" + utf8,
        "rss": "application/rss+xml" + utf8,
        "atom": "application/atom+xml" + utf8,
        "csv": "text/csv" + utf8,
        "tsv": "text/tab-separated-values" + utf8,
        "ics": "text/calendar" + utf8,
        "vcf": "text/vcard" + utf8,
        "yaml": "application/yaml" + utf8,
        "yml": "application/yaml" + utf8,
        "toml": "application/toml" + utf8,
        "wat": "text/plain" + utf8,
        "mml": "text/mathml" + utf8,
        "jad": "text/vnd.sun.j2me.app-descriptor" + utf8,
        "wml": "text/vnd.wap.wml" + utf8,
        "htc": "text/x-component" + utf8,
        "vtt": "text/vtt" + utf8,
        "srt": "application/x-subrip" + utf8,
        "m3u8": "application/vnd.apple.mpegurl" + utf8,
        // Plain .m3u is often Latin-1; only .m3u8 is defined as UTF-8.
        "m3u": "audio/x-mpegurl",
        "kml": "application/vnd.google-earth.kml+xml" + utf8,
        "rtf": "application/rtf",
        "ps": "application/postscript",
        "eps": "application/postscript",
        "ai": "application/postscript",

        // Images
        "svg": "image/svg+xml",
        "svgz": "image/svg+xml",
        "png": "image/png",
        "apng": "image/apng",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "jfif": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "avif": "image/avif",
        "heic": "image/heic",
        "heif": "image/heif",
        "ico": "image/vnd.microsoft.icon",
        "cur": "image/x-icon",
        "bmp": "image/bmp",
        "tif": "image/tiff",
        "tiff": "image/tiff",
        "jxl": "image/jxl",
        "jng": "image/x-jng",
        "wbmp": "image/vnd.wap.wbmp",

        // Audio
        "mp3": "audio/mpeg",
        "ogg": "audio/ogg",
        "oga": "audio/ogg",
        "opus": "audio/ogg",
        "wav": "audio/wav",
        "flac": "audio/flac",
        "m4a": "audio/mp4",
        "aac": "audio/aac",
        "mid": "audio/midi",
        "midi": "audio/midi",
        "kar": "audio/midi",
        "ra": "audio/x-realaudio",
        "weba": "audio/webm",

        // Video
        "mp4": "video/mp4",
        "m4v": "video/mp4",
        "webm": "video/webm",
        "ogv": "video/ogg",
        "mov": "video/quicktime",
        "avi": "video/x-msvideo",
        "mkv": "video/x-matroska",
        "mpeg": "video/mpeg",
        "mpg": "video/mpeg",
        "ts": "video/mp2t",
        "3gp": "video/3gpp",
        "3gpp": "video/3gpp",
        "3g2": "video/3gpp2",
        "flv": "video/x-flv",
        "wmv": "video/x-ms-wmv",
        "asf": "video/x-ms-asf",
        "asx": "video/x-ms-asf",
        "mng": "video/x-mng",

        // Fonts
        "woff": "font/woff",
        "woff2": "font/woff2",
        "ttf": "font/ttf",
        "otf": "font/otf",
        "eot": "application/vnd.ms-fontobject",

        // Archives and compressed data
        "zip": "application/zip",
        "gz": "application/gzip",
        "tgz": "application/gzip",
        "tar": "application/x-tar",
        "bz2": "application/x-bzip2",
        "xz": "application/x-xz",
        "7z": "application/x-7z-compressed",
        "rar": "application/vnd.rar",
        "br": "application/x-brotli",
        "zst": "application/zstd",
        "lz": "application/x-lzip",
        "lzma": "application/x-lzma",
        "cpio": "application/x-cpio",

        // Packages and executables
        "jar": "application/java-archive",
        "war": "application/java-archive",
        "ear": "application/java-archive",
        "apk": "application/vnd.android.package-archive",
        "deb": "application/vnd.debian.binary-package",
        "rpm": "application/x-rpm",
        "dmg": "application/x-apple-diskimage",
        "iso": "application/x-iso9660-image",
        "img": "application/octet-stream",
        "exe": "application/vnd.microsoft.portable-executable",
        "dll": "application/vnd.microsoft.portable-executable",
        "msi": "application/x-msi",
        "bin": "application/octet-stream",
        "wasm": "application/wasm",
        "swf": "application/x-shockwave-flash",
        "crx": "application/x-chrome-extension",
        "xpi": "application/x-xpinstall",

        // Documents
        "pdf": "application/pdf",
        "epub": "application/epub+zip",
        "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt": "application/vnd.ms-powerpoint",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt": "application/vnd.oasis.opendocument.text",
        "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "odp": "application/vnd.oasis.opendocument.presentation",
        "odg": "application/vnd.oasis.opendocument.graphics",
        "kmz": "application/vnd.google-earth.kmz",
        "wmlc": "application/vnd.wap.wmlc",

        // Certificates and keys
        "der": "application/x-x509-ca-cert",
        "pem": "application/x-x509-ca-cert",
        "crt": "application/x-x509-ca-cert",
    ]
}
