// The Web server as a service of the host: its keys, defaults, reading, writing, port and launch.

import Doorway
import DoorwayWeb
import Logging

/// `kind = "web"`: a ``WebServer`` serving a folder of the data folder, `public` by default, which gets a
/// welcome page when it does not exist yet.
struct WebService: ServiceKindDefinition {
    /// The folder served when `root` is not given.
    static let defaultRoot = "public"
    private static let defaults = WebServer.Configuration(root: defaultRoot)

    let keys: [ConfigurationKey] = {
        let policy = WebService.defaults.policy
        return [
            ConfigurationKey(
                "root", "The folder served (default \"\(WebService.defaultRoot)\").", example: "\"public\""),
            ConfigurationKey(
                "list-folders", "List a folder that has no index page (default \(policy.listsFolders)).",
                example: "true"),
            ConfigurationKey(
                "hidden-files", "Serve names that start with \".\" (default \(policy.servesHiddenFiles)).",
                example: "true"),
        ]
    }()

    var defaultSettings: ServiceSettings { .web(Self.defaults) }

    func defaultPort(plan: PortPlan) -> Port? { plan.webPort }

    var defaultMaximumConnections: Int? { Self.defaults.limits.maximumConnections }

    func read(_ table: ConfigurationTable) throws(ConfigurationError) -> ServiceSettings {
        var web = Self.defaults
        web.root = try table.text("root") ?? web.root
        web.policy.listsFolders = try table.bool("list-folders") ?? web.policy.listsFolders
        web.policy.servesHiddenFiles = try table.bool("hidden-files") ?? web.policy.servesHiddenFiles
        return .web(web)
    }

    func values(of settings: ServiceSettings) -> [(key: String, value: String?)] {
        guard case .web(let web) = settings else { return [] }
        return [
            ("root", TOMLText.quoted(web.root)),
            ("list-folders", String(web.policy.listsFolders)),
            ("hidden-files", String(web.policy.servesHiddenFiles)),
        ]
    }

    func launch(
        _ service: ServiceConfiguration, in host: HostConfiguration, logger: Logger
    ) async throws
        -> StartedService
    {
        guard case .web(var web) = service.settings else { throw HostError.settings(of: service) }
        let written = web.root
        web.root = HostConfiguration.path(written, in: host.dataFolder)
        if written == Self.defaultRoot { try WelcomePage.create(in: web.root, host: host) }
        let server = try WebServer(configuration: web, service: service.name)
        return try await StartedService.bind(service, initializer: server.initializer)
    }

    func welcomeHint(port: String) -> String {
        "this page: <code>door get http://HOST:\(port)/</code>"
    }
}
