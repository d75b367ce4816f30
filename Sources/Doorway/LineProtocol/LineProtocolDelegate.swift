// The part of a line-protocol server that only its own protocol knows: its actions, its timeouts, its resources.

import NIOCore

/// Carries out the actions of one protocol's sessions for a ``LineProtocolDriver``, which does the rest: reading,
/// writing, pausing, closing and the idle timer.
///
/// A delegate is one connection's: it may hold what that connection holds (a mailbox lock, say) and is only
/// used on the connection's event loop.
public protocol LineProtocolDelegate: AnyObject, SendableMetatype {
    associatedtype Session: LineProtocolSession

    /// How the driver treats `action`.
    func step(for action: Session.Action) -> LineProtocolStep
    /// Carries out an action whose step is ``LineProtocolStep/carryOut``. Blocking work goes through
    /// ``LineProtocolDriver/offLoop(on:context:_:then:)``; the answer goes back through
    /// ``LineProtocolDriver/resume(context:_:)``.
    func carryOut(_ action: Session.Action, driver: LineProtocolDriver<Self>, context: ChannelHandlerContext)
    /// How long the client may stay silent in the session's present state.
    func idleTimeout(for session: Session) -> TimeAmount
    /// The connection is closing or closed: let go of what it holds. May be called more than once.
    func connectionEnded()
}

extension LineProtocolDelegate {
    public func connectionEnded() {}
}
