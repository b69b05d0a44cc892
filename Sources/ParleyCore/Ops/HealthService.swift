/// What `/health` reports: whether the database answers a trivial query.
public protocol HealthProbe: Sendable {
    func databaseIsHealthy() -> Bool
}

public struct HealthService: Sendable {
    public let version: String
    private let probe: any HealthProbe
    private let startedAt: Instant
    private let clock: WallClock

    public init(version: String, probe: any HealthProbe, clock: WallClock) {
        self.version = version
        self.probe = probe
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
        return Report(healthy: probe.databaseIsHealthy(), version: version, uptimeSeconds: max(0, uptime))
    }
}
