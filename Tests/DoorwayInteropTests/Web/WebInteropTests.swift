// door web serve against the Web's real clients (curl, wget, Python's http.client, headless Chromium), and
// door get against door web serve, on loopback and across two hosts.

import Doorway
import DoorwayTesting
import Foundation
import Testing

@Suite("door web serve and door get with real Web peers", .timeLimit(.minutes(3)))
struct WebInteropTests {
    // MARK: curl

    @Test("curl fetches two URLs over one kept-alive connection")
    func curlReusesTheConnection() async throws {
        let (curl, port) = (try curl(), try unusedPort())
        let site = try Site(["a.txt": Array("the first file\n".utf8), "b.txt": Array("the second file\n".utf8)])
        defer { site.remove() }
        let server = try await startWebServer(site, port: port)
        defer { server.kill() }

        let result = try await Subprocess.run(
            [curl, "-sS", "-v", webAddress(port, "/a.txt"), webAddress(port, "/b.txt")], timeout: .seconds(20))
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.standardOutputText == "the first file\nthe second file\n", "\(result)")
        let connections = result.standardErrorText.components(separatedBy: "Connected to ").count - 1
        #expect(connections == 1, "curl should have opened one connection: \(result)")
        #expect(
            result.standardErrorText.contains("Re-using existing connection"),
            "curl should have sent the second request on the first connection: \(result)")
    }

    @Test("curl -I gets the same header fields as a GET and no body, for a small and a large file")
    func curlHeadMatchesGet() async throws {
        let port = try unusedPort()
        let files = ["small.bin": message("small"), "large.bin": message("large", bulk: 400_000)]
        let site = try Site(files)
        defer { site.remove() }
        let server = try await startWebServer(site, port: port)
        defer { server.kill() }

        for (name, content) in files.sorted(by: { $0.key < $1.key }) {
            let get = try await curlResponse([webAddress(port, "/\(name)")])
            let head = try await curlResponse(["-I", webAddress(port, "/\(name)")])
            #expect(get.status == 200 && head.status == 200, "GET: \(get), HEAD: \(head)")
            expectSameBytes(get.body, content, "the GET body of \(name)")
            #expect(head.body.isEmpty, "HEAD \(name) came with a body: \(head)")
            #expect(head.field("Content-Length") == String(content.count), "HEAD \(name): \(head)")
            // Date is the one field that may rightly differ between the two answers.
            #expect(head.fieldLines(except: ["Date"]) == get.fieldLines(except: ["Date"]), "GET: \(get)\nHEAD: \(head)")
        }
    }

    @Test("curl -r gets single, suffix, open and multiple ranges with 206, and 416 for an unsatisfiable one")
    func curlRanges() async throws {
        let port = try unusedPort()
        // A small file comes from memory, a large one through sendfile: both must cut the same way.
        let files = ["small.bin": message("small ranges"), "large.bin": message("large ranges", bulk: 400_000)]
        let site = try Site(files)
        defer { site.remove() }
        let server = try await startWebServer(site, port: port)
        defer { server.kill() }

        for (name, content) in files.sorted(by: { $0.key < $1.key }) {
            let url = webAddress(port, "/\(name)")
            let length = content.count
            let singles: [(range: String, bytes: ArraySlice<UInt8>, contentRange: String)] = [
                ("0-9", content[0..<10], "bytes 0-9/\(length)"),
                ("-5", content[(length - 5)...], "bytes \(length - 5)-\(length - 1)/\(length)"),
                ("10-", content[10...], "bytes 10-\(length - 1)/\(length)"),
            ]
            for single in singles {
                let response = try await curlResponse(["-r", single.range, url])
                #expect(response.status == 206, "-r \(single.range) \(name): \(response)")
                #expect(
                    response.field("Content-Range") == single.contentRange, "-r \(single.range) \(name): \(response)")
                #expect(response.field("Content-Length") == String(single.bytes.count), "\(response)")
                expectSameBytes(response.body, single.bytes, "the body of -r \(single.range) on \(name)")
            }

            let multiple = try await curlResponse(["-r", "0-1,4-5", url])
            #expect(multiple.status == 206, "-r 0-1,4-5 \(name): \(multiple)")
            let contentType = multiple.field("Content-Type") ?? ""
            #expect(contentType.hasPrefix("multipart/byteranges"), "-r 0-1,4-5 \(name): \(multiple)")
            #expect(multiple.field("Content-Length") == String(multiple.body.count), "\(multiple)")
            let boundary = try #require(
                contentType.components(separatedBy: "boundary=").dropFirst().first, "no boundary: \(multiple)")
            let parts = try MultipartPart.parse(multiple.body, boundary: boundary)
            #expect(parts.count == 2, "\(multiple)")
            if parts.count == 2 {
                #expect(parts[0].field("Content-Range") == "bytes 0-1/\(length)", "\(multiple)")
                #expect(parts[0].body == Array(content[0..<2]), "\(multiple)")
                #expect(parts[1].field("Content-Range") == "bytes 4-5/\(length)", "\(multiple)")
                #expect(parts[1].body == Array(content[4..<6]), "\(multiple)")
            }

            let beyond = try await curlResponse(["-r", "\(length + 10)-\(length + 20)", url])
            #expect(beyond.status == 416, "a range past the end of \(name): \(beyond)")
            #expect(beyond.field("Content-Range") == "bytes */\(length)", "\(beyond)")
        }
    }

    @Test("curl's conditional requests: If-None-Match, If-Modified-Since and -z give 304; a stale If-Range gives 200")
    func curlConditionalRequests() async throws {
        let port = try unusedPort()
        let content = message("conditional", bulk: 1000)
        let site = try Site(["page.bin": content])
        defer { site.remove() }
        let server = try await startWebServer(site, port: port)
        defer { server.kill() }
        let url = webAddress(port, "/page.bin")

        let first = try await curlResponse([url])
        #expect(first.status == 200, "\(first)")
        let etag = try #require(first.field("ETag"), "no ETag: \(first)")
        let lastModified = try #require(first.field("Last-Modified"), "no Last-Modified: \(first)")
        #expect(etag.hasPrefix("\""), "a strong ETag is a quoted string: \(first)")

        let byTag = try await curlResponse(["-H", "If-None-Match: \(etag)", url])
        #expect(byTag.status == 304 && byTag.body.isEmpty, "If-None-Match: \(etag): \(byTag)")
        #expect(byTag.field("ETag") == etag, "a 304 repeats the ETag: \(byTag)")
        let otherTag = try await curlResponse(["-H", "If-None-Match: \"some-other-version\"", url])
        #expect(otherTag.status == 200, "If-None-Match with another tag: \(otherTag)")
        expectSameBytes(otherTag.body, content, "the body after If-None-Match with another tag")

        let byDate = try await curlResponse(["-H", "If-Modified-Since: \(lastModified)", url])
        #expect(byDate.status == 304 && byDate.body.isEmpty, "If-Modified-Since: \(lastModified): \(byDate)")

        // -z FILE sends If-Modified-Since with the file's own modification time: the served file's.
        let sinceFile = try await curlResponse(["-z", site.path("page.bin"), url])
        #expect(sinceFile.status == 304 && sinceFile.body.isEmpty, "-z \(site.path("page.bin")): \(sinceFile)")
        let sinceLongAgo = try await curlResponse(["-z", "Sat, 01 Jan 2000 00:00:00 GMT", url])
        #expect(sinceLongAgo.status == 200, "-z 2000-01-01: \(sinceLongAgo)")
        expectSameBytes(sinceLongAgo.body, content, "the body after -z 2000-01-01")

        let staleIfRange = try await curlResponse(["-r", "0-9", "-H", "If-Range: \"some-other-version\"", url])
        #expect(staleIfRange.status == 200, "a stale If-Range gets the whole file: \(staleIfRange)")
        #expect(staleIfRange.field("Content-Range") == nil, "\(staleIfRange)")
        expectSameBytes(staleIfRange.body, content, "the body after a stale If-Range")
        let currentIfRange = try await curlResponse(["-r", "0-9", "-H", "If-Range: \(etag)", url])
        #expect(currentIfRange.status == 206, "If-Range with the current ETag: \(currentIfRange)")
        expectSameBytes(currentIfRange.body, content[0..<10], "the body after If-Range with the current ETag")
    }

    @Test("curl --compressed gets a .gz sibling with Content-Encoding: gzip and Vary, and decodes it")
    func curlGetsPrecompressedSibling() async throws {
        let (gzip, port) = (try requiredExecutable(named: "gzip", installHint: peerInstallHint), try unusedPort())
        let text = String(repeating: "door serves the precompressed sibling of a file. ", count: 200)
        let site = try Site(["x.txt": Array(text.utf8)])
        defer { site.remove() }
        let compressing = try await Subprocess.run([gzip, "-k", "-9", site.path("x.txt")])
        #expect(compressing.exitCode == 0, "\(compressing)")
        let compressedSize = try #require(FileManager.default.contents(atPath: site.path("x.txt.gz"))?.count)
        let server = try await startWebServer(site, port: port)
        defer { server.kill() }

        let compressed = try await curlResponse(["--compressed", webAddress(port, "/x.txt")])
        #expect(compressed.status == 200, "\(compressed)")
        #expect(compressed.field("Content-Encoding") == "gzip", "\(compressed)")
        #expect(compressed.field("Content-Length") == String(compressedSize), "\(compressed)")
        #expect(compressed.field("Vary")?.lowercased().contains("accept-encoding") == true, "\(compressed)")
        #expect(compressed.field("Content-Type")?.hasPrefix("text/plain") == true, "\(compressed)")
        #expect(String(decoding: compressed.body, as: UTF8.self) == text, "curl's decoded body: \(compressed)")

        let plain = try await curlResponse([webAddress(port, "/x.txt")])
        #expect(plain.status == 200 && plain.field("Content-Encoding") == nil, "\(plain)")
        #expect(plain.field("Vary")?.lowercased().contains("accept-encoding") == true, "\(plain)")
        #expect(String(decoding: plain.body, as: UTF8.self) == text, "\(plain)")
    }

    // MARK: wget

    @Test("wget -r copies a small site by following its links, every file byte-identical")
    func wgetMirrorsASite() async throws {
        let (wget, port) = (try wget(), try unusedPort())
        let files: [String: [UInt8]] = [
            "index.html": Array(
                """
                <!doctype html>
                <html><head><title>home</title><link rel="stylesheet" href="style.css"></head>
                <body><a href="sub/page.html">a page</a> <img src="img/logo.png" alt="logo"></body></html>

                """.utf8),
            "style.css": Array("body { background: url(img/background.png); }\n".utf8),
            "img/logo.png": tinyPNG,
            "img/background.png": Array(tinyPNG.reversed()),
            "sub/page.html": Array(
                """
                <!doctype html>
                <html><head><link rel="stylesheet" href="../style.css"></head>
                <body><a href="../index.html">home</a> <a href="notes.bin">notes</a></body></html>

                """.utf8),
            "sub/notes.bin": message("notes", bulk: 300_000),
            // Linked from nowhere, so wget must not find it.
            "unlinked.txt": Array("nobody links here\n".utf8),
        ]
        let site = try Site(files)
        defer { site.remove() }
        let server = try await startWebServer(site, port: port)
        defer { server.kill() }

        let download = site.scratch("download")
        let result = try await Subprocess.run(
            [wget, "-nv", "-r", "-np", "-nH", "-P", download, webAddress(port, "/")], timeout: .seconds(60))
        #expect(result.exitCode == 0, "\(result)")
        let arrived = regularFiles(under: download)
        #expect(arrived == Set(files.keys).subtracting(["unlinked.txt"]), "wget saved \(arrived.sorted()): \(result)")
        for (name, content) in files where arrived.contains(name) {
            let copy = FileManager.default.contents(atPath: "\(download)/\(name)").map { Array($0) } ?? []
            expectSameBytes(copy, content, "wget's copy of \(name)")
        }
    }

    // MARK: Python

    @Test("Python's http.client: two GETs and a HEAD on one connection, a 404, and an HTTP/1.0 request")
    func pythonHTTPClient() async throws {
        let (python, port) = (try python3(), try unusedPort())
        let small = message("small for python")
        let large = message("large for python", bulk: 400_000)
        let site = try Site(["small.bin": small, "large.bin": large])
        defer { site.remove() }
        let server = try await startWebServer(site, port: port)
        defer { server.kill() }

        let result = try await Subprocess.run([python, "-c", pythonExchanges, "\(port)"], timeout: .seconds(30))
        #expect(result.exitCode == 0, "\(result)")
        let exchanges = try JSONDecoder().decode([String: PythonExchange].self, from: Data(result.standardOutput))
        let first = try #require(exchanges["first"], "\(result)")
        let second = try #require(exchanges["second"], "\(result)")
        let head = try #require(exchanges["head"], "\(result)")
        let afterHead = try #require(exchanges["afterHead"], "\(result)")
        let missing = try #require(exchanges["missing"], "\(result)")
        let http10 = try #require(exchanges["http10"], "\(result)")

        #expect(first.status == 200 && second.status == 200 && afterHead.status == 200, "\(result)")
        expectSameBytes(try first.bytes(), small, "the first body")
        expectSameBytes(try second.bytes(), large, "the second body")
        let headBody = try head.bytes()
        #expect(head.status == 200 && headBody.isEmpty, "\(result)")
        #expect(head.contentLength == String(small.count), "HEAD's Content-Length: \(result)")
        // A body after the HEAD's head would have been read as the start of this response.
        expectSameBytes(try afterHead.bytes(), small, "the body after the HEAD")
        #expect(missing.status == 404, "\(result)")
        let keptAlive = [first, second, head, afterHead, missing]
        #expect(
            Set(keptAlive.map(\.localPort)).count == 1 && keptAlive.allSatisfy { !$0.closes },
            "all five requests should share one connection: \(result)")

        #expect(http10.status == 200, "\(result)")
        expectSameBytes(try http10.bytes(), small, "the body for HTTP/1.0")
        // An HTTP/1.0 request without `Connection: keep-alive` ends its connection with the response.
        #expect(http10.closes, "the response to HTTP/1.0 should close the connection: \(result)")
    }

    // MARK: Chromium

    @Test("headless Chromium loads a page's CSS, script, fetched JSON and image, and takes a screenshot")
    func chromiumRendersAPage() async throws {
        let (chromium, port) = (try chromium(), try unusedPort())
        let site = try Site([
            "index.html": Array(
                """
                <!doctype html>
                <html><head><title>door in a browser</title><link rel="stylesheet" href="style.css"></head>
                <body><h1>door web serve</h1><img id="logo" src="logo.png" alt="logo">
                <div id="result">waiting</div><script src="app.js"></script></body></html>

                """.utf8),
            "style.css": Array("body { background-color: rgb(1, 2, 3); color: white; }\n".utf8),
            "app.js": Array(
                """
                const image = document.getElementById('logo');
                const imageLoaded = new Promise((resolve, reject) => {
                  if (image.complete && image.naturalWidth > 0) { resolve(); return; }
                  image.onload = () => resolve();
                  image.onerror = () => reject(new Error('the image did not load'));
                });
                const data = fetch('data.json').then(response => {
                  if (!response.ok) { throw new Error('data.json: status ' + response.status); }
                  return response.json();
                });
                Promise.all([data, imageLoaded]).then(([json]) => {
                  const background = getComputedStyle(document.body).backgroundColor;
                  document.getElementById('result').textContent =
                    'marker:' + json.word + ':' + image.naturalWidth + 'x' + image.naturalHeight + ':' + background;
                }).catch(error => {
                  document.getElementById('result').textContent = 'failed: ' + error;
                });

                """.utf8),
            "data.json": Array(#"{"word": "fetched"}"#.utf8),
            "logo.png": tinyPNG,
        ])
        defer { site.remove() }
        let server = try await startWebServer(site, port: port, options: ["--access-log", "-"])
        defer { server.kill() }

        // The profile folder is the test's own, so parallel runs do not share a lock or a cache. The virtual
        // time budget makes Chromium wait for the page to settle (the fetch included) before it dumps.
        let browser = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--user-data-dir=\(site.scratch("chromium-profile"))",
            "--virtual-time-budget=10000",
        ]
        let dump = try await Subprocess.run(browser + ["--dump-dom", webAddress(port, "/")], timeout: .seconds(60))
        #expect(dump.exitCode == 0, "\(dump)")
        // The script writes this only after data.json parsed, the image decoded (8×8) and the CSS applied.
        #expect(
            dump.standardOutputText.contains("marker:fetched:8x8:rgb(1, 2, 3)"),
            "Chromium's DOM lacks the script's marker: \(dump)")
        for path in ["/", "/style.css", "/app.js", "/data.json", "/logo.png"] {
            try await server.waitForOutput(containing: "\"GET \(path) HTTP/1.1\" 200 ")
        }

        let screenshot = site.scratch("screenshot.png")
        let shot = try await Subprocess.run(
            browser + ["--screenshot=\(screenshot)", "--window-size=800,600", webAddress(port, "/")],
            timeout: .seconds(60))
        #expect(shot.exitCode == 0, "\(shot)")
        let image = try #require(
            FileManager.default.contents(atPath: screenshot).map { Array($0) },
            "no screenshot at \(screenshot): \(shot)")
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG: \(shot)")
        #expect(image.count > 1000, "a screenshot of \(image.count) bytes is too small to show the page: \(shot)")
        // IHDR comes first: width and height, big-endian, at bytes 16–23.
        if image.count >= 24 {
            let width = image[16..<20].reduce(0) { $0 << 8 | Int($1) }
            let height = image[20..<24].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == 800 && height == 600, "the screenshot is \(width)×\(height)")
        }
        // Kept for a person to look at.
        let kept = "/tmp/doorway-web-screenshot.png"
        try? FileManager.default.removeItem(atPath: kept)
        try FileManager.default.copyItem(atPath: screenshot, toPath: kept)
    }

    // MARK: Two hosts

    @Test("door get on host B downloads from door web serve on host A, and -C resumes a partial file")
    func getAcrossHosts() async throws {
        let door = try door()
        let content = message("across hosts", bulk: 600_000)
        let site = try Site(["big.bin": content])
        defer { site.remove() }
        try await withTwoHosts { hosts in
            // The namespaces are this test's own, so any port is free.
            let port: UInt16 = 8080
            let server = try hosts.a.start([
                door, "web", "serve", "--root", site.root, "--listen", ":\(port)", "--access-log", "-",
            ])
            try await server.waitUntilBound(port: port)
            let url = "http://\(hosts.a.address):\(port)/big.bin"

            let whole = try await hosts.b.run([door, "get", url], timeout: .seconds(30))
            #expect(whole.exitCode == 0, "\(whole)")
            expectSameBytes(whole.standardOutput, content, "door get's body across hosts")

            // A first part fetched some other way: -C asks for the rest and appends it.
            let partial = site.scratch("partial.bin")
            try Data(content[0..<200_000]).write(to: URL(fileURLWithPath: partial))
            let resumed = try await hosts.b.run([door, "get", "-C", "-o", partial, url], timeout: .seconds(30))
            #expect(resumed.exitCode == 0 && resumed.standardOutput.isEmpty, "\(resumed)")
            expectSameBytes(contents(of: partial), content, "the file resumed with -C -o")
            try await server.waitForOutput(containing: "\"GET /big.bin HTTP/1.1\" 206 \(content.count - 200_000) ")

            // -O saves under the URL's last segment in the current folder, which is the file to resume.
            let folder = site.scratch("on-host-b")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(content[0..<123_456]).write(to: URL(fileURLWithPath: "\(folder)/big.bin"))
            let named = try await hosts.b.run(inFolder(folder, [door, "get", "-C", "-O", url]), timeout: .seconds(30))
            #expect(named.exitCode == 0 && named.standardOutput.isEmpty, "\(named)")
            expectSameBytes(contents(of: "\(folder)/big.bin"), content, "the file resumed with -C -O")
            try await server.waitForOutput(containing: "\"GET /big.bin HTTP/1.1\" 206 \(content.count - 123_456) ")
        }
    }

    // MARK: door get

    @Test("door get -v sends several URLs over one connection, and -i prints the status line and header fields")
    func getReusesTheConnectionAndPrintsHeads() async throws {
        let (door, port) = (try door(), try unusedPort())
        let files = [
            "a.txt": Array("the first file\n".utf8), "b.bin": message("second", bulk: 300_000),
            "c.txt": Array("the third file\n".utf8),
        ]
        let site = try Site(files)
        defer { site.remove() }
        let server = try await startWebServer(site, port: port)
        defer { server.kill() }

        let urls = ["/a.txt", "/b.bin", "/c.txt"].map { webAddress(port, $0) }
        let several = try await Subprocess.run([door, "get", "-v"] + urls, timeout: .seconds(20))
        #expect(several.exitCode == 0, "\(several)")
        expectSameBytes(several.standardOutput, files["a.txt"]! + files["b.bin"]! + files["c.txt"]!, "three bodies")
        let lines = several.standardErrorText.split(separator: "\n").map(String.init)
        #expect(
            lines.filter { $0.hasPrefix("* ") } == [
                "* connected to 127.0.0.1:\(port)", "* reusing the connection to 127.0.0.1:\(port)",
                "* reusing the connection to 127.0.0.1:\(port)",
            ], "\(several)")

        let included = try await Subprocess.run([door, "get", "-i", webAddress(port, "/a.txt")])
        #expect(included.exitCode == 0, "\(included)")
        let response = try PrintedResponse(parsing: included.standardOutput, from: "\(included)")
        #expect(response.statusLine == "HTTP/1.1 200 OK", "\(included)")
        #expect(response.field("Content-Length") == String(files["a.txt"]!.count), "\(included)")
        #expect(response.field("ETag") != nil && response.field("Last-Modified") != nil, "\(included)")
        #expect(response.body == files["a.txt"]!, "\(included)")
    }

    @Test("door get exits like curl: 22 for 404, 7 refused, 3 bad URL, 28 silent server, 18 cut short, 47 redirects")
    func getExitCodes() async throws {
        let (door, nc, port) = (try door(), try await netcat(), try unusedPort())
        let site = try Site(["sub/index.html": Array("<p>the sub folder</p>\n".utf8)])
        defer { site.remove() }
        let server = try await startWebServer(site, port: port)
        defer { server.kill() }

        let missing = try await Subprocess.run([door, "get", webAddress(port, "/missing.txt")])
        #expect(missing.exitCode == 22, "\(missing)")
        #expect(missing.standardErrorText.contains("404"), "\(missing)")

        let refused = try await Subprocess.run([door, "get", webAddress(try unusedPort(), "/")])
        #expect(refused.exitCode == 7, "\(refused)")

        let badAddress = try await Subprocess.run([door, "get", "ftp://x/"])
        #expect(badAddress.exitCode == 3, "\(badAddress)")
        #expect(badAddress.standardErrorText.contains("ftp://x/"), "the message should name the URL: \(badAddress)")

        let tooMany = try await Subprocess.run([door, "get", "--max-redirects", "0", webAddress(port, "/sub")])
        #expect(tooMany.exitCode == 47, "\(tooMany)")

        // A server that accepts and never answers.
        let silentPort = try unusedPort()
        let silent = try Subprocess.start([nc, "-l", "127.0.0.1", "\(silentPort)"])
        defer { silent.kill() }
        try await silent.waitUntilBound(port: silentPort)
        let timedOut = try await Subprocess.run([door, "get", "-w", "1", webAddress(silentPort, "/")])
        #expect(timedOut.exitCode == 28, "\(timedOut)")

        // A server that reads the request, promises 100 bytes, sends 10 and closes.
        let shortPort = try unusedPort()
        let short = try Subprocess.start([nc, "-l", "-N", "127.0.0.1", "\(shortPort)"])
        defer { short.kill() }
        try await short.waitUntilBound(port: shortPort)
        let cutShort = try Subprocess.start([door, "get", webAddress(shortPort, "/")])
        defer { cutShort.kill() }
        try await short.waitForOutput(containing: "\r\n\r\n")
        try short.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b")
        short.closeInput()
        let cutShortResult = await cutShort.waitForExit()
        #expect(cutShortResult.exitCode == 18, "\(cutShortResult)")
        #expect(cutShortResult.standardOutputText == "only ten b", "\(cutShortResult)")
    }

    @Test("door get reads an answer that the server sent, and closed, before reading the request, as curl does")
    func getReadsAnEarlyAnswer() async throws {
        let (door, curl, nc) = (try door(), try curl(), try await netcat())
        // As a server that turns connections away when busy: it answers at once and closes its side.
        let answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbusy\n"
        var results: [ProcessResult] = []
        for client in [[curl, "-sS", "-f"], [door, "get"]] {
            let port = try unusedPort()
            let server = try Subprocess.start([nc, "-l", "-N", "127.0.0.1", "\(port)"])
            defer { server.kill() }
            try await server.waitUntilBound(port: port)
            // nc sends this as soon as it accepts the connection.
            try server.write(answer)
            server.closeInput()
            results.append(try await Subprocess.run(client + [webAddress(port, "/")]))
        }
        let (fromCurl, fromDoor) = (results[0], results[1])
        #expect(fromCurl.exitCode == 22, "curl -f on a 503: \(fromCurl)")
        #expect(fromDoor.exitCode == 22, "door get on a 503 should exit 22 as curl -f does: \(fromDoor)")
        #expect(fromDoor.standardOutputText == "busy\n", "\(fromDoor)")
        #expect(fromDoor.standardErrorText.contains("503"), "\(fromDoor)")
    }

    @Test("door get -O names the file after the URL's last segment and follows /sub → 301 → /sub/")
    func getSavesAndFollowsRedirects() async throws {
        let (door, port) = (try door(), try unusedPort())
        let page = Array("<p>the sub folder's index</p>\n".utf8)
        let notes = message("notes", bulk: 300_000)
        let site = try Site(["sub/index.html": page, "sub/notes.bin": notes])
        defer { site.remove() }
        let server = try await startWebServer(site, port: port, options: ["--access-log", "-"])
        defer { server.kill() }

        let folder = site.scratch("downloads")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let saved = try await Subprocess.run(inFolder(folder, [door, "get", "-O", webAddress(port, "/sub/notes.bin")]))
        #expect(saved.exitCode == 0 && saved.standardOutput.isEmpty, "\(saved)")
        #expect(regularFiles(under: folder) == ["notes.bin"], "\(saved)")
        expectSameBytes(contents(of: "\(folder)/notes.bin"), notes, "the file saved with -O")

        let redirected = try await Subprocess.run([door, "get", webAddress(port, "/sub")])
        #expect(redirected.exitCode == 0, "\(redirected)")
        #expect(redirected.standardOutput == page, "the body at the end of the redirect: \(redirected)")
        try await server.waitForOutput(containing: "\"GET /sub HTTP/1.1\" 301 ")
        try await server.waitForOutput(containing: "\"GET /sub/ HTTP/1.1\" 200 ")
    }

    @Test("door get -C leaves a complete file alone and starts over when the file changed on the server")
    func getResumesOnlyTheSameFile() async throws {
        let (door, port) = (try door(), try unusedPort())
        let original = message("original", bulk: 300_000)
        let site = try Site(["file.bin": original])
        defer { site.remove() }
        let server = try await startWebServer(site, port: port)
        defer { server.kill() }
        let url = webAddress(port, "/file.bin")
        let local = site.scratch("file.bin")

        let first = try await Subprocess.run([door, "get", "-o", local, url])
        #expect(first.exitCode == 0, "\(first)")
        expectSameBytes(contents(of: local), original, "the first download")

        let again = try await Subprocess.run([door, "get", "-C", "-o", local, url])
        #expect(again.exitCode == 0, "resuming a complete file: \(again)")
        expectSameBytes(contents(of: local), original, "the complete file after -C")

        // Keep half of the download, then change the file on the server: its ETag no longer matches the one
        // door get kept, so the server answers If-Range with the whole new file, which must replace the half.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: local))
        try handle.truncate(atOffset: UInt64(original.count / 2))
        try handle.close()
        let changed = message("changed", bulk: 300_000)
        try Data(changed).write(to: URL(fileURLWithPath: site.path("file.bin")))
        let resumed = try await Subprocess.run([door, "get", "-C", "-o", local, url])
        #expect(resumed.exitCode == 0, "\(resumed)")
        expectSameBytes(contents(of: local), changed, "the file after -C against a changed file")
    }
}

