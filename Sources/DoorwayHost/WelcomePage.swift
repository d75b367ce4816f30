// The page a new host's Web server shows first: what this host runs, and how to reach each service.

import DoorwayServices

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum WelcomePage {
    /// Makes `folder` (and its parents) with an `index.html`, unless the folder already exists.
    static func create(in folder: String, plan: PortPlan) throws {
        var status = stat()
        if stat(folder, &status) == 0 { return }
        try makeFolders(folder)
        let page = html(plan: plan)
        let path = folder + "/index.html"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw HostError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var text = page
        let written = text.withUTF8 { write(fd, $0.baseAddress, $0.count) }
        guard written == page.utf8.count else { throw HostError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    static func html(plan: PortPlan) -> String {
        var rows = "<tr><td>web</td><td>TCP</td><td>\(plan.webPort)</td><td>this page: <code>door get http://HOST:\(plan.webPort)/</code></td></tr>\n"
        rows += "<tr><td>smtp</td><td>TCP</td><td>\(plan.smtpPort)</td><td>mail, stored in <code>mail/</code>: <code>swaks --server HOST:\(plan.smtpPort) --to you@example.test</code></td></tr>\n"
        rows += "<tr><td>pop3</td><td>TCP</td><td>\(plan.pop3Port)</td><td>mailboxes, for users of <code>door mail user add</code></td></tr>\n"
        rows += "<tr><td>tracker</td><td>TCP</td><td>\(plan.trackerPort)</td><td>BitTorrent: <code>http://HOST:\(plan.trackerPort)/announce</code></td></tr>\n"
        rows += "<tr><td>seed</td><td>TCP</td><td>\(plan.firstSeedPort)…</td><td>seeds each torrent in <code>torrents/</code> whose data lies beside it</td></tr>\n"
        for service in SimpleService.allCases {
            let port = plan.port(for: service)
            rows += "<tr><td>\(service.rawValue)</td><td>TCP, UDP</td><td>\(port)</td><td><code>door connect HOST:\(port)</code></td></tr>\n"
        }
        return """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>door: this host's services</title>
            <style>body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.5}
            table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}</style>
            </head>
            <body>
            <h1>This host runs door</h1>
            <p>A network application is processes on end systems exchanging messages through sockets. This host
            waits for messages on these ports; each port leads to one process. Replace this page by putting your
            own files in this folder (<code>public/</code> in door's data folder).</p>
            <table>
            <tr><th>service</th><th>transport</th><th>port</th><th>try</th></tr>
            \(rows)</table>
            </body>
            </html>

            """
    }

    private static func makeFolders(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw HostError("cannot create \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// Why the host could not set up an application.
public struct HostError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
