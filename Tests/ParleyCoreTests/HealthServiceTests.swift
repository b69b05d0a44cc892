import ParleyCore
import Synchronization
import Testing

final class SwitchableProbe: HealthProbe {
    let healthy = Atomic<Bool>(true)
    func databaseIsHealthy() -> Bool { healthy.load(ordering: .relaxed) }
}

@Suite struct HealthServiceTests {
    @Test func reportsDegradedWhenTheDatabaseFails() {
        let clock = WallClock { Instant(millisecondsSinceEpoch: 1_000_000) }
        let probe = SwitchableProbe()
        let service = HealthService(version: "1.2.3", probe: probe, clock: clock)
        #expect(service.report().healthy)
        probe.healthy.store(false, ordering: .relaxed)
        let report = service.report()
        #expect(!report.healthy)
        #expect(report.version == "1.2.3")
        #expect(report.uptimeSeconds == 0)
    }
}
