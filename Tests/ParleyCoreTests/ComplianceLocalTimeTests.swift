import Foundation
import ParleyCore
import Testing

@Suite struct ComplianceLocalTimeTests {
    typealias F = ComplianceFixture
    let newYork = LocalTime.zone(named: "America/New_York")

    @Test func localDayBoundsFollowDaylightSavingChanges() throws {
        // 2026-03-08 has 23 hours in New York, 2026-11-01 has 25.
        let spring = try F.at("2026-03-08T12:00:00-04:00")
        #expect(LocalTime.startOfLocalDay(containing: spring, in: newYork) == (try F.at("2026-03-08T00:00:00-05:00")))
        #expect(LocalTime.startOfNextLocalDay(after: spring, in: newYork) == (try F.at("2026-03-09T00:00:00-04:00")))
        let autumn = try F.at("2026-11-01T12:00:00-05:00")
        #expect(LocalTime.startOfLocalDay(containing: autumn, in: newYork) == (try F.at("2026-11-01T00:00:00-04:00")))
        #expect(LocalTime.startOfNextLocalDay(after: autumn, in: newYork) == (try F.at("2026-11-02T00:00:00-05:00")))
    }

    @Test func wallTimesInTheGapAndTheOverlapResolveSensibly() throws {
        let spring = try #require(CalendarDate(iso: "2026-03-08"))
        // 02:30 does not exist; the first instant past it is the jump itself, 02:00 EST = 03:00 EDT,
        // from which on the wall clock shows a later time.
        #expect(LocalTime.instant(localDate: spring, hour: 2, minute: 30, in: newYork) == (try F.at("2026-03-08T07:00:00Z")))
        #expect(LocalTime.instant(localDate: spring, hour: 2, minute: 0, in: newYork) == (try F.at("2026-03-08T07:00:00Z")))
        #expect(LocalTime.instant(localDate: spring, hour: 3, minute: 0, in: newYork) == (try F.at("2026-03-08T07:00:00Z")))
        // A day that starts an hour late (Havana's clocks go from 00:00 to 01:00): the day starts then.
        let havana = LocalTime.zone(named: "America/Havana")
        let havanaSpring = try #require(CalendarDate(iso: "2026-03-08"))
        #expect(LocalTime.instant(localDate: havanaSpring, hour: 0, minute: 0, in: havana) == (try F.at("2026-03-08T05:00:00Z")))
        let autumn = try #require(CalendarDate(iso: "2026-11-01"))
        // 01:30 happens twice; the earlier (EDT) wins.
        #expect(LocalTime.instant(localDate: autumn, hour: 1, minute: 30, in: newYork) == (try F.at("2026-11-01T05:30:00Z")))
        #expect(LocalTime.instant(localDate: autumn, hour: 8, minute: 0, in: newYork) == (try F.at("2026-11-01T13:00:00Z")))
    }

    /// A window opening inside the spring gap opens when the clocks jump past its start: the
    /// earliest instant the contact-hours rule allows, so a check then is allowed.
    @Test func aWindowStartInTheSpringGapOpensAtTheJump() throws {
        var policy = CompliancePolicy.defaults
        policy.jurisdictions["US"]?.contactHours = ContactHours(start: (2, 30), end: (21, 0))
        let engine = ComplianceEngine(policy: policy)
        let blocked = engine.evaluate(F.context(at: try F.at("2026-03-08T06:00:00Z")))
        #expect(F.rules(blocked) == ["contact_hours"])
        let opens = try #require(blocked.nextAllowedAt)
        #expect(opens == (try F.at("2026-03-08T07:00:00Z")))
        #expect(engine.evaluate(F.context(at: opens)).ok)
        #expect(!engine.evaluate(F.context(at: opens.adding(seconds: -1))).ok)
    }

    /// A window opening at 01:30 on the night the clocks go back: at 01:00 EST (after the first
    /// 01:30, EDT, has passed) the window opens at the second 01:30, not a day later.
    @Test func aWindowStartThatComesTwiceOpensAtTheNextOne() throws {
        let autumn = try #require(CalendarDate(iso: "2026-11-01"))
        #expect(LocalTime.instants(localDate: autumn, hour: 1, minute: 30, in: newYork)
                == [try F.at("2026-11-01T05:30:00Z"), try F.at("2026-11-01T06:30:00Z")])
        var policy = CompliancePolicy.defaults
        policy.jurisdictions["US"]?.contactHours = ContactHours(start: (1, 30), end: (21, 0))
        let engine = ComplianceEngine(policy: policy)
        let blocked = engine.evaluate(F.context(at: try F.at("2026-11-01T06:00:00Z")))
        #expect(F.rules(blocked) == ["contact_hours"])
        #expect(blocked.nextAllowedAt == (try F.at("2026-11-01T06:30:00Z")))
        #expect(engine.evaluate(F.context(at: try F.at("2026-11-01T06:30:00Z"))).ok)
    }

    @Test func localDateAndTimeOfDay() throws {
        let shanghai = LocalTime.zone(named: "Asia/Shanghai")
        let instant = try F.at("2026-06-10T16:30:00Z")
        #expect(LocalTime.localDate(of: instant, in: shanghai).description == "2026-06-11")
        #expect(LocalTime.wallClockText(of: instant, in: shanghai) == "00:30")
        #expect(LocalTime.offsetSeconds(at: instant, in: newYork) == -4 * 3_600)
    }
}
