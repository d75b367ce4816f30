// What answering a request needs from a Web server: the folder, its content cache, the policy and the limits.

/// The served folder as the ``ResponseBuilder`` sees it.
///
/// The server makes one at start and hands it to each connection's responder, so deciding a response needs
/// no server: a test can build one around a folder of its own.
struct ServedSite: Sendable {
    let root: SiteRoot
    let cache: ContentCache
    let policy: WebServer.Policy
    let limits: WebServer.Limits

    /// Opens `configuration.root` under the policy and makes an empty cache sized by the limits.
    init(configuration: WebServer.Configuration) throws {
        root = try SiteRoot(path: configuration.root, policy: configuration.policy)
        cache = ContentCache(
            capacity: configuration.limits.cacheCapacity, entryLimit: configuration.limits.cacheEntryLimit
        )
        policy = configuration.policy
        limits = configuration.limits
    }

    /// The checks every request passes before the files are looked at.
    var validation: RequestValidation { RequestValidation(policy: policy, limits: limits) }
}
