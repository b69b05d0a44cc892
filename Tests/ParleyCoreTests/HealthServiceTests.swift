import ParleyCore
import Synchronization
import Testing

/// A database that answers as told (nil: busy) and counts how often it was asked.
final class SwitchableProbe: HealthProbe {
    let answer = Mutex<Bool?>(true)
    let asked = Atomic<Int>(0)
    func databaseAnswers() -> Bool? {
        asked.wrappingAdd(1, ordering: .relaxed)
        return answer.withLock { $0 }
    }
}

/// A steady clock the test moves by hand.
final class ManualMonotonicClock: Sendable {
    let milliseconds = Atomic<Int64>(5_000)
    func advance(by delta: Int64) { milliseconds.wrappingAdd(delta, ordering: .relaxed) }
    var reading: @Sendable () -> Int64 { { [self] in milliseconds.load(ordering: .relaxed) } }
}

@Suite struct HealthServiceTests {
    let wallClock = WallClock { Instant(millisecondsSinceEpoch: 1_000_000) }

    @Test func reportsDegradedWhenTheDatabaseFails() {
        let probe = SwitchableProbe()
        let steady = ManualMonotonicClock()
        let service = HealthService(version: "1.2.3", probe: probe, clock: wallClock, monotonicMilliseconds: steady.reading)
        #expect(service.report().healthy)
        probe.answer.withLock { $0 = false }
        steady.advance(by: ThrottledHealthProbe.interval)
        let report = service.report()
        #expect(!report.healthy)
        #expect(report.version == "1.2.3")
        #expect(report.uptimeSeconds == 0)
        probe.answer.withLock { $0 = true }
        steady.advance(by: ThrottledHealthProbe.interval)
        #expect(service.report().healthy)
    }

    @Test func theDatabaseIsAskedAtMostOncePerInterval() {
        let probe = SwitchableProbe()
        let steady = ManualMonotonicClock()
        let service = HealthService(version: "1", probe: probe, clock: wallClock, monotonicMilliseconds: steady.reading)
        for _ in 0..<100 { #expect(service.report().healthy) }
        #expect(probe.asked.load(ordering: .relaxed) == 1)
        // A failure shows from the next interval on, not before.
        probe.answer.withLock { $0 = false }
        steady.advance(by: ThrottledHealthProbe.interval - 1)
        #expect(service.report().healthy)
        steady.advance(by: 1)
        #expect(!service.report().healthy)
        #expect(probe.asked.load(ordering: .relaxed) == 2)
    }

    @Test func aBusyDatabaseKeepsItsLastAnswerOnlyForThePatience() {
        let probe = SwitchableProbe()
        let steady = ManualMonotonicClock()
        let service = HealthService(version: "1", probe: probe, clock: wallClock, monotonicMilliseconds: steady.reading)
        #expect(service.report().healthy)
        probe.answer.withLock { $0 = nil }
        steady.advance(by: ThrottledHealthProbe.patience - 1)
        #expect(service.report().healthy)
        steady.advance(by: ThrottledHealthProbe.interval)
        #expect(!service.report().healthy)
        // A database that was never reached is not healthy even if it is only busy.
        let fresh = HealthService(version: "1", probe: probe, clock: wallClock, monotonicMilliseconds: steady.reading)
        #expect(!fresh.report().healthy)
    }
}