// MARK: - Sites, servers and responses

/// A folder of files for one test to serve, with room beside it for what clients save.
///
/// It is a ``TemporaryFolder`` of its own, so parallel tests never share one; the served root is its `site`
/// subfolder.
private struct Site {
    let temporary: TemporaryFolder
    var folder: String { temporary.path }

    /// The folder the server serves.
    var root: String { "\(folder)/site" }

    /// Makes the folder with `files` (relative paths such as `img/logo.png`) in the root.
    init(_ files: [String: [UInt8]]) throws {
        temporary = try TemporaryFolder("web")
        try temporary.makeFolder("site")
        for (name, content) in files {
            let path = "\(folder)/site/\(name)"
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(content).write(to: URL(fileURLWithPath: path))
        }
    }

    /// The path of a served file.
    func path(_ name: String) -> String { "\(root)/\(name)" }

    /// A path beside the root, for a client's own files.
    func scratch(_ name: String) -> String { "\(folder)/\(name)" }

    func remove() { temporary.remove() }
}

/// Starts `door web serve` on `site` at 127.0.0.1:`port`, and returns once it has said so and bound the port.
private func startWebServer(_ site: Site, port: UInt16, options: [String] = []) async throws -> BackgroundProcess {
    let server = try Subprocess.start(
        [try door(), "web", "serve", "--root", site.root, "--listen", "127.0.0.1:\(port)"] + options)
    try await server.waitForOutput(containing: "door: serving \(site.root) on http://127.0.0.1:\(port)")
    try await server.waitUntilBound(port: port)
    return server
}

