// Downloading to a file, and resuming a partial one with Range and If-Range (RFC 9110 §14.2, §13.1.5).

import NIOCore
import NIOHTTP1

extension HTTPClient {
    /// How far a download to a file has come; handed to `progress` after each piece is written.
    public struct DownloadProgress: Sendable {
        /// The bytes kept from an earlier, partial download.
        public var start: Int
        /// The bytes in the file now.
        public var position: Int
        /// The file's whole size, when the server said how long the body is.
        public var total: Int?
    }

    /// How a download to a file ended.
    public struct Download: Sendable {
        /// The final response's head. Nothing was written for an error status (400 and above).
        public var head: ResponseHead
        /// The bytes of the earlier, partial download that were kept: the server answered the range (206), or
        /// the file was already complete. Zero for a download written from the start.
        public var resumedFrom: Int
        /// The server said the file is already whole: 416 with `Content-Range: bytes */SIZE` for its size.
        public var wasAlreadyComplete: Bool
    }

    /// GETs `url` into the file at `path`, and with `resuming`, continues a partial file instead of starting over.
    ///
    /// ```swift
    /// let download = try await http.download("http://192.0.2.1/big.iso", to: "big.iso", resuming: true)
    /// print(download.head.status, download.resumedFrom)
    /// ```
    ///
    /// A resumed download asks for the bytes after the file's end (`Range: bytes=SIZE-`) under the validator
    /// saved with the file (`If-Range`): the server sends the rest (206), or the whole file when it has
    /// changed (200, and the file is rewritten). The response's strong ETag, else its Last-Modified, is saved
    /// in the file's extended attribute `user.door.validator` for the next resume.
    ///
    /// - Parameters:
    ///   - url: the `http://` URL to fetch; redirects are followed as for ``get(_:headers:head:body:)``.
    ///   - path: the file the body is written to; created or rewritten unless the download resumes.
    ///   - resuming: when true and `path` already has bytes, ask only for the rest of the file.
    ///   - headers: extra request headers, sent with the request and each redirected one.
    ///   - head: called once with the final response's head, before any of the file is written.
    ///   - progress: called after each piece of the body is written.
    @discardableResult
    public func download(
        _ url: String,
        to path: String,
        resuming: Bool = false,
        headers: HTTPHeaders = [:],
        head: (ResponseHead) async throws -> Void = { _ in },
        progress: (DownloadProgress) -> Void = { _ in }
    ) async throws -> Download {
        var headers = headers
        var kept = resuming ? DownloadFile.size(of: path) : 0
        if kept > 0 {
            headers.add(name: "Range", value: "bytes=\(kept)-")
            if let validator = DownloadFile.validator(of: path) { headers.add(name: "If-Range", value: validator) }
        }
        var file: DownloadFile?
        var wasAlreadyComplete = false
        var state = DownloadProgress(start: 0, position: 0, total: nil)
        let response = try await get(url, headers: headers) { response in
            try await head(response)
            if response.status == .rangeNotSatisfiable, kept > 0,
                response.headers.first(name: "content-range") == "bytes */\(kept)"
            {
                wasAlreadyComplete = true
                return
            }
            guard response.status.code < 400 else { return }
            let appending = response.status == .partialContent && kept > 0
            file = try DownloadFile(path: path, appending: appending)
            if !appending { kept = 0 }
            if let validator = response.headers.first(name: "etag").flatMap({ $0.hasPrefix("W/") ? nil : $0 })
                ?? response.headers.first(name: "last-modified")
            {
                DownloadFile.setValidator(validator, of: path)
            }
            state = DownloadProgress(start: kept, position: kept, total: response.contentLength.map { $0 + kept })
        } body: { bytes in
            guard let file else { return }
            try file.write(bytes)
            state.position += bytes.readableBytes
            progress(state)
        }
        return Download(head: response, resumedFrom: kept, wasAlreadyComplete: wasAlreadyComplete)
    }
}
