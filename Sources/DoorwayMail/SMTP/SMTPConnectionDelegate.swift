// Carries out an SMTP session's own action, storing a message, for the line-protocol driver that runs it.

import Doorway
import NIOCore
import NIOPosix

/// Stores what the session accepts, on the storage threads, and times the client by the session's phase:
/// RFC 5321's command timeout between commands, the data timeout while a message arrives.
final class SMTPConnectionDelegate: LineProtocolDelegate {
    private let server: MailServer

    init(server: MailServer) {
        self.server = server
    }

    func step(for action: SMTPAction) -> LineProtocolStep {
        switch action {
        case .reply(let reply): .write(reply.bytes)
        case .deliver: .carryOut
        case .close: .close
        }
    }

    func idleTimeout(for session: SMTPSession) -> TimeAmount {
        TimeAmount(session.phase == .data ? server.configuration.dataTimeout : server.configuration.commandTimeout)
    }

    func carryOut(
        _ action: SMTPAction, driver: LineProtocolDriver<SMTPConnectionDelegate>, context: ChannelHandlerContext
    ) {
        guard case .deliver(let envelope, let message) = action else { return }
        let store = server.store
        driver.offLoop(on: server.storage, context: context) {
            try store.deliver(message, returnPath: envelope.reversePath, to: envelope.recipients)
        } then: { driver, context, result in
            let outcome: DeliveryResult
            switch result {
            case .success: outcome = .stored
            case .failure(let error as MailStoreError) where error.isStorageFull:
                outcome = .storageFull(reason: error.description)
            case .failure(let error as MailStoreError): outcome = .failed(temporary: true, reason: error.description)
            case .failure(let error): outcome = .failed(temporary: true, reason: "\(error)")
            }
            driver.delegate.server.metrics.record(outcome)
            driver.resume(context: context) { $0.deliveryFinished(outcome) }
        }
    }
}

extension SMTPSession: LineProtocolSession {}
