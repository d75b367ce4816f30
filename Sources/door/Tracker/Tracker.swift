// `door tracker`: the BitTorrent tracker's commands.

import ArgumentParser

struct Tracker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A BitTorrent tracker: peers announce themselves and learn about each other.",
        subcommands: [TrackerServe.self]
    )
}
