// What a Web server serves, what it refuses, and the limits that keep one client from hurting the others.

import Doorway

extension WebServer {
    /// The folder to serve and how.
    public struct Configuration: Sendable {
        /// The folder whose files are served; request paths never resolve outside it.
        public var root: String
        public var policy: Policy
        public var limits: Limits
        /// Where the combined-format access log goes, or nil for none.
        public var accessLog: AccessLog.Destination?
        /// The `Server` response header.
        public var software: String

        public init(
            root: String,
            policy: Policy = Policy(),
            limits: Limits = Limits(),
            accessLog: AccessLog.Destination? = nil,
            software: String = "door"
        ) {
            self.root = root
            self.policy = policy
            self.limits = limits
            self.accessLog = accessLog
            self.software = software
        }
    }

    /// Which files a request may reach.
    public struct Policy: Sendable, Hashable {
        /// Answer a folder without `index.html` with an HTML listing (else 403), like nginx's `autoindex`.
        public var listsFolders: Bool
        /// Serve names that start with a dot (`.git`, `.env`); hidden (404) by default.
        public var servesHiddenFiles: Bool
        /// Follow symlinks that lead outside the root; refused (403) by default.
        public var followsSymlinksOutsideRoot: Bool

        public init(
            listsFolders: Bool = false, servesHiddenFiles: Bool = false, followsSymlinksOutsideRoot: Bool = false
        ) {
            self.listsFolders = listsFolders
            self.servesHiddenFiles = servesHiddenFiles
            self.followsSymlinksOutsideRoot = followsSymlinksOutsideRoot
        }
    }

    /// Every bound the server enforces, each with nginx-like defaults.
    public struct Limits: Sendable, Hashable {
        /// Longest request line, and longest single header line, in bytes; longer → 414 (431 for a header).
        public var requestLineLength: Int = 8 * 1024
        /// Largest header section in bytes; larger → 431.
        public var headerSectionSize: Int = 64 * 1024
        /// Time a client has to send a whole request head once it starts; then 408 and close (slowloris).
        public var headerTimeout: Duration = .seconds(10)
        /// Time an idle keep-alive connection is kept open between requests.
        public var keepAliveTimeout: Duration = .seconds(60)
        /// Connections served at once; further ones wait in the listen backlog.
        public var maximumConnections: Int = 4096
        /// Request body bytes read and thrown away (the server takes no uploads); more → 413 and close.
        public var discardedBodySize: Int = 1024 * 1024
        /// Ranges served in one multipart response; more → the whole file with 200.
        public var maximumRanges: Int = 64
        /// Entries shown in a folder listing.
        public var maximumListingEntries: Int = 10_000
        /// Files up to this size are kept in memory; larger ones are sent with sendfile.
        public var cacheEntryLimit: Int = 256 * 1024
        /// Total bytes the content cache holds.
        public var cacheCapacity: Int = 64 * 1024 * 1024
        /// How long a cached file is served without looking at the disk; after that the next request checks
        /// its inode, size and mtime again. Zero checks on every request. Like nginx's
        /// `open_file_cache_valid`, it trades a moment of staleness for no system calls on hot files.
        public var cacheValidity: Duration = .seconds(1)

        public init() {}

        func validate() throws {
            func check(_ ok: Bool, _ name: String, _ value: some CustomStringConvertible, _ reason: String) throws {
                if !ok { throw ParameterError(parameter: name, value: "\(value)", reason: reason) }
            }
            try check(requestLineLength >= 256, "request line limit", requestLineLength, "must be at least 256 bytes")
            try check(
                headerSectionSize >= requestLineLength, "header section limit", headerSectionSize,
                "must be at least the request line limit (\(requestLineLength))")
            try check(headerTimeout > .zero, "header timeout", headerTimeout, "must be positive")
            try check(keepAliveTimeout > .zero, "keep-alive timeout", keepAliveTimeout, "must be positive")
            try check(maximumConnections >= 1, "maximum connections", maximumConnections, "must be at least 1")
            try check(discardedBodySize >= 0, "discarded body limit", discardedBodySize, "must not be negative")
            try check(maximumRanges >= 1, "maximum ranges", maximumRanges, "must be at least 1")
            try check(cacheEntryLimit >= 0 && cacheCapacity >= 0, "cache size", cacheCapacity, "must not be negative")
            try check(cacheValidity >= .zero, "cache validity", cacheValidity, "must not be negative")
        }
    }
}
