// The `--maildir` option of the commands that read a mail store: inbox, show and user.

import ArgumentParser
import DoorwayHost
import Foundation

/// Which mail store a reading command uses: the one `door serve` and `door mail serve` write by default.
struct MailStoreOption: ParsableArguments {
    @Option(help: ArgumentHelp("The mail store (default: \(HostConfiguration.defaultMailStore)).", valueName: "DIR"))
    var maildir = HostConfiguration.defaultMailStore

    /// The store's folder, which must exist: a missing store is a mistake (a typo in --maildir, or no server
    /// has run here yet), not an empty inbox.
    func existing() throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: maildir, isDirectory: &isFolder), isFolder.boolValue else {
            throw fail("no mail store at \(maildir): give --maildir DIR, or run door mail serve or door serve first")
        }
        return maildir
    }
}
