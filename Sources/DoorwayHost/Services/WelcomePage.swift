// The page a new host's Web server shows first: what this host runs, and how to reach each service.

import Doorway
import DoorwayHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum WelcomePage {
    /// Makes `folder` (and its parents) with an `index.html`, unless the folder already exists.
    static func create(in folder: String, host: HostConfiguration) throws {
        var status = stat()
        if stat(folder, &status) == 0 { return }
        try makeFolders(folder)
        let page = html(host: host)
        let path = folder + "/index.html"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw HostError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var text = page
        let written = text.withUTF8 { write(fd, $0.baseAddress, $0.count) }
        guard written == page.utf8.count else {
            throw HostError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func html(host: HostConfiguration) -> String {
        var rows = ""
        for service in host.services {
            let ports = service.listen.map { $0.port.map { "\($0)" } ?? $0.description }.joined(separator: ", ")
            let transports = service.transports.map { $0.rawValue.uppercased() }.joined(separator: ", ")
            let port = service.listen.first?.port.map { "\($0)" } ?? "PORT"
            let hint = service.kind.definition.welcomeHint(port: port)
            rows +=
                "<tr><td>\(HTMLText.escape(service.name))</td><td>\(transports)</td><td>\(ports)</td><td>\(hint)</td></tr>\n"
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
