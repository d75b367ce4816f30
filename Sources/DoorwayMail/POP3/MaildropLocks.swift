// The exclusive-access locks on the maildrops that POP3 sessions hold.

import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The maildrops held by POP3 sessions, so a second session for the same mailbox gets `-ERR [IN-USE]`
/// (RFC 2449 §8.1.2), as RFC 1939 §8 asks: an exclusive-access lock.
///
/// The lock is `flock` on `.pop3.lock` in the Maildir, so it also holds between two servers on one store
/// (two `door` processes), and the kernel drops it if the process dies. Two opens of the file are two
/// locks even within one process.
final class MaildropLocks: Sendable {
    private let held = NIOLockedValueBox([String: Int32]())

    /// Takes the lock; false if another session holds it.
    func lock(_ folder: String) throws(MailStoreError) -> Bool {
        try MaildirStore.makeFolders(folder)
        let path = folder + "/.pop3.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MailStoreError(errno: errno, path: path, doing: "create") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { return false }
            throw MailStoreError(errno: code, path: path, doing: "lock")
        }
        held.withLockedValue { $0[folder] = fd }
        return true
    }

    func unlock(_ folder: String) {
        if let fd = held.withLockedValue({ $0.removeValue(forKey: folder) }) { close(fd) }
    }
}
