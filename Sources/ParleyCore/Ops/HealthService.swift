import Dispatch
import Synchronization

/// What `/health` reports: whether the database answers a trivial query.
public protocol HealthProbe: Sendable {
    /// True when the database answered, false when it failed; nil when it could not be asked without
    /// waiting (every connection busy). Called on an event loop, so it must never wait.
    func databaseAnswers() -> Bool?
}

public struct HealthService: Sendable {
    public let version: String
    private let database: ThrottledHealthProbe
    private let startedAt: Instant
    private let clock: WallClock

    /// - Parameter monotonicMilliseconds: the clock that spaces the database checks (a steady one:
    ///   the wall clock may step back).
    public init(version: String, probe: any HealthProbe, clock: WallClock,
                monotonicMilliseconds: @escaping @Sendable () -> Int64 = ThrottledHealthProbe.uptimeMilliseconds) {
        self.version = version
        self.database = ThrottledHealthProbe(probe: probe, now: monotonicMilliseconds)
        self.clock = clock
        self.startedAt = clock.now()
    }

    public struct Report: Sendable {
        public let healthy: Bool
        public let version: String
        public let uptimeSeconds: Int64
    }

    public func report() -> Report {
        let uptime = (clock.now().millisecondsSinceEpoch - startedAt.millisecondsSinceEpoch) / 1_000
        return Report(healthy: database.healthy(), version: version, uptimeSeconds: max(0, uptime))
    }
}

/// Asks the database at most every `interval` and keeps the answer in between, so a monitor polling
/// `/health` thousands of times a second costs one query per interval. While every connection is
/// busy the last answer stands, but only for `patience`: a database that has not answered for that
/// long is reported unhealthy.
public final class ThrottledHealthProbe: Sendable {
    public static let interval: Int64 = 250
    public static let patience: Int64 = 10_000

    private struct State {
        var askedAt: Int64?
        var answeredAt: Int64?
        var healthy = false
    }

    private let probe: any HealthProbe
    private let now: @Sendable () -> Int64
    private let state = Mutex(State())

    public init(probe: any HealthProbe, now: @escaping @Sendable () -> Int64) {
        self.probe = probe
        self.now = now
        _ = healthy()  // a first answer before any request asks, so none finds "not asked yet"
    }

    public static let uptimeMilliseconds: @Sendable () -> Int64 = { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) }

    public func healthy() -> Bool {
        let time = now()
        // One caller asks; the others, meanwhile, take the last answer.
        let ask = state.withLock { state -> Bool in
            if let askedAt = state.askedAt, time - askedAt < Self.interval { return false }
            state.askedAt = time
            return true
        }
        guard ask else { return state.withLock { $0.healthy } }
        let answer = probe.databaseAnswers()
        return state.withLock { state in
            switch answer {
            case .some(let answered):
                state.healthy = answered
                state.answeredAt = time
            case .none:
                if let answeredAt = state.answeredAt, time - answeredAt < Self.patience { break }
                state.healthy = false
            }
            return state.healthy
        }
    }
}
