// The header values a file's response carries, derived from its metadata once per version of the file.

import DoorwayHTTP
import NIOHTTP1

/// What a response says about one version of a file: validators, media type and content coding.
struct FileMetadata: Sendable {
    var tag: EntityTag
    /// Seconds since 1970.
    var modified: Int
    var lastModified: String
    var contentType: String
    /// The content coding of a precompressed sibling, or nil for the file itself.
    var encoding: String?

    /// Describes `file`, served for `path` (whose extension names the type); `encoding` names the coding of a
    /// precompressed sibling opened instead of `path` itself.
    init(of file: OpenedFile, path: String, encoding: String?) {
        tag = EntityTag.strong(
            inode: file.identity.inode, size: file.identity.size,
            modificationNanoseconds: file.identity.modificationNanoseconds
        )
        modified = file.modified
        lastModified = HTTPDate.format(file.modified)
        contentType = MediaType.forPath(path)
        self.encoding = encoding
    }

    /// The header fields every response with the file's content carries.
    var headers: HTTPHeaders {
        var headers: HTTPHeaders = [
            "Content-Type": contentType,
            "Last-Modified": lastModified,
            "ETag": tag.headerValue,
            "Accept-Ranges": "bytes",
            "Vary": "Accept-Encoding",
        ]
        if let encoding { headers.add(name: "Content-Encoding", value: encoding) }
        return headers
    }
}
