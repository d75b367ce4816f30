// The UDP forms of the simple services: one answer per datagram, within a rate budget.

import Doorway
import NIOCore

final class DatagramServiceHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let service: SimpleService
    let quotes: QuoteBook
    let limits: DatagramLimits
    private var chargenOffset = 0
    private var windowStart = NIODeadline.now()
    private var answersInWindow = 0
    private var pendingFlush = false

    init(service: SimpleService, quotes: QuoteBook, limits: DatagramLimits) {
        self.service = service
        self.quotes = quotes
        self.limits = limits
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request = unwrapInboundIn(data)
        guard let sourcePort = request.remoteAddress.port,
            !limits.ignoredSourcePorts.contains(Port(UInt16(truncatingIfNeeded: sourcePort))),
            takeAnswerFromBudget(),
            let answer = service.datagramAnswer(to: request.data, quotes: quotes, chargenOffset: &chargenOffset)
        else { return }
        context.write(
            wrapOutboundOut(AddressedEnvelope(remoteAddress: request.remoteAddress, data: answer)), promise: nil)
        pendingFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
    }

    /// A one-second window: simple, and enough to bound what a spoofed flood can make us send.
    private func takeAnswerFromBudget() -> Bool {
        let now = NIODeadline.now()
        if now - windowStart >= .seconds(1) {
            windowStart = now
            answersInWindow = 0
        }
        guard answersInWindow < limits.answersPerSecond else { return false }
        answersInWindow += 1
        return true
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An ICMP error for one sender (ECONNREFUSED on a later send) must not stop the service for others.
    }
}
