import ParleyCore
import Testing

/// Builders shared by the Compliance*Tests files.
enum ComplianceFixture {
    static let engine = ComplianceEngine(policy: .defaults)
    static let callable = ContactTarget.phone(number: "+12125550100", consentCalls: true, consentSMS: true)

    static func at(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Instant {
        try #require(Instant(rfc3339: text), sourceLocation: sourceLocation)
    }

    static func context(at: Instant, channel: ContactChannel = .phone, jurisdiction: String = "US",
                        zone: String = "America/New_York", role: Role = .agent,
                        restrictions: Restrictions = Restrictions(), target: ContactTarget = callable,
                        outcome: ContactOutcome? = nil, openDispute: Bool = false, summary: String? = nil,
                        content: String? = nil, messageBody: String? = nil,
                        history: ComplianceHistory = ComplianceHistory()) -> ComplianceContext {
        ComplianceContext(at: at, channel: channel, direction: .outbound, outcome: outcome, actorRole: role,
                          restrictions: restrictions, debtorTimeZone: zone, jurisdiction: jurisdiction, target: target,
                          openDispute: openDispute, content: content, summary: summary, messageBody: messageBody,
                          history: history)
    }

    static func rules(_ verdict: ComplianceVerdict) -> [String] { verdict.violations.map(\.rule.rawValue) }
}

@Suite struct ComplianceEngineTests {
    typealias F = ComplianceFixture

    @Test func frequencyFreeingAt2230LocalWaitsForTheNext0800() throws {
        // The 7th most recent attempt was at 22:30 local; its window ends at 22:30, outside contact hours.
        let attempts = try ["2026-06-03T22:30:00-04:00", "2026-06-05T10:00:00-04:00", "2026-06-06T10:00:00-04:00",
                            "2026-06-07T10:00:00-04:00", "2026-06-08T10:00:00-04:00", "2026-06-09T10:00:00-04:00",
                            "2026-06-10T10:00:00-04:00"].map { try F.at($0) }
        let verdict = F.engine.evaluate(F.context(at: try F.at("2026-06-10T12:00:00-04:00"),
                                                  history: ComplianceHistory(casePhoneAttempts: attempts)))
        #expect(F.rules(verdict) == ["call_frequency"])
        #expect(verdict.violations.first?.nextAllowedAt == (try F.at("2026-06-10T22:30:00-04:00")))
        #expect(verdict.nextAllowedAt == (try F.at("2026-06-11T08:00:00-04:00")))
    }

    @Test func cnDailyLimitReopensAtLocalMidnightThenContactHoursAt0800() throws {
        let today = try ["2026-06-10T09:00:00+08:00", "2026-06-10T10:00:00+08:00", "2026-06-10T11:00:00+08:00"].map { try F.at($0) }
        let context = F.context(at: try F.at("2026-06-10T12:00:00+08:00"), jurisdiction: "CN", zone: "Asia/Shanghai",
                                history: ComplianceHistory(debtorRPCPhoneToday: today))
        let verdict = F.engine.evaluate(context)
        #expect(F.rules(verdict) == ["call_frequency"])
        #expect(verdict.violations.first?.nextAllowedAt == (try F.at("2026-06-11T00:00:00+08:00")))
        #expect(verdict.nextAllowedAt == (try F.at("2026-06-11T08:00:00+08:00")))
    }

    @Test func aRestrictionWithoutEndMakesTheOverallAnswerNil() throws {
        var restrictions = Restrictions()
        restrictions.ceaseCommunication = true
        let verdict = F.engine.evaluate(F.context(at: try F.at("2026-06-10T23:00:00-04:00"), restrictions: restrictions))
        #expect(Set(F.rules(verdict)) == ["cease_communication", "contact_hours"])
        #expect(verdict.violations.first { $0.rule == .contactHours }?.nextAllowedAt != nil)
        #expect(verdict.nextAllowedAt == nil)
        #expect(!verdict.ok)
    }

