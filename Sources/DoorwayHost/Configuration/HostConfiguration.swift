// The configuration of `door serve`: the data folder, the admin interface and the services.

import Doorway

/// What `door serve` runs, read from a TOML file or made from the defaults.
///
/// ```swift
/// let configuration = try HostConfiguration.load(file: "door.toml", plan: .current)
/// for service in configuration.services { print(service.name, service.listen) }
/// print(configuration.rendered())      // door serve --print-config
/// ```
///
/// A file without any `[[service]]` runs the default services; a file with services runs exactly those.
/// Every error names the file, the line, the key, what is wrong and how to fix it (``ConfigurationError``).
public struct HostConfiguration: Sendable, Hashable {
    /// The default data folder, relative to the working directory.
    public static let defaultDataFolder = "door-data"

    /// The folder relative paths are resolved in (`data`).
    public var dataFolder: String
    /// The administration interface (`[admin]`).
    public var admin: AdminConfiguration
    /// The services, in the order they are configured (`[[service]]`).
    public var services: [ServiceConfiguration]

    public init(
        dataFolder: String = HostConfiguration.defaultDataFolder,
        admin: AdminConfiguration = AdminConfiguration(),
        services: [ServiceConfiguration]
    ) {
        self.dataFolder = dataFolder
        self.admin = admin
        self.services = services
    }

    /// The configuration without a file: the Web, mail, tracker, seeds and the six simple services over TCP
    /// and UDP, on the plan's ports.
    /// - Parameters:
    ///   - plan: which ports the services take.
    ///   - address: the address every service listens on; all interfaces by default.
    ///   - dataFolder: the folder relative paths are resolved in.
    public static func defaults(
        plan: PortPlan, address: Host = .any, dataFolder: String = HostConfiguration.defaultDataFolder
    ) -> HostConfiguration {
        HostConfiguration(
            dataFolder: dataFolder, services: defaultServices(plan: plan, address: address))
    }

    /// The default services, in the order `door serve` starts them.
    static func defaultServices(plan: PortPlan, address: Host) -> [ServiceConfiguration] {
        ServiceKind.allCases.compactMap { kind in
            guard let port = kind.defaultPort(plan: plan) else { return nil }
            return ServiceConfiguration(kind: kind, listen: [.host(address, port: port)])
        }
    }

    /// The path of `relative` in the data folder; an absolute path stays as it is.
    public static func path(_ relative: String, in dataFolder: String) -> String {
        if relative.hasPrefix("/") || dataFolder.isEmpty || dataFolder == "." { return relative }
        return dataFolder.hasSuffix("/") ? dataFolder + relative : dataFolder + "/" + relative
    }

    /// The service with a name, if there is one.
    public func service(named name: String) -> ServiceConfiguration? {
        services.first { $0.name == name }
    }
}
