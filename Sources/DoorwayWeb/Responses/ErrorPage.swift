// The small HTML page that goes with an error status, as nginx sends one.

import NIOHTTP1

struct ErrorPage {
    static let contentType = "text/html; charset=utf-8"

    let body: String

    init(status: HTTPResponseStatus) {
        let title = "\(status.code) \(status.reasonPhrase)"
        body =
            "<html>\r\n<head><title>\(title)</title></head>\r\n<body>\r\n<center><h1>\(title)</h1></center>\r\n<hr><center>door</center>\r\n</body>\r\n</html>\r\n"
    }
}
