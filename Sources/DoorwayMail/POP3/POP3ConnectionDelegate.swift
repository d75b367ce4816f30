// Carries out a POP3 session's own actions (login, loading, deleting) for the line-protocol driver that runs it.

import Doorway
import NIOCore
import NIOPosix

/// Checks passwords (scrypt) and reads and changes the user's Maildir; both block, so they run on the mail
/// server's storage threads while the driver pauses reading. A failed login is answered only after a delay,
/// which makes guessing slow. Holds the maildrop, and its lock, from login until the connection ends.
final class POP3ConnectionDelegate: LineProtocolDelegate {
    typealias Driver = LineProtocolDriver<POP3ConnectionDelegate>

    private let context: POP3Context
    private var maildrop: Maildrop?

    init(context: POP3Context) {
        self.context = context
    }

    func step(for action: POP3Action) -> LineProtocolStep {
        switch action {
        case .reply(let bytes): .write(bytes)
        case .authenticate, .load, .update: .carryOut
        case .close: .close
        }
    }

    func idleTimeout(for session: POP3Session) -> TimeAmount {
        context.timeout
    }

    func connectionEnded() {
        if let maildrop {
            context.locks.unlock(maildrop.folder)
            self.maildrop = nil
        }
    }

    func carryOut(_ action: POP3Action, driver: Driver, context: ChannelHandlerContext) {
        switch action {
        case .authenticate(let user, let password): authenticate(user, password, driver: driver, context: context)
        case .load(let index, let bodyLines): load(index, bodyLines: bodyLines, driver: driver, context: context)
        case .update(let deleting): update(deleting, driver: driver, context: context)
        case .reply, .close: break
        }
    }

    /// Runs `work` on a storage thread; if the storage threads are shutting down, so is the server.
    private func offLoop<Value: Sendable>(
        _ driver: Driver, _ context: ChannelHandlerContext, _ work: @escaping @Sendable () -> Value,
        then finish: @escaping (POP3ConnectionDelegate, Driver, ChannelHandlerContext, Value) -> Void
    ) {
        driver.offLoop(on: self.context.storage, context: context, work) { driver, context, outcome in
            guard case .success(let value) = outcome else {
                driver.resume(context: context) { $0.shuttingDown() }
                return
            }
            finish(driver.delegate, driver, context, value)
        }
    }

    private func authenticate(_ user: String, _ password: [UInt8], driver: Driver, context: ChannelHandlerContext) {
        let shared = self.context
        offLoop(driver, context) { () -> (POP3Authentication, Maildrop?) in
            shared.authenticate(user, password)
        } then: { delegate, driver, context, result in
            let (authentication, maildrop) = result
            if driver.isClosing || !context.channel.isActive {
                if let maildrop { shared.locks.unlock(maildrop.folder) }
                return
            }
            delegate.maildrop = maildrop
            guard authentication == .denied else {
                driver.resume(context: context) { $0.authenticationFinished(authentication) }
                return
            }
            shared.countFailedLogin()
            let loopBoundDriver = NIOLoopBound(driver, eventLoop: context.eventLoop)
            let loopBoundContext = context.loopBound
            context.eventLoop.scheduleTask(in: shared.failedLoginDelay) {
                let driver = loopBoundDriver.value
                guard !driver.isClosing else { return }
                driver.resume(context: loopBoundContext.value) { $0.authenticationFinished(.denied) }
            }
        }
    }

    private func load(_ index: Int, bodyLines: Int?, driver: Driver, context: ChannelHandlerContext) {
        guard let maildrop else {
            driver.resume(context: context) { $0.messageLoaded(nil) }
            return
        }
        offLoop(driver, context) { () -> ([UInt8]?, Maildrop) in
            var maildrop = maildrop
            guard let bytes = try? maildrop.load(index) else { return (nil, maildrop) }
            // RETR (the whole message) is reading it; TOP is only a peek.
            if bodyLines == nil { try? maildrop.markSeen(index) }
            return (bytes, maildrop)
        } then: { delegate, driver, context, result in
            delegate.maildrop = result.1
            driver.resume(context: context) { $0.messageLoaded(result.0) }
        }
    }

    private func update(_ deleting: [Int], driver: Driver, context: ChannelHandlerContext) {
        guard let maildrop else {
            driver.resume(context: context) { $0.updateFinished(nil) }
            return
        }
        offLoop(driver, context) { () -> String? in
            do throws(MailStoreError) {
                try maildrop.delete(deleting)
                return nil
            } catch {
                return error.description
            }
        } then: { _, driver, context, error in
            driver.resume(context: context) { $0.updateFinished(error) }
        }
    }
}

extension POP3Session: LineProtocolSession {}
