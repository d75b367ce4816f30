// `door web`: the Web's commands (the client end is `door get`).

import ArgumentParser

struct Web: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The Web: an HTTP/1.1 server for a folder of files.",
        subcommands: [WebServe.self]
    )
}