private func webAddress(_ port: UInt16, _ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

/// `command` run from `folder` (for the clients that save into the current folder).
private func inFolder(_ folder: String, _ command: [String]) -> [String] {
    ["sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", folder] + command
}

/// Runs `curl -sS -i` with `arguments` and reads the response it prints.
private func curlResponse(_ arguments: [String]) async throws -> PrintedResponse {
    let result = try await Subprocess.run([try curl(), "-sS", "-i"] + arguments, timeout: .seconds(20))
    guard result.exitCode == 0 else { throw DoorwayTestingError("curl failed: \(result)") }
    return try PrintedResponse(parsing: result.standardOutput, from: "\(result)")
}

/// One HTTP response as `curl -i` and `door get -i` print it: status line, header fields, blank line, body.
private struct PrintedResponse: CustomStringConvertible {
    let statusLine: String
    let status: Int
    let fields: [(name: String, value: String)]
    let body: [UInt8]
    private let source: String

    init(parsing bytes: [UInt8], from source: String) throws {
        self.source = source
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw DoorwayTestingError("no end of the header fields in the printed response: \(source)")
        }
        let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        statusLine = lines[0]
        let words = statusLine.split(separator: " ")
        guard words.count >= 2, words[0].hasPrefix("HTTP/"), let status = Int(words[1]) else {
            throw DoorwayTestingError("not an HTTP status line: \"\(statusLine)\" in \(source)")
        }
        self.status = status
        fields = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        body = Array(bytes[end.upperBound...])
    }

    /// The value of the first field named `name`, in any case.
    func field(_ name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The fields as `Name: value` lines, in order, without those named in `excluded`.
    func fieldLines(except excluded: Set<String>) -> [String] {
        let lowercased = Set(excluded.map { $0.lowercased() })
        return fields.filter { !lowercased.contains($0.name.lowercased()) }.map { "\($0.name): \($0.value)" }
    }

    var description: String {
        "\(statusLine) with \(fields.count) fields and \(body.count) bytes of body, from \(source)"
    }
}

/// One part of a `multipart/byteranges` body (RFC 9110 §14.6).
private struct MultipartPart {
    let fields: [String: String]
    let body: [UInt8]

    func field(_ name: String) -> String? { fields[name.lowercased()] }

    static func parse(_ bytes: [UInt8], boundary: String) throws -> [MultipartPart] {
        // Every delimiter, the first included, is CRLF "--" boundary; the first CRLF may be missing.
        let delimiter = Array("\r\n--\(boundary)".utf8)
        let text = Array("\r\n".utf8) + bytes
        var parts: [MultipartPart] = []
        guard var start = text.firstRange(of: delimiter)?.upperBound else {
            throw DoorwayTestingError("no boundary \(boundary) in the multipart body")
        }
        while true {
            let rest = text[start...]
            if rest.starts(with: Array("--".utf8)) { return parts }
            guard let next = rest.firstRange(of: delimiter),
                let headEnd = rest.firstRange(of: Array("\r\n\r\n".utf8)), headEnd.upperBound <= next.lowerBound
            else { throw DoorwayTestingError("a multipart part without its head or closing boundary") }
            var fields: [String: String] = [:]
            for line in String(decoding: text[start..<headEnd.lowerBound], as: UTF8.self).components(
                separatedBy: "\r\n")
            {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
            parts.append(MultipartPart(fields: fields, body: Array(text[headEnd.upperBound..<next.lowerBound])))
            start = next.upperBound
        }
    }
}

/// Expects `actual` to be exactly `expected`, naming the first differing byte rather than printing both.
private func expectSameBytes(
    _ actual: [UInt8], _ expected: some Collection<UInt8>, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let expected = Array(expected)
    guard actual != expected else { return }
    let firstDifference =
        zip(actual.indices, zip(actual, expected)).first { $0.1.0 != $0.1.1 }?.0 ?? min(actual.count, expected.count)
    let start = String(decoding: actual.prefix(200), as: UTF8.self)
    let problem =
        "\(what): \(actual.count) bytes where \(expected.count) were expected, "
        + "first difference at byte \(firstDifference); got \"\(start)\""
    Issue.record("\(problem)", sourceLocation: sourceLocation)
}

private func contents(of path: String) -> [UInt8] {
    FileManager.default.contents(atPath: path).map { Array($0) } ?? []
}

/// The relative paths of the regular files under `folder`.
private func regularFiles(under folder: String) -> Set<String> {
    var files = Set<String>()
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return files }
    for case let name as String in enumerator {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: "\(folder)/\(name)", isDirectory: &isFolder), !isFolder.boolValue {
            files.insert(name)
        }
    }
    return files
}

