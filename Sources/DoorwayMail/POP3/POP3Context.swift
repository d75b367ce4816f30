// What every POP3 connection of one server shares, and the login that runs on its storage threads.

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// What every POP3 connection of one server shares: the users, the store, the locks and the limits.
final class POP3Context: Sendable {
    let users: MailUsers
    let store: MaildirStore
    let storage: NIOThreadPool
    let locks = MaildropLocks()
    let timeout: TimeAmount
    let failedLoginDelay: TimeAmount
    private let failedLogins = NIOLockedValueBox(0)

    init(
        users: MailUsers, store: MaildirStore, storage: NIOThreadPool, timeout: TimeAmount, failedLoginDelay: TimeAmount
    ) {
        self.users = users
        self.store = store
        self.storage = storage
        self.timeout = timeout
        self.failedLoginDelay = failedLoginDelay
    }

    var failedLoginCount: Int { failedLogins.withLockedValue { $0 } }

    func countFailedLogin() {
        failedLogins.withLockedValue { $0 += 1 }
    }

    /// Checks the password, locks the maildrop and lists it. Blocks: call on a storage thread.
    func authenticate(_ user: String, _ password: [UInt8]) -> (POP3Authentication, Maildrop?) {
        let verified: Bool
        do {
            verified = try users.verify(user, password: password)
        } catch {
            return (.unavailable("cannot read the users file"), nil)
        }
        guard verified else { return (.denied, nil) }
        let folder = store.mailbox(for: user)
        do {
            guard try locks.lock(folder) else { return (.inUse, nil) }
        } catch {
            return (.unavailable("cannot lock the mailbox"), nil)
        }
        do {
            let maildrop = try Maildrop(folder: folder)
            return (.granted(maildrop.messages), maildrop)
        } catch {
            locks.unlock(folder)
            return (.unavailable("cannot open the mailbox"), nil)
        }
    }
}
