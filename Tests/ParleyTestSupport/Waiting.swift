import Glibc
import Synchronization

/// Waits until `condition` holds, checking every few milliseconds; false once `timeout` has
/// passed without it. Tests wait on what they need rather than sleeping for a guess, and a broken
/// server fails the test at the timeout instead of hanging it.
@discardableResult
public func waitUntil(
    timeout: Duration = .seconds(5), pollingEvery interval: Duration = .milliseconds(2), _ condition: () throws -> Bool
) rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if try condition() { return true }
        if clock.now >= deadline { return false }
        let (seconds, attoseconds) = interval.components
        usleep(UInt32(clamping: seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
    }
}

/// Holds handlers until the test opens it, so a test can catch a request in flight without
/// guessing how long it takes. A held handler gives up after `holdLimit`, so a test that never
/// opens the gate fails instead of hanging.
public final class Gate: Sendable {
    private let isOpen = Atomic<Bool>(false)
    private let arrivalCount = Atomic<Int>(0)
    private let holdLimit: Duration

    public init(holdLimit: Duration = .seconds(10)) { self.holdLimit = holdLimit }

    /// How many callers have reached the gate.
    public var arrivals: Int { arrivalCount.load(ordering: .acquiring) }

    public func open() { isOpen.store(true, ordering: .releasing) }

    /// Called by the handler: counts its arrival and waits until the gate opens.
    public func pass() {
        arrivalCount.wrappingAdd(1, ordering: .releasing)
        waitUntil(timeout: holdLimit, pollingEvery: .milliseconds(1)) { isOpen.load(ordering: .acquiring) }
    }
}
