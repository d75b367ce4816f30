// The torrents a host seeds: every .torrent in the data folder's torrents/ whose data lies beside it.

import Doorway
import DoorwayBasics
import DoorwayTorrent
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The seeds of a host, started from a folder.
///
/// `torrents/NAME.torrent` is seeded when the torrent's data (a file or folder named as the torrent says)
/// is in `torrents/` too, complete and correct. Each seed waits on its own port, from
/// ``PortPlan/firstSeedPort`` up, and announces itself to the torrent's trackers (make torrents with the
/// host's address in the tracker URL, `http://HOST:6969/announce`, so peers elsewhere can reach the seed).
public struct HostSeeds: Sendable {
    public struct Seed: Sendable {
        public var torrent: String
        public var peer: TorrentPeer
        public var endpoint: Endpoint
    }

    public var seeds: [Seed]
    /// Torrents skipped, and why (data missing or wrong).
    public var skipped: [(torrent: String, reason: String)]

    /// Verifies and starts a seed for each usable torrent in `folder` (made if missing), the first one
    /// listening on `first`, each next one on the port after; the peers report what happens to `logger`.
    public static func start(
        folder: String, first: Endpoint, logger: Logger = RunningHost.silentLogger
    ) async -> HostSeeds {
        _ = mkdir(folder, 0o755)
        var result = HostSeeds(seeds: [], skipped: [])
        let host = first.host ?? .any
        var port = first.port?.rawValue ?? 6881
        for name in torrentFiles(in: folder) {
            let path = folder + "/" + name
            let metainfo: Metainfo
            do {
                metainfo = try Metainfo(decoding: try read(path))
            } catch {
                result.skipped.append((name, "\(error)"))
                continue
            }
            var configuration = TorrentPeer.Configuration()
            configuration.listen = .host(host, port: Port(port))
            let peer = TorrentPeer(
                metainfo: metainfo, root: folder, writable: false, configuration: configuration, logger: logger)
            guard peer.storage.filesPresent() else {
                result.skipped.append((name, "its data \(metainfo.name) is not in \(folder)"))
                continue
            }
            do {
                try await peer.start()
                let progress = try await peer.progress
                guard progress.isComplete else {
                    await peer.stop()
                    result.skipped.append(
                        (name, "\(progress.piecesHave) of \(progress.pieceCount) pieces of its data are right"))
                    continue
                }
                result.seeds.append(
                    Seed(torrent: name, peer: peer, endpoint: await peer.listenEndpoint ?? configuration.listen))
                if port != 0 { port += 1 }
            } catch {
                await peer.stop()
                result.skipped.append((name, "\(error)"))
            }
        }
        return result
    }

    public func stop() async {
        for seed in seeds { await seed.peer.stop() }
    }

    private static func torrentFiles(in folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".torrent") && !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    private static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HostError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes: [UInt8]
        do throws(Errno) {
            bytes = try FileDescriptor(fd).readToEnd(limit: 16 << 20 + 1)
        } catch {
            throw HostError("cannot read \(path): \(error)")
        }
        if bytes.count > 16 << 20 { throw HostError("\(path) is larger than 16 MiB: not a torrent") }
        return bytes
    }
}