/// An 8×8 red PNG, made with Python's zlib (IHDR, one IDAT, IEND; CRCs checked by `file` and Chromium).
private let tinyPNG: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x08, 0x00, 0x00, 0x00, 0x08, 0x08, 0x02, 0x00, 0x00, 0x00, 0x4B, 0x6D, 0x29, 0xDC, 0x00, 0x00, 0x00,
    0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x38, 0x21, 0xA7, 0x81, 0x15, 0x31, 0x0C, 0x2D, 0x09, 0x00,
    0x88, 0x4E, 0x43, 0x81, 0xB9, 0x27, 0x83, 0xAA, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42,
    0x60, 0x82,
]

// MARK: - Python

/// What the Python script reports for one request.
private struct PythonExchange: Decodable {
    let status: Int
    /// The body, base64-encoded.
    let body: String
    let contentLength: String?
    /// Whether http.client will close the connection after this response.
    let closes: Bool
    /// The client's port, the same for requests on the same connection.
    let localPort: Int

    func bytes() throws -> [UInt8] {
        guard let data = Data(base64Encoded: body) else { throw DoorwayTestingError("not base64: \(body)") }
        return Array(data)
    }
}

/// Requests made with Python's http.client, reported as JSON: five on one HTTP/1.1 connection, then one with
/// HTTP/1.0 on a connection of its own. The port is its argument.
private let pythonExchanges = #"""
    import base64, http.client, json, sys

    port = int(sys.argv[1])

    def exchange(connection, method, path):
        connection.request(method, path)
        local_port = connection.sock.getsockname()[1]
        response = connection.getresponse()
        body = response.read()
        return {
            "status": response.status,
            "body": base64.b64encode(body).decode("ascii"),
            "contentLength": response.getheader("Content-Length"),
            "closes": bool(response.will_close),
            "localPort": local_port,
        }

    results = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    results["first"] = exchange(connection, "GET", "/small.bin")
    results["second"] = exchange(connection, "GET", "/large.bin")
    results["head"] = exchange(connection, "HEAD", "/small.bin")
    results["afterHead"] = exchange(connection, "GET", "/small.bin")
    results["missing"] = exchange(connection, "GET", "/missing.bin")
    connection.close()

    old = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    old._http_vsn = 10
    old._http_vsn_str = "HTTP/1.0"
    results["http10"] = exchange(old, "GET", "/small.bin")
    old.close()

    print(json.dumps(results))
    """#
