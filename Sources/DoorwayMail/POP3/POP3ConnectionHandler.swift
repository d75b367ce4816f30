// Connects one POP3 session to its socket, to the users file and to the user's Maildir.

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Feeds the socket's bytes to the session and carries out what it asks. Password checks (scrypt) and file
/// access block, so they run on the mail server's storage threads; meanwhile the connection stops reading.
/// A failed login is answered only after a delay, which makes guessing slow.
final class POP3ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var session: POP3Session
    private let context: POP3Context
    private var maildrop: Maildrop?
    private var timer: Scheduled<Void>?
    private var closing = false

    init(session: POP3Session, context: POP3Context) {
        self.session = session
        self.context = context
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(session.start(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        release()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let bytes = unwrapInboundIn(data)
        perform(session.receive(Array(bytes.readableBytesView)), context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent where !session.isWaiting:
            perform(session.shuttingDown(), context: context)
        case ChannelEvent.inputClosed:
            if !session.isWaiting { context.close(promise: nil) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func perform(_ actions: [POP3Action], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .reply(let bytes):
                context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
            case .authenticate(let user, let password):
                authenticate(user, password, context: context)
            case .load(let index, let bodyLines):
                load(index, bodyLines: bodyLines, context: context)
            case .update(let deleting):
                update(deleting, context: context)
            case .close:
                closing = true
                release()
                let loopBoundContext = context.loopBound
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
                    .whenComplete { _ in loopBoundContext.value.close(promise: nil) }
                return
            }
        }
        context.flush()
        restartTimer(context: context)
    }

    /// Runs `work` on a storage thread with reading paused, then hands its result back on the event loop.
    private func offLoop<Result: Sendable>(
        _ context: ChannelHandlerContext, _ work: @escaping @Sendable () -> Result,
        then finish: @escaping (POP3ConnectionHandler, ChannelHandlerContext, Result) -> Void
    ) {
        timer?.cancel()
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = context.loopBound
        let finishOnLoop = NIOLoopBound(finish, eventLoop: context.eventLoop)
        self.context.storage.runIfActive(eventLoop: context.eventLoop, work).whenComplete { outcome in
            let context = loopBoundContext.value
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            guard case .success(let result) = outcome else {
                // The storage threads are shutting down: so is the server.
                loopBoundSelf.value.perform(loopBoundSelf.value.session.shuttingDown(), context: context)
                return
            }
            finishOnLoop.value(loopBoundSelf.value, context, result)
        }
    }

    private func authenticate(_ user: String, _ password: [UInt8], context: ChannelHandlerContext) {
        let shared = self.context
        offLoop(context) { () -> (POP3Authentication, Maildrop?) in
            shared.authenticate(user, password)
        } then: { handler, context, result in
            let (authentication, maildrop) = result
            if handler.closing || !context.channel.isActive {
                if let maildrop { shared.locks.unlock(maildrop.folder) }
                return
            }
            handler.maildrop = maildrop
            guard authentication == .denied else {
                handler.perform(handler.session.authenticationFinished(authentication), context: context)
                return
            }
            shared.countFailedLogin()
            let loopBoundHandler = NIOLoopBound(handler, eventLoop: context.eventLoop)
            let loopBoundContext = context.loopBound
            context.eventLoop.scheduleTask(in: shared.failedLoginDelay) {
                let handler = loopBoundHandler.value
                guard !handler.closing else { return }
                handler.perform(handler.session.authenticationFinished(.denied), context: loopBoundContext.value)
            }
        }
    }

    private func load(_ index: Int, bodyLines: Int?, context: ChannelHandlerContext) {
        guard let maildrop else {
            perform(session.messageLoaded(nil), context: context)
            return
        }
        offLoop(context) { () -> ([UInt8]?, Maildrop) in
            var maildrop = maildrop
            guard let bytes = try? maildrop.load(index) else { return (nil, maildrop) }
            // RETR (the whole message) is reading it; TOP is only a peek.
            if bodyLines == nil { try? maildrop.markSeen(index) }
            return (bytes, maildrop)
        } then: { handler, context, result in
            handler.maildrop = result.1
            handler.perform(handler.session.messageLoaded(result.0), context: context)
        }
    }

    private func update(_ deleting: [Int], context: ChannelHandlerContext) {
        guard let maildrop else {
            perform(session.updateFinished(nil), context: context)
            return
        }
        offLoop(context) { () -> String? in
            do throws(MailStoreError) {
                try maildrop.delete(deleting)
                return nil
            } catch {
                return error.description
            }
        } then: { handler, context, error in
            handler.perform(handler.session.updateFinished(error), context: context)
        }
    }

    private func release() {
        if let maildrop {
            context.locks.unlock(maildrop.folder)
            self.maildrop = nil
        }
    }

    private func restartTimer(context: ChannelHandlerContext) {
        timer?.cancel()
        guard !closing, !session.isWaiting else { return }
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = context.loopBound
        timer = context.eventLoop.scheduleTask(in: self.context.timeout) {
            loopBoundSelf.value.perform(loopBoundSelf.value.session.timedOut(), context: loopBoundContext.value)
        }
    }
}

/// What every POP3 connection of one server shares: the users, the store, the locks and the limits.
final class POP3Context: Sendable {
    let users: MailUsers
    let store: MaildirStore
    let storage: NIOThreadPool
    let locks = MaildropLocks()
    let timeout: TimeAmount
    let failedLoginDelay: TimeAmount
    private let failedLogins = NIOLockedValueBox(0)

    init(users: MailUsers, store: MaildirStore, storage: NIOThreadPool, timeout: TimeAmount, failedLoginDelay: TimeAmount) {
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
