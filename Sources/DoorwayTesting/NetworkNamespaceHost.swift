// Test hosts with their own IP addresses on one machine: Linux network namespaces joined by a veth pair.

import Doorway
import Foundation
import Synchronization

/// One test host: a network namespace with its own loopback and one address on the link to its peer.
///
/// Programs run "on" the host through `ip netns exec`, so servers bind its address and clients connect
/// from it. Make hosts with ``withTwoHosts(_:)``, which also removes them.
public struct NetworkNamespaceHost: Sendable, CustomStringConvertible {
    /// The namespace's name, unique to this test run (`door-PID-RANDOM-a`).
    public let name: String
    /// The host's IPv4 address on the link, such as `192.0.2.1`.
    public let address: String
    /// The link's interface inside the namespace.
    public let interface: String

    fileprivate let started: StartedProcesses

    public var description: String { "\(name) (\(address))" }

    /// `command` as run on this host: `ip netns exec NAME command…`.
    public func command(_ command: [String]) -> [String] {
        ["ip", "netns", "exec", name] + command
    }

    /// Runs `command` on this host to completion; see
    /// ``Subprocess/run(_:input:environment:timeout:)-(_,[UInt8],_,_)``.
    public func run(
        _ command: [String], input: [UInt8] = [], environment: [String: String] = [:], timeout: Duration = .seconds(10)
    ) async throws -> ProcessResult {
        try await Subprocess.run(self.command(command), input: input, environment: environment, timeout: timeout)
    }

    /// Runs `command` on this host with the UTF-8 of `input` on its standard input.
    public func run(
        _ command: [String], input: String, environment: [String: String] = [:], timeout: Duration = .seconds(10)
    ) async throws -> ProcessResult {
        try await run(command, input: Array(input.utf8), environment: environment, timeout: timeout)
    }

    /// Starts `command` on this host in the background. It is killed, at the latest, when the hosts are
    /// removed.
    public func start(_ command: [String], environment: [String: String] = [:]) throws -> BackgroundProcess {
        let process = try Subprocess.start(self.command(command), environment: environment)
        started.add(process)
        return process
    }
}

/// Two test hosts on one link: `a` is 192.0.2.1/24, `b` is 192.0.2.2/24 (RFC 5737 documentation addresses,
/// which never leave the namespaces).
///
/// ```swift
/// try await withTwoHosts { hosts in
///     let server = try hosts.a.start([door, "listen", "-v", "\(hosts.a.address):9000"])
///     try await server.waitUntilBound(port: 9000)
///     let reply = try await hosts.b.run([door, "connect", hosts.a.address, "9000"], input: "hello\n")
/// }
/// ```
///
/// Needs root and iproute2's `ip`.
public struct TwoHosts: Sendable {
    public let a: NetworkNamespaceHost
    public let b: NetworkNamespaceHost
}

/// Makes two test hosts joined by a veth pair, runs `body` with them, then kills what was started on them
/// and deletes both namespaces, also when `body` throws.
///
/// Each call makes namespaces with names of its own (`door-PID-RANDOM-a`, `…-b`), so tests can run in
/// parallel; the link's interface is `veth0` inside each namespace and never appears in the machine's own.
///
/// - Throws: ``DoorwayTestingError`` if the namespaces cannot be made (not root, no `ip`), or what `body`
///   throws.
public func withTwoHosts<Result>(_ body: (TwoHosts) async throws -> Result) async throws -> Result {
    let prefix = "door-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    let started = StartedProcesses()
    let hosts = TwoHosts(
        a: NetworkNamespaceHost(name: "\(prefix)-a", address: "192.0.2.1", interface: "veth0", started: started),
        b: NetworkNamespaceHost(name: "\(prefix)-b", address: "192.0.2.2", interface: "veth0", started: started)
    )
    do {
        try await create(hosts)
        let result = try await body(hosts)
        await remove(hosts, started: started)
        return result
    } catch {
        await remove(hosts, started: started)
        throw error
    }
}

/// The processes started on a pair of hosts, to kill when the hosts go.
private final class StartedProcesses: Sendable {
    private let processes = Mutex<[BackgroundProcess]>([])

    func add(_ process: BackgroundProcess) { processes.withLock { $0.append(process) } }

    func killAll() async {
        let all = processes.withLock { processes in
            defer { processes = [] }
            return processes
        }
        for process in all {
            process.kill()
            _ = await process.waitForExit(timeout: .seconds(5))
        }
    }
}

