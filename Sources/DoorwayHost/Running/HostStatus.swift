// What a running host reports about itself: its services, its torrents and where its mail is.

/// One service of the host as the dashboard, the API and `door status` show it.
public struct ServiceStatus: Codable, Sendable, Hashable {
    /// The service's name in the configuration, such as `web` or `echo`.
    public var name: String
    /// The kind of application: `web`, `smtp`, `pop3`, `tracker`, `seed`, `echo` … `time`, `exec`.
    public var kind: String
    public var transport: String
    /// The endpoint as bound (with the port the kernel chose for port 0), or as configured when not bound.
    public var endpoint: String
    /// `running`, `stopped`, or `failed` (see ``problem``).
    public var state: String
    /// Why the service is not running, when it failed to start.
    public var problem: String?
    public var activeConnections: Int
    public var totalConnections: Int
    public var bytesIn: Int
    public var bytesOut: Int
    public var errors: Int

    public init(
        name: String, kind: String, transport: String, endpoint: String, state: String, problem: String? = nil,
        activeConnections: Int = 0, totalConnections: Int = 0, bytesIn: Int = 0, bytesOut: Int = 0, errors: Int = 0
    ) {
        self.name = name
        self.kind = kind
        self.transport = transport
        self.endpoint = endpoint
        self.state = state
        self.problem = problem
        self.activeConnections = activeConnections
        self.totalConnections = totalConnections
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.errors = errors
    }
}

/// One torrent the host seeds or downloads.
public struct TorrentStatus: Codable, Sendable, Hashable {
    /// The .torrent file's name.
    public var torrent: String
    /// The name in the metainfo.
    public var name: String
    public var infoHash: String
    public var endpoint: String
    public var totalBytes: Int64
    public var bytesHave: Int64
    public var piecesHave: Int
    public var pieceCount: Int
    public var peers: Int
    public var uploaded: Int
    public var downloaded: Int
    /// Bytes per second, averaged over the last few seconds.
    public var uploadRate: Double
    public var downloadRate: Double
    public var bannedPeers: Int

    public init(
        torrent: String, name: String, infoHash: String, endpoint: String, totalBytes: Int64, bytesHave: Int64,
        piecesHave: Int, pieceCount: Int, peers: Int, uploaded: Int, downloaded: Int, uploadRate: Double,
        downloadRate: Double, bannedPeers: Int
    ) {
        self.torrent = torrent
        self.name = name
        self.infoHash = infoHash
        self.endpoint = endpoint
        self.totalBytes = totalBytes
        self.bytesHave = bytesHave
        self.piecesHave = piecesHave
        self.pieceCount = pieceCount
        self.peers = peers
        self.uploaded = uploaded
        self.downloaded = downloaded
        self.uploadRate = uploadRate
        self.downloadRate = downloadRate
        self.bannedPeers = bannedPeers
    }
}

/// Where the admin endpoint reads what it shows. The running host provides it; tests can provide their own.
public protocol HostStatusSource: Sendable {
    /// Every configured service, running or not.
    func services() async -> [ServiceStatus]
    /// Every torrent the host seeds.
    func torrents() async -> [TorrentStatus]
    /// The mail store (a folder of Maildirs, one per mailbox), if the host runs mail.
    var mailStore: String? { get }
    /// The Prometheus exposition text of every metric.
    func metricsText() -> String
}