    @Test func anOpenDisputeBlocksEveryChannelWithoutEnd() throws {
        for channel in ContactChannel.allCases {
            let target: ContactTarget = channel == .email ? .email(address: "a@example.com", optedOut: false) : F.callable
            let verdict = F.engine.evaluate(F.context(at: try F.at("2026-06-10T12:00:00-04:00"), channel: channel,
                                                      target: target, openDispute: true))
            #expect(F.rules(verdict) == ["dispute_pending"], "\(channel)")
            #expect(verdict.nextAllowedAt == nil)
        }
    }

    @Test func inboundContactsAreNeverJudged() throws {
        var restrictions = Restrictions()
        restrictions.ceaseCommunication = true
        var context = F.context(at: try F.at("2026-06-10T23:30:00-04:00"), restrictions: restrictions, target: .none,
                                openDispute: true, summary: "he said the police will come")
        context.direction = .inbound
        #expect(F.engine.evaluate(context) == .allowed)
    }

    @Test func anAllowedContactHasNoViolationsAndNoWait() throws {
        let verdict = F.engine.evaluate(F.context(at: try F.at("2026-06-10T12:00:00-04:00")))
        #expect(verdict.ok)
        #expect(verdict.nextAllowedAt == nil)
    }

    @Test func unknownJurisdictionsUseTheDefaultProfile() throws {
        // No 7-in-7 limit by default, but contact hours 08:00–21:00.
        let attempts = try (1...7).map { try F.at("2026-06-0\($0)T12:00:00+02:00") }
        let context = F.context(at: try F.at("2026-06-08T12:00:00+02:00"), jurisdiction: "DE", zone: "Europe/Berlin",
                                history: ComplianceHistory(casePhoneAttempts: attempts))
        #expect(F.engine.evaluate(context).ok)
        let late = F.context(at: try F.at("2026-06-08T21:00:00+02:00"), jurisdiction: "DE", zone: "Europe/Berlin")
        #expect(F.rules(F.engine.evaluate(late)) == ["contact_hours"])
    }

    @Test func historyRequestNamesEachSeriesWindowAndLimit() throws {
        let at = try F.at("2026-06-10T12:00:00-04:00")
        let us = F.engine.historyRequest(at: at, debtorTimeZone: "America/New_York", jurisdiction: "US", channel: .phone)
        let weekAgo = Instant(millisecondsSinceEpoch: at.adding(days: -7).millisecondsSinceEpoch + 1)
        #expect(us.casePhoneAttempts == HistoryRequest.Series(since: weekAgo, until: at, limit: 7))
        #expect(us.lastCaseRPCPhone == HistoryRequest.Series(since: weekAgo, until: at, limit: 1))
        #expect(us.caseSMS == nil && us.debtorRPCPhoneToday == nil && us.numberUnansweredToday == nil && us.lastDebtorReached == nil)

        let sms = F.engine.historyRequest(at: at, debtorTimeZone: "America/New_York", jurisdiction: "GB", channel: .sms)
        #expect(sms.caseSMS == HistoryRequest.Series(since: weekAgo, until: at, limit: 3))
        #expect(sms.casePhoneAttempts == nil)

        let cnAt = try F.at("2026-06-10T12:00:00+08:00")
        let cn = F.engine.historyRequest(at: cnAt, debtorTimeZone: "Asia/Shanghai", jurisdiction: "CN", channel: .phone,
                                         outcome: .connectedThirdParty)
        let midnight = try F.at("2026-06-10T00:00:00+08:00")
        #expect(cn.debtorRPCPhoneToday == HistoryRequest.Series(since: midnight, until: cnAt, limit: 3))
        #expect(cn.numberUnansweredToday == HistoryRequest.Series(since: midnight, until: cnAt, limit: 6))
        let monthAgo = Instant(millisecondsSinceEpoch: cnAt.adding(days: -30).millisecondsSinceEpoch + 1)
        #expect(cn.lastDebtorReached == HistoryRequest.Series(since: monthAgo, until: cnAt, limit: 1))
        #expect(cn.casePhoneAttempts == nil && cn.lastCaseRPCPhone == nil)
    }
}