private func create(_ hosts: TwoHosts) async throws {
    let (a, b) = (hosts.a, hosts.b)
    try await ip(["netns", "add", a.name])
    try await ip(["netns", "add", b.name])
    // Made straight inside the namespaces, so the names cannot clash with another run's.
    try await ip([
        "link", "add", a.interface, "netns", a.name, "type", "veth", "peer", "name", b.interface, "netns", b.name,
    ])
    for host in [a, b] {
        try await ip(["-n", host.name, "addr", "add", "\(host.address)/24", "dev", host.interface])
        try await ip(["-n", host.name, "link", "set", host.interface, "up"])
        try await ip(["-n", host.name, "link", "set", "lo", "up"])
    }
    try await waitForCarrier([a, b], within: .seconds(5))
}

/// Waits until every host's link reports its carrier (`LOWER_UP`): only then does it carry traffic.
private func waitForCarrier(_ hosts: [NetworkNamespaceHost], within timeout: Duration) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    for host in hosts {
        while true {
            let state = try await ip(["-n", host.name, "link", "show", host.interface])
            if state.contains("LOWER_UP") { break }
            if clock.now >= deadline {
                throw DoorwayTestingError("the link \(host.interface) in \(host.name) did not come up: \(state)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

private func remove(_ hosts: TwoHosts, started: StartedProcesses) async {
    await started.killAll()
    for host in [hosts.a, hosts.b] {
        // Deleting a namespace also deletes its end of the veth pair, and with it the other end.
        _ = try? await ip(["netns", "delete", host.name], quietly: true)
    }
}

/// Runs `ip ARGUMENTS`, returning its output or throwing with its error message.
@discardableResult
private func ip(_ arguments: [String], quietly: Bool = false) async throws -> String {
    let result: ProcessResult
    do {
        result = try await Subprocess.run(["ip"] + arguments, timeout: .seconds(10))
    } catch {
        throw DoorwayTestingError("cannot run `ip` (install iproute2): \(error)")
    }
    guard result.exitCode == 0 else {
        let hint = getuid() == 0 ? "" : "; test hosts need root"
        throw DoorwayTestingError("`ip \(arguments.joined(separator: " "))` failed\(hint): \(result)")
    }
    return result.standardOutputText
}

/// Makes `count` test hosts (2 to 200) on one switched link, runs `body` with them, then kills what was
/// started on them and deletes every namespace, also when `body` throws.
///
/// Host *i* has the address `192.0.2.(i + 1)`. The switch is a bridge in a namespace of its own, so nothing
/// appears in the machine's own network.
///
/// ```swift
/// try await withHosts(5) { hosts in
///     let seeder = try hosts[0].start([door, "torrent", "seed", …])
/// }
/// ```
public func withHosts<Result>(
    _ count: Int, _ body: ([NetworkNamespaceHost]) async throws -> Result
) async throws
    -> Result
{
    precondition((2...200).contains(count), "withHosts makes 2 to 200 hosts")
    let prefix = "door-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    let started = StartedProcesses()
    let switchName = "\(prefix)-sw"
    let hosts = (0..<count).map { index in
        NetworkNamespaceHost(
            name: "\(prefix)-\(index)", address: "192.0.2.\(index + 1)", interface: "veth0", started: started)
    }
    func removeAll() async {
        await started.killAll()
        for name in hosts.map(\.name) + [switchName] { _ = try? await ip(["netns", "delete", name], quietly: true) }
    }
    do {
        try await ip(["netns", "add", switchName])
        try await ip(["-n", switchName, "link", "add", "br0", "type", "bridge"])
        try await ip(["-n", switchName, "link", "set", "br0", "up"])
        for (index, host) in hosts.enumerated() {
            try await ip(["netns", "add", host.name])
            try await ip([
                "link", "add", host.interface, "netns", host.name, "type", "veth", "peer", "name", "port\(index)",
                "netns", switchName,
            ])
            try await ip(["-n", switchName, "link", "set", "port\(index)", "master", "br0"])
            try await ip(["-n", switchName, "link", "set", "port\(index)", "up"])
            try await ip(["-n", host.name, "addr", "add", "\(host.address)/24", "dev", host.interface])
            try await ip(["-n", host.name, "link", "set", host.interface, "up"])
            try await ip(["-n", host.name, "link", "set", "lo", "up"])
        }
        try await waitForCarrier(hosts, within: .seconds(10))
        let result = try await body(hosts)
        await removeAll()
        return result
    } catch {
        await removeAll()
        throw error
    }
}
