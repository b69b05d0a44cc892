/// At most `maxCount` events in any rolling window of `windowDays` days, the window being
/// `(t − windowDays, t]` at each instant `t`.
public struct FrequencyLimit: Sendable, Equatable {
    public var maxCount: Int
    public var windowDays: Int

    public init(maxCount: Int, windowDays: Int) {
        self.maxCount = maxCount
        self.windowDays = windowDays
    }

    /// The first instant `pastEvents` leave room for one more event, or nil when there is room at `at`.
    ///
    /// Room opens when the `maxCount`-th most recent event leaves the window, which is exactly
    /// `windowDays` after it; events older than that one leave even earlier.
    public func blockedUntil(pastEvents: [Instant], at: Instant) -> Instant? {
        let windowStart = at.adding(days: -Int64(windowDays))
        let inWindow = pastEvents.filter { $0 > windowStart && $0 <= at }.sorted(by: >)
        // A count below 1 is refused when the policy is read; treat it as 1 rather than trap.
        let limit = max(1, maxCount)
        guard inWindow.count >= limit else { return nil }
        return inWindow[limit - 1].adding(days: Int64(windowDays))
    }
}
