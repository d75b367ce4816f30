// Reads the TOML text of a configuration file into a checked HostConfiguration.

import Doorway
import TOMLKit

/// Turns the text of a configuration file into a ``HostConfiguration``, checking every key and value and
/// pointing each error at its line.
struct ConfigurationReader {
    let file: String
    let plan: PortPlan
    let map: ConfigurationSourceMap

    init(file: String, plan: PortPlan, text: String) {
        self.file = file
        self.plan = plan
        self.map = ConfigurationSourceMap(text)
    }

    func read(_ text: String) throws(ConfigurationError) -> HostConfiguration {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(
                file: file, line: error.source.begin.line,
                message: "not valid TOML at column \(error.source.begin.column): \(error.description)",
                fix:
                    "check the quotes, brackets and commas on that line (strings need quotes: listen = \":8080\")"
            )
        } catch {
            throw ConfigurationError(
                file: file, message: "not valid TOML: \(error)", fix: "check the file's syntax")
        }
        let top = ConfigurationTable(
            table: root, section: .root, title: nil, file: file, map: map,
            known: ConfigurationKey.topLevel)
        try refuseUnknownTopLevelKeys(top)
        var configuration = HostConfiguration(services: [])
        configuration.dataFolder = try top.text("data") ?? HostConfiguration.defaultDataFolder
        configuration.admin = try readAdmin(root)
        var origins: [Int?] = []
        if let value = root["service"] {
            guard let array = value.array else {
                let line = map.line(ofKey: "service", in: .root) ?? map.line(of: .table("service"))
                throw ConfigurationError(
                    file: file, line: line, key: "service",
                    message: "expected an array of tables, found \(ConfigurationTable.describe(value))",
                    fix: "write [[service]] (two brackets) above each service's keys")
            }
            var index = 0
            for element in array {
                let section = ConfigurationSourceMap.Section.arrayElement("service", index: index)
                guard let table = element.table else {
                    throw ConfigurationError(
                        file: file, line: map.line(ofKey: "service", in: .root), key: "service",
                        message: "element \(index + 1) is \(ConfigurationTable.describe(element)), not a table",
                        fix: "write [[service]] (two brackets) above each service's keys")
                }
                configuration.services.append(try readService(table, section: section, number: index + 1))
                origins.append(map.line(ofKey: "listen", in: section))
                index += 1
            }
        }
        if configuration.services.isEmpty {
            configuration.services = HostConfiguration.defaultServices(plan: plan, address: .any)
            origins = configuration.services.map { _ in nil }
        }
        try refuseDuplicateNames(configuration.services)
        try configuration.refusePortConflicts(
            file: file, serviceLines: origins, adminLine: map.line(ofKey: "listen", in: .table("admin")))
        return configuration
    }

    private func refuseUnknownTopLevelKeys(_ top: ConfigurationTable) throws(ConfigurationError) {
        let names = ConfigurationKey.topLevel.map(\.name)
        for key in top.table.keys where !names.contains(key) {
            let line =
                map.line(ofKey: key, in: .root) ?? map.line(of: .table(key))
                ?? map.line(of: .arrayElement(key, index: 0))
            let fix =
                ConfigurationKey.closest(to: key, in: names).map { "did you mean \"\($0)\"?" }
                ?? "the top level has data, [admin] and [[service]]"
            throw ConfigurationError(file: file, line: line, key: key, message: "unknown key", fix: fix)
        }
    }

    private func readAdmin(_ root: TOMLTable) throws(ConfigurationError) -> AdminConfiguration {
        guard let value = root["admin"] else { return AdminConfiguration() }
        guard let table = value.table else {
            throw ConfigurationError(
                file: file, line: map.line(ofKey: "admin", in: .root), key: "admin",
                message: "expected a table, found \(ConfigurationTable.describe(value))",
                fix: "write [admin] on a line of its own, then listen = \"127.0.0.1:8099\" below it")
        }
        let admin = ConfigurationTable(
            table: table, section: .table("admin"), title: "[admin]", file: file, map: map,
            known: ConfigurationKey.admin)
        try admin.refuseUnknownKeys()
        var configuration = AdminConfiguration()
        if let text = try admin.string("listen") {
            configuration.listen = try endpoint(text, key: "listen", in: admin, transport: .tcp)
        }
        configuration.token = try admin.text("token")
        return configuration
    }

    private func readService(
        _ table: TOMLTable, section: ConfigurationSourceMap.Section, number: Int
    ) throws(ConfigurationError) -> ServiceConfiguration {
        var keys = ConfigurationTable(
            table: table, section: section, title: "service #\(number)", file: file, map: map,
            known: ConfigurationKey.common)
        let kindNames = ServiceKind.allCases.map(\.rawValue)
        guard let kindText = try keys.string("kind") else {
            throw keys.error(
                nil, "a [[service]] needs a kind",
                fix: "write kind = \"web\" (one of \(kindNames.joined(separator: ", ")))")
        }
        guard let kind = ServiceKind(rawValue: kindText) else {
            let guess =
                ConfigurationKey.closest(to: kindText, in: kindNames).map { "did you mean \"\($0)\"? " }
                ?? ""
            throw keys.error(
                "kind", "unknown kind \(TOMLText.quoted(kindText))",
                fix: "\(guess)write one of \(kindNames.joined(separator: ", "))")
        }
        keys.known = ConfigurationKey.service(kind)
        let name = try keys.string("name") ?? kind.rawValue
        guard !name.isEmpty,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        else {
            throw keys.error(
                "name",
                "\(TOMLText.quoted(name)) is not a service name: use letters, digits, \"-\", \"_\" and \".\"",
                fix: "write name = \"\(kind.rawValue)-2\"")
        }
        keys.title = "service \(TOMLText.quoted(name))"
        try keys.refuseUnknownKeys { key in
            let owners = ServiceKind.allCases.filter {
                ConfigurationKey.named(key, in: ConfigurationKey.settings(of: $0)) != nil
            }
            return owners.isEmpty ? nil : owners.map(\.rawValue).joined(separator: " and ") + " services"
        }
        var service = ServiceConfiguration(name: name, kind: kind, listen: [])
        try readListen(keys, into: &service)
        service.maximumConnections = try keys.limit("max-connections") ?? kind.defaultMaximumConnections
        service.parameters = try readParameters(keys, for: service)
        service.settings = try kind.definition.read(keys)
        return service
    }

    private func readListen(
        _ keys: ConfigurationTable, into service: inout ServiceConfiguration
    )
        throws(ConfigurationError)
    {
        let kind = service.kind
        let defaultPort = kind.defaultPort(plan: plan)
        let exampleListen = "write listen = [\":\(defaultPort ?? 7000)\"]"
        var explicitTransports: [Transport]?
        if let names = try keys.strings("transport") {
            guard !names.isEmpty else {
                throw keys.error("transport", "the array is empty", fix: "write transport = \"tcp\"")
            }
            var transports: [Transport] = []
            for name in names {
                guard let transport = Transport(rawValue: name) else {
                    throw keys.error(
                        "transport", "unknown transport \(TOMLText.quoted(name))",
                        fix: "write transport = \"tcp\", \"udp\" or \"unix\", or an array of them")
                }
                guard kind.supportedTransports.contains(transport) else {
                    let supported = kind.supportedTransports.map { TOMLText.quoted($0.rawValue) }
                    throw keys.error(
                        "transport", "a \(kind.rawValue) service cannot serve over \(transport)",
                        fix: "write transport = [\(supported.joined(separator: ", "))] or a part of it"
                    )
                }
                if !transports.contains(transport) { transports.append(transport) }
            }
            explicitTransports = transports
        }
        var endpoints: [Endpoint] = []
        if let texts = try keys.strings("listen") {
            guard !texts.isEmpty else {
                throw keys.error("listen", "no endpoint given", fix: exampleListen)
            }
            let lookup: Transport = explicitTransports?.first { $0 != .unix } ?? kind.defaultTransports[0]
            for text in texts {
                endpoints.append(
                    try endpoint(text, key: "listen", in: keys, transport: lookup, fix: exampleListen))
            }
        } else if let defaultPort {
            endpoints = [.host(.any, port: defaultPort)]
        } else {
            throw keys.error(
                "listen", "a \(kind.rawValue) service has no customary port", fix: exampleListen)
        }
        let unixEndpoints = endpoints.filter { if case .unix = $0 { true } else { false } }
        let ipEndpoints = endpoints.count - unixEndpoints.count
        var transports: [Transport]
        if let explicitTransports {
            transports = explicitTransports
            if !unixEndpoints.isEmpty, !transports.contains(.unix) {
                throw keys.error(
                    "transport",
                    "\(unixEndpoints[0]) is a Unix socket but the transports are "
                        + transports.map(\.rawValue).joined(separator: ", "),
                    fix: "add \"unix\" to transport, or listen on HOST:PORT")
            }
            if ipEndpoints > 0, !transports.contains(where: { $0 != .unix }) {
                throw keys.error(
                    "transport", "transport unix needs unix:PATH endpoints, but listen has an IP endpoint",
                    fix:
                        "write listen = [\"unix:/run/door/\(service.name).sock\"], or add \"tcp\" to transport")
            }
            if unixEndpoints.isEmpty, transports.contains(.unix) {
                throw keys.error(
                    "transport", "transport unix needs a unix:PATH endpoint, and listen has none",
                    fix: "add \"unix:/run/door/\(service.name).sock\" to listen, or remove \"unix\"")
            }
        } else {
            transports = ipEndpoints > 0 ? kind.defaultTransports : []
            if !unixEndpoints.isEmpty {
                guard kind.supportedTransports.contains(.unix) else {
                    throw keys.error(
                        "listen",
                        "a \(kind.rawValue) service cannot listen on a Unix socket (\(unixEndpoints[0]))",
                        fix: exampleListen)
                }
                transports.append(.unix)
            }
        }
        try kind.definition.check(listen: endpoints, in: keys, plan: plan)
        service.listen = endpoints
        service.transports = transports
    }

    private func endpoint(
        _ text: String, key: String, in keys: ConfigurationTable, transport: Transport,
        fix: String? = nil
    ) throws(ConfigurationError) -> Endpoint {
        do {
            return try Endpoint(parsing: text, transport: transport)
        } catch let error as AddressError {
            throw keys.error(
                key, "cannot parse endpoint \(TOMLText.quoted(text)): \(error.reason)",
                fix: fix ?? keys.example(key))
        } catch {
            throw keys.error(
                key, "cannot parse endpoint \(TOMLText.quoted(text)): \(error)",
                fix: fix ?? keys.example(key))
        }
    }

    private func readParameters(
        _ keys: ConfigurationTable, for service: ServiceConfiguration
    ) throws(ConfigurationError) -> TransportParameters {
        var parameters = TransportParameters()
        parameters.sendBufferSize = try keys.int("send-buffer")
        parameters.receiveBufferSize = try keys.int("receive-buffer")
        parameters.maximumSegmentSize = try keys.int("mss")
        parameters.noDelay = try keys.bool("no-delay")
        parameters.reuseAddress = try keys.bool("reuse-address")
        parameters.backlog = try keys.int("backlog")
        parameters.idleTimeout = try keys.seconds("idle-timeout")
        parameters.lingerTimeout = try keys.seconds("linger-timeout")
        let keepAliveSwitch = try keys.bool("keepalive")
        let idle = try keys.seconds("keepalive-idle")
        let interval = try keys.seconds("keepalive-interval")
        let count = try keys.int("keepalive-count")
        let tuned = ["keepalive-idle", "keepalive-interval", "keepalive-count"].first(where: keys.has)
        if keepAliveSwitch == false, let tuned {
            throw keys.error(
                tuned, "keepalive is off, so \(tuned) has no effect",
                fix: "write keepalive = true, or remove \(tuned)")
        }
        if keepAliveSwitch == true || tuned != nil {
            let defaults = TransportParameters.KeepAlive()
            parameters.keepAlive = TransportParameters.KeepAlive(
                idle: idle ?? defaults.idle, interval: interval ?? defaults.interval,
                count: count ?? defaults.count)
        }
        // Values first, on TCP where every parameter applies; then whether each fits the service's transports.
        do {
            try parameters.validate(for: .tcp)
        } catch let error as ParameterError {
            let key = Self.key(of: error, in: keys)
            throw keys.error(key, error.description, fix: keys.example(key))
        } catch {
            throw keys.error(nil, "\(error)", fix: "check the transport parameters")
        }
        for transport in service.transports {
            do {
                try parameters.validate(for: transport)
            } catch let error as ParameterError {
                let key = Self.key(of: error, in: keys)
                let others = service.transports.filter { $0 != transport }.map {
                    TOMLText.quoted($0.rawValue)
                }
                let alternative =
                    others.isEmpty ? "" : ", or write transport = [\(others.joined(separator: ", "))]"
                throw keys.error(
                    key,
                    "\(error.parameter) \(error.reason.split(separator: ";")[0])"
                        + " (the service listens over \(transport))",
                    fix: "remove \(key)\(alternative)")
            } catch {
                throw keys.error(nil, "\(error)", fix: "check the transport parameters")
            }
        }
        return parameters
    }

    /// The TOML key of the parameter a ``ParameterError`` names.
    private static func key(of error: ParameterError, in keys: ConfigurationTable) -> String {
        switch error.parameter {
        case "send buffer size": return "send-buffer"
        case "receive buffer size": return "receive-buffer"
        case "maximum segment size": return "mss"
        case "keepalive":
            return ["keepalive", "keepalive-idle", "keepalive-interval", "keepalive-count"].first(
                where: keys.has)
                ?? "keepalive"
        default: return error.parameter.replacingSpaces
        }
    }

    private func refuseDuplicateNames(_ services: [ServiceConfiguration]) throws(ConfigurationError) {
        var seen: [String: Int] = [:]
        for (index, service) in services.enumerated() {
            guard let first = seen[service.name] else {
                seen[service.name] = index
                continue
            }
            let section = ConfigurationSourceMap.Section.arrayElement("service", index: index)
            let firstLine = map.line(ofKey: "name", in: .arrayElement("service", index: first))
            throw ConfigurationError(
                file: file, line: map.line(ofKey: "name", in: section),
                section: "service \(TOMLText.quoted(service.name))",
                key: "name",
                message: "the name \(TOMLText.quoted(service.name)) is already used by the service at "
                    + (firstLine.map { "line \($0)" } ?? "the top"),
                fix: "give each service its own name, such as name = \"\(service.name)-2\"")
        }
    }
}

extension String {
    /// "idle timeout" as the TOML key "idle-timeout".
    fileprivate var replacingSpaces: String { String(map { $0 == " " ? "-" : $0 }) }
}
