// Renders the HTML index page for a directory without an index file, similar to nginx's autoindex.

import DoorwayBasics
import DoorwayHTTP

/// Builds a self-contained HTML5 directory index.
public struct DirectoryListing: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var isDirectory: Bool
        public var size: Int
        /// Seconds since 1970, UTC.
        public var modified: Int

        public init(name: String, isDirectory: Bool, size: Int, modified: Int) {
            self.name = name
            self.isDirectory = isDirectory
            self.size = size
            self.modified = modified
        }
    }

    /// Renders the page for the directory shown as `displayPath` (decoded, e.g. `/docs/`).
    ///
    /// Each link is `hrefPrefix` followed by the percent-encoded entry name (and `/` for directories).
    /// `hrefPrefix` is inserted verbatim, so it must already be encoded: use `""` for links relative to the
    /// listing, or `RequestTarget.percentEncodePath(segments) + "/"` for absolute ones. Directories come first,
    /// then files, each ordered by the bytes of their names so the order does not depend on locale.
    public static func html(displayPath: String, entries: [Entry], hrefPrefix: String) -> String {
        let sorted = entries.sorted { lhs, rhs in
            if lhs.isDirectory != rhs.isDirectory {
                return lhs.isDirectory
            }
            return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
        }
        let title = "Index of " + HTMLText.escape(displayPath)
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; }
            table { border-collapse: collapse; }
            th, td { padding: 0.2em 1.5em 0.2em 0; text-align: left; }
            td.size { text-align: right; font-variant-numeric: tabular-nums; }
            </style>
            </head>
            <body>
            <h1>\(title)</h1>
            <table>
            <thead><tr><th>Name</th><th>Size</th><th>Modified</th></tr></thead>
            <tbody>

            """
        if displayPath != "/" {
            html += "<tr><td><a href=\"../\">../</a></td><td class=\"size\">-</td><td></td></tr>\n"
        }
        for entry in sorted {
            let suffix = entry.isDirectory ? "/" : ""
            // ':' is encoded too: with an empty prefix, a file named "javascript:..." must not become a scheme.
            let href = hrefPrefix + RequestTarget.percentEncodeSegment(entry.name, encodeColon: true) + suffix
            let size = entry.isDirectory ? "-" : String(max(0, entry.size))
            html += "<tr><td><a href=\"\(HTMLText.escape(href))\">\(HTMLText.escape(entry.name + suffix))</a></td>"
            html += "<td class=\"size\">\(size)</td><td>\(modifiedText(entry.modified))</td></tr>\n"
        }
        html += """
            </tbody>
            </table>
            </body>
            </html>

            """
        return html
    }

    /// nginx-style `10-Oct-2000 13:55`, in UTC.
    static func modifiedText(_ secondsSince1970: Int) -> String {
        let c = CivilTime(secondsSince1970: secondsSince1970)
        return
            "\(CivilTime.pad2(c.day))-\(c.monthName)-\(CivilTime.pad4(c.year)) \(CivilTime.pad2(c.hour)):\(CivilTime.pad2(c.minute))"
    }
}
