// Decides the response to one request: method, target, file, conditions, ranges (RFC 9110).

import DoorwayHTTP
import NIOCore
import NIOHTTP1

/// Builds the ``Response`` for a request head.
struct ResponseBuilder {
    /// Request fields that can change a file's answer from a plain 200 (lower case).
    static let conditionalFields = ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "range"]

    let site: ServedSite
    let allocator: ByteBufferAllocator

    private var policy: WebServer.Policy { site.policy }
    private var limits: WebServer.Limits { site.limits }

    func response(to head: HTTPRequestHead) -> Response {
        let target: RequestTarget
        switch site.validation.check(head) {
        case .serve(let checked):
            target = checked
        case .options:
            return Response(status: .noContent, headers: ["Allow": RequestValidation.allowedMethods])
        case .refuse(let status):
            var response = error(status, for: head)
            // RFC 9110 §15.5.6: a 405 lists the methods that would work.
            if status == .methodNotAllowed {
                response.headers.add(name: "Allow", value: RequestValidation.allowedMethods)
            }
            return response
        }
        let relativePath = target.segments.isEmpty ? "." : target.segments.joined(separator: "/")
        let codings = AcceptedCodings(head.headers.first(name: "accept-encoding"))
        let key = ContentCache.Key(
            path: relativePath, trailingSlash: target.hasTrailingSlash, codings: codings.rawValue)
        if let cached = site.cache.freshFile(for: key, validity: limits.cacheValidity) {
            return respond(with: Representation(cached), to: head)
        }
        let file: OpenedFile
        do {
            file = try site.root.open(relativePath)
        } catch {
            return self.error(error == .notFound ? .notFound : .forbidden, for: head)
        }
        switch file.kind {
        case .regular:
            return fileResponse(file, path: relativePath, key: key, codings: codings, for: head)
        case .other:
            return error(.forbidden, for: head)
        case .directory:
            guard target.hasTrailingSlash || target.segments.isEmpty else {
                var location = RequestTarget.percentEncodePath(target.segments) + "/"
                if let query = target.query { location += "?" + query }
                var response = error(.movedPermanently, for: head)
                response.headers.add(name: "Location", value: location)
                return response
            }
            let indexPath = relativePath == "." ? "index.html" : relativePath + "/index.html"
            if let index = try? site.root.open(indexPath), index.kind == .regular {
                return fileResponse(index, path: indexPath, key: key, codings: codings, for: head)
            }
            guard policy.listsFolders else { return error(.forbidden, for: head) }
            return listing(of: file, target: target, for: head)
        }
    }

    func error(_ status: HTTPResponseStatus, for head: HTTPRequestHead) -> Response {
        let page = ErrorPage(status: status)
        let body = allocator.buffer(string: page.body)
        return Response(
            status: status,
            headers: ["Content-Type": ErrorPage.contentType, "Content-Length": String(body.readableBytes)],
            body: [.bytes(body)]
        )
    }

    // MARK: Files

    private func fileResponse(
        _ original: OpenedFile, path: String, key: ContentCache.Key, codings: AcceptedCodings, for head: HTTPRequestHead
    ) -> Response {
        var file = original
        var encoding: String?
        for (coding, suffix) in codings.preferred {
            if let variant = try? site.root.open(path + suffix), variant.kind == .regular {
                file = variant
                encoding = coding
                break
            }
        }
        let length = file.identity.size
        // Small files: bytes and header values from the cache, or read and worked out once. Large files are
        // sent as file ranges (sendfile).
        guard site.cache.accepts(size: length) else {
            let metadata = FileMetadata(of: file, path: path, encoding: encoding)
            return respond(with: Representation(content: .file(file), length: length, metadata: metadata), to: head)
        }
        if let cached = site.cache.file(for: key, identity: file.identity) {
            return respond(with: Representation(cached), to: head)
        }
        guard let body = site.root.read(file, allocator: allocator) else {
            return error(.internalServerError, for: head)
        }
        let made = CachedFile(body: body, metadata: FileMetadata(of: file, path: path, encoding: encoding))
        site.cache.store(made, for: key, identity: file.identity)
        return respond(with: Representation(made), to: head)
    }

    /// A file as it will be sent: where the bytes come from and the header values that describe them.
    private struct Representation {
        var content: Content
        var length: Int
        var metadata: FileMetadata
        /// A cached file's whole-file header lines, for a request with no conditions.
        var fullResponseFields: ByteBuffer?

        init(content: Content, length: Int, metadata: FileMetadata) {
            (self.content, self.length, self.metadata) = (content, length, metadata)
        }

        init(_ cached: CachedFile) {
            self.init(content: .memory(cached.body), length: cached.body.readableBytes, metadata: cached.metadata)
            fullResponseFields = cached.fullResponseFields
        }
    }

    private func respond(with representation: Representation, to head: HTTPRequestHead) -> Response {
        let (content, length, tag) = (representation.content, representation.length, representation.metadata.tag)
        let modified = representation.metadata.modified
        if let prepared = representation.fullResponseFields,
            !head.headers.contains(where: { field in
                Self.conditionalFields.contains { field.name.caseInsensitiveEquals($0) }
            })
        {
            // The common case: a whole cached file, its header lines serialised once.
            return Response(status: .ok, headers: [:], body: [content.chunk(0..<length)], preparedFields: prepared)
        }
        var headers = representation.metadata.headers

        if let status = preconditionFailure(head, tag: tag, modified: modified) {
            var response = error(status, for: head)
            if status == .notModified {
                response.headers = headers
                response.headers.remove(name: "Content-Type")
                response.body = []
            }
            return response
        }

        var ranges: RangeRequest = .ignored
        if head.method == .GET, let rangeField = head.headers.first(name: "range"),
            rangeValidatorHolds(head, tag: tag, modified: modified)
        {
            ranges = RangeRequest.parse(rangeField, length: length, maximumRanges: limits.maximumRanges)
        }

        switch ranges {
        case .ignored:
            headers.add(name: "Content-Length", value: String(length))
            return Response(status: .ok, headers: headers, body: [content.chunk(0..<length)], file: content.file)
        case .unsatisfiable:
            var response = error(.rangeNotSatisfiable, for: head)
            response.headers.add(name: "Content-Range", value: "bytes */\(length)")
            return response
        case .satisfiable(let parts) where parts.count == 1:
            let part = parts[0]
            headers.add(name: "Content-Range", value: "bytes \(part.lowerBound)-\(part.upperBound)/\(length)")
            headers.add(name: "Content-Length", value: String(part.count))
            return Response(
                status: .partialContent, headers: headers, body: [content.chunk(part.lowerBound..<part.upperBound + 1)],
                file: content.file
            )
        case .satisfiable(let parts):
            let boundary = MultipartByteRanges.boundary(
                seed: UInt64(length) &* 0x9E37_79B9 &+ UInt64(truncatingIfNeeded: modified))
            let contentType = headers.first(name: "Content-Type") ?? "application/octet-stream"
            var body: [Response.Chunk] = []
            for part in parts {
                let partHeader = MultipartByteRanges.partHeader(
                    boundary: boundary, contentType: contentType, range: part, length: length
                )
                body.append(.bytes(allocator.buffer(string: partHeader)))
                body.append(content.chunk(part.lowerBound..<part.upperBound + 1))
            }
            body.append(.bytes(allocator.buffer(string: MultipartByteRanges.closing(boundary: boundary))))
            headers.replaceOrAdd(name: "Content-Type", value: "multipart/byteranges; boundary=\(boundary)")
            headers.add(
                name: "Content-Length",
                value: String(
                    MultipartByteRanges.contentLength(
                        boundary: boundary, contentType: contentType, ranges: parts, length: length
                    )
                )
            )
            return Response(status: .partialContent, headers: headers, body: body, file: content.file)
        }
    }

    private enum Content {
        case memory(ByteBuffer)
        case file(OpenedFile)

        func chunk(_ range: Range<Int>) -> Response.Chunk {
            switch self {
            case .memory(let bytes):
                .bytes(bytes.getSlice(at: bytes.readerIndex + range.lowerBound, length: range.count)!)
            case .file: .file(range)
            }
        }

        var file: OpenedFile? {
            if case .file(let file) = self { file } else { nil }
        }
    }

    /// RFC 9110 §13.2.2: If-Match, then If-Unmodified-Since (412); If-None-Match, else If-Modified-Since (304).
    private func preconditionFailure(_ head: HTTPRequestHead, tag: EntityTag, modified: Int) -> HTTPResponseStatus? {
        let fields = head.headers
        if let ifMatch = fields.first(name: "if-match") {
            switch EntityTagCondition.parse(ifMatch) {
            case .any: break
            case .tags(let tags) where tags.contains(where: { $0.matchesStrongly(tag) }): break
            default: return .preconditionFailed
            }
        } else if let since = fields.first(name: "if-unmodified-since"), let date = HTTPDate.parse(since),
            modified > date
        {
            return .preconditionFailed
        }
        if let ifNoneMatch = fields.first(name: "if-none-match") {
            switch EntityTagCondition.parse(ifNoneMatch) {
            case .any: return .notModified
            case .tags(let tags) where tags.contains(where: { $0.matchesWeakly(tag) }): return .notModified
            default: return nil
            }
        }
        if let since = fields.first(name: "if-modified-since"), let date = HTTPDate.parse(since), modified <= date {
            return .notModified
        }
        return nil
    }

    /// If-Range (RFC 9110 §13.1.5): ranges only for the representation the client already has, compared
    /// strongly; a weak tag never matches.
    private func rangeValidatorHolds(_ head: HTTPRequestHead, tag: EntityTag, modified: Int) -> Bool {
        guard let ifRange = head.headers.first(name: "if-range") else { return true }
        let trimmed = String(ifRange.trimmingASCIISpaces)
        if trimmed.hasPrefix("\"") || trimmed.hasPrefix("W/") {
            guard case .tags(let tags) = EntityTagCondition.parse(trimmed), tags.count == 1 else { return false }
            return tags[0].matchesStrongly(tag)
        }
        return HTTPDate.parse(trimmed) == modified
    }

    // MARK: Folders

    private func listing(of folder: OpenedFile, target: RequestTarget, for head: HTTPRequestHead) -> Response {
        let entries = site.root.listing(
            of: folder, includingHidden: policy.servesHiddenFiles, limit: limits.maximumListingEntries
        )
        let page = DirectoryListing.html(
            displayPath: target.path, entries: entries, hrefPrefix: ""
        )
        let body = allocator.buffer(string: page)
        return Response(
            status: .ok,
            headers: ["Content-Type": "text/html; charset=utf-8", "Content-Length": String(body.readableBytes)],
            body: [.bytes(body)]
        )
    }
}

extension String {
    /// ASCII case-insensitive equality with a lower-case `other`, without allocating.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count
            && zip(utf8, other.utf8).allSatisfy { ($0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0) == $1 }
    }

    var trimmingASCIISpaces: Substring {
        var view = self[...]
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return view
    }
}
