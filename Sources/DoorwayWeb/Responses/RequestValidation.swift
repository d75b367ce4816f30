// Every rule a request must pass before the Web server looks for a file, in one place and with no I/O.

import DoorwayHTTP
import NIOHTTP1

/// The Web server's checks on a request, as pure functions of what has arrived.
///
/// A request is judged in up to three steps, because some answers cannot wait for the whole request:
///
/// ```swift
/// let validation = RequestValidation(policy: .init(), limits: .init())
/// validation.checkHead(head)              // at the head: framing and expectations (400, 417)
/// validation.checkBody(discarded: total)  // while the unwanted body arrives (413)
/// validation.check(head)                  // at the end: Host, method and target (400, 405, 501, 404)
/// ```
///
/// A head that NIO's parser refused gets its status from ``status(for:requestLineIsTooLong:)``. Only statuses
/// are decided here; the responder writes the pages and closes the connection where a verdict says so.
struct RequestValidation: Sendable {
    /// What to do once a request head has arrived.
    enum HeadVerdict: Equatable, Sendable {
        /// Read (and drop) any body, and answer at the request's end.
        case awaitEnd
        /// `Expect: 100-continue` with a body: the client waits for a go-ahead. It gets the final answer at
        /// once instead (the server wants no body), and the connection closes so that the unsent body cannot
        /// be mistaken for a request.
        case answerNow
        /// Answer with this status before any body, and close.
        case refuse(HTTPResponseStatus)
    }

    /// What to do with a whole request.
    enum Verdict: Equatable, Sendable {
        /// A GET or HEAD of a target the policy lets the client see: look for the file.
        case serve(RequestTarget)
        /// OPTIONS: `204 No Content` with ``RequestValidation/allowedMethods``.
        case options
        /// An error page with this status; a 405 also carries `Allow`.
        case refuse(HTTPResponseStatus)
    }

    /// The methods the server answers, as the `Allow` field lists them.
    static let allowedMethods = "GET, HEAD, OPTIONS"

    let policy: WebServer.Policy
    let limits: WebServer.Limits

    /// Framing the server will not trust (RFC 9112 §6.3: a repeated or malformed Content-Length, or one next to
    /// Transfer-Encoding), and expectations other than `100-continue` (RFC 9110 §10.1.1).
    func checkHead(_ head: HTTPRequestHead) -> HeadVerdict {
        let lengths = head.headers["content-length"]
        let hasTransferEncoding = head.headers.contains(name: "transfer-encoding")
        if lengths.count > 1 || (lengths.count == 1 && hasTransferEncoding)
            || lengths.contains(where: { $0.isEmpty || !$0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } })
        {
            return .refuse(.badRequest)
        }
        let expectations = head.headers["expect"]
        guard !expectations.isEmpty else { return .awaitEnd }
        guard expectations.count == 1, expectations[0].lowercased() == "100-continue" else {
            return .refuse(.expectationFailed)
        }
        let hasBody = hasTransferEncoding || (Int(lengths.first ?? "0") ?? 0) > 0
        return hasBody ? .answerNow : .awaitEnd
    }

    /// The server takes no uploads: past the discarded-body limit a body is refused with 413.
    func checkBody(discarded: Int) -> HTTPResponseStatus? {
        discarded > limits.discardedBodySize ? .payloadTooLarge : nil
    }

    /// Host (RFC 9112 §3.2: exactly one, or none from an HTTP/1.0 client), the method, and the target: it must
    /// parse, and a hidden name is not found unless the policy serves hidden files.
    func check(_ head: HTTPRequestHead) -> Verdict {
        let hosts = head.headers["host"]
        if hosts.count > 1 || (hosts.isEmpty && head.version != .http1_0) {
            return .refuse(.badRequest)
        }
        switch head.method {
        case .GET, .HEAD: break
        case .OPTIONS: return .options
        case .RAW: return .refuse(.notImplemented)
        default: return .refuse(.methodNotAllowed)
        }
        guard let target = try? RequestTarget.parse(head.uri) else { return .refuse(.badRequest) }
        if target.isHidden && !policy.servesHiddenFiles {
            return .refuse(.notFound)
        }
        return .serve(target)
    }

    /// The status for a request NIO's parser refused: 414 for an over-long request line, 431 for an
    /// over-large header section, 501 for a method the parser does not know, 505 for an unsupported version,
    /// and 400 for the rest (obs-fold, whitespace before a colon, a bare CR, Content-Length with
    /// Transfer-Encoding, a bad or repeated Content-Length).
    static func status(for error: HTTPParserError, requestLineIsTooLong: Bool) -> HTTPResponseStatus {
        switch error {
        case .headerOverflow: requestLineIsTooLong ? .uriTooLong : .requestHeaderFieldsTooLarge
        case .invalidMethod: .notImplemented
        case .invalidVersion: .httpVersionNotSupported
        default: .badRequest
        }
    }
}
