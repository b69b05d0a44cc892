/// Told when a thread is about to wait on the database (its turn in a group commit, a free reader)
/// and when the wait is over; both are called on the waiting thread.
public struct WaitObserver: Sendable {
    public var willWait: @Sendable () -> Void
    public var didWait: @Sendable () -> Void

    public init(willWait: @escaping @Sendable () -> Void = {}, didWait: @escaping @Sendable () -> Void = {}) {
        self.willWait = willWait
        self.didWait = didWait
    }
}
