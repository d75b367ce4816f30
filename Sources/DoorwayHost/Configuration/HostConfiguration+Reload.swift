// What a reload changes: which services to start, stop, restart or leave running.

extension HostConfiguration {
    /// The services added, removed, changed and unchanged since `old`, by name, each in configuration order
    /// (removed ones in `old`'s order).
    ///
    /// A service is unchanged only when its whole ``ServiceConfiguration`` is equal; `dataFolder` and
    /// `admin` are not part of the comparison.
    public func changedServices(
        from old: HostConfiguration
    ) -> (added: [String], removed: [String], changed: [String], unchanged: [String]) {
        var added: [String] = []
        var changed: [String] = []
        var unchanged: [String] = []
        let names = Set(services.map(\.name))
        for service in services {
            guard let previous = old.service(named: service.name) else {
                added.append(service.name)
                continue
            }
            if previous == service {
                unchanged.append(service.name)
            } else {
                changed.append(service.name)
            }
        }
        let removed = old.services.map(\.name).filter { !names.contains($0) }
        return (added, removed, changed, unchanged)
    }
}
