// The reload diff: which services were added, removed, changed or left alone.

import Doorway
import DoorwayHost
import Testing

struct ReloadTests {
    @Test func diffByName() throws {
        let old = try parseConfiguration(
            """
            [[service]]
            kind = "web"
            [[service]]
            kind = "echo"
            [[service]]
            kind = "smtp"
            """)
        let new = try parseConfiguration(
            """
            [[service]]
            kind = "web"
            root = "site"
            [[service]]
            kind = "echo"
            [[service]]
            kind = "tracker"
            """)
        let diff = new.changedServices(from: old)
        #expect(diff.added == ["tracker"])
        #expect(diff.removed == ["smtp"])
        #expect(diff.changed == ["web"])
        #expect(diff.unchanged == ["echo"])
    }

    @Test func identicalConfigurationsChangeNothing() {
        let configuration = HostConfiguration.defaults(plan: unprivilegedPlan)
        let diff = configuration.changedServices(from: configuration)
        #expect(diff.added.isEmpty && diff.removed.isEmpty && diff.changed.isEmpty)
        #expect(diff.unchanged.count == 11)
    }

    @Test func aParameterOrPortChangeIsAChange() {
        let old = HostConfiguration.defaults(plan: unprivilegedPlan)
        var new = old
        new.services[0].parameters.noDelay = true
        new.services[1].listen = [.host(.any, port: 2526)]
        let diff = new.changedServices(from: old)
        #expect(diff.changed == ["web", "smtp"])
        #expect(diff.unchanged.count == 9)
    }
}
