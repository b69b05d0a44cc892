import Synchronization

/// A per-key sliding-window limit (the public feedback endpoint and the debtor pages share one
/// per client address): at most `limit` requests in any `window` seconds.
public final class RateLimiter: Sendable {
    public let limit: Int
    public let windowMilliseconds: Int64
    private let hits = Mutex<[String: [Int64]]>([:])

    public init(limit: Int, windowSeconds: Int64 = 60) {
        self.limit = limit
        self.windowMilliseconds = windowSeconds * 1_000
    }

    /// Counts a request from `key` at `now`; nil when allowed, else the seconds until one is.
    public func check(_ key: String, at now: Instant) -> Int? {
        let millis = now.millisecondsSinceEpoch
        return hits.withLock { hits in
            if hits.count > 10_000 { hits = hits.filter { $0.value.last.map { millis - $0 < windowMilliseconds } ?? false } }
            var recent = (hits[key] ?? []).filter { millis - $0 < windowMilliseconds }
            guard recent.count < limit else {
                hits[key] = recent
                let oldest = recent.first ?? millis
                return Int(max(1, (oldest + windowMilliseconds - millis + 999) / 1_000))
            }
            recent.append(millis)
            hits[key] = recent
            return nil
        }
    }
}
