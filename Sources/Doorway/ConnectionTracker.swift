// Counts a server's connections, holds new ones back at the cap, and winds them down at shutdown.

import NIOCore

/// Sits in a listening channel's pipeline and sees each accepted connection before it is set up.
///
/// At the cap it stops accepting (connections wait in the kernel's backlog, as with tcpserver's `-c`) and
/// parks the few already accepted until a slot frees. At shutdown it stops accepting, tells each connection
/// to finish (`ChannelShouldQuiesceEvent`), and closes whatever is left when the deadline passes.
final class ConnectionTracker: ChannelDuplexHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel
    typealias OutboundIn = Never

    let maximumConnections: Int?
    private var active: [ObjectIdentifier: any Channel] = [:]
    private var parked: [any Channel] = []
    private var readPending = false
    private var context: ChannelHandlerContext?
    private var allClosed: [EventLoopPromise<Void>] = []
    private var shuttingDown = false

    init(maximumConnections: Int?) {
        self.maximumConnections = maximumConnections
    }

    var activeCount: Int { active.count }

    private var atCapacity: Bool {
        guard let maximumConnections else { return false }
        return active.count >= maximumConnections
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        if shuttingDown {
            child.close(promise: nil)
        } else if atCapacity || !parked.isEmpty {
            parked.append(child)
        } else {
            admit(child, context: context)
        }
    }

    func read(context: ChannelHandlerContext) {
        if atCapacity || !parked.isEmpty {
            readPending = true
        } else {
            context.read()
        }
    }

    private func admit(_ child: any Channel, context: ChannelHandlerContext) {
        let id = ObjectIdentifier(child)
        active[id] = child
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        child.closeFuture.whenComplete { _ in
            loop.execute { loopBound.value.connectionClosed(id) }
        }
        context.fireChannelRead(wrapInboundOut(child))
    }

    private func connectionClosed(_ id: ObjectIdentifier) {
        active[id] = nil
        if let context {
            while !atCapacity, !parked.isEmpty {
                admit(parked.removeFirst(), context: context)
            }
            if readPending, !atCapacity, parked.isEmpty {
                readPending = false
                context.read()
            }
        }
        if active.isEmpty {
            let promises = allClosed
            allClosed = []
            for promise in promises { promise.succeed() }
        }
    }

    /// Stops accepting, asks every connection to finish, and closes the rest at `deadline`.
    /// The future completes when every connection has closed.
    func shutdown(deadline: NIODeadline, eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        shuttingDown = true
        for channel in parked { channel.close(promise: nil) }
        parked = []
        context?.close(promise: nil)
        guard !active.isEmpty else { return eventLoop.makeSucceededFuture(()) }
        let promise = eventLoop.makePromise(of: Void.self)
        allClosed.append(promise)
        for child in active.values {
            child.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.scheduleTask(deadline: deadline) {
            for child in loopBound.value.active.values { child.close(promise: nil) }
        }
        return promise.futureResult
    }
}
