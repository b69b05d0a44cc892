import ParleyCore
import Testing

@Suite struct ComplianceContactHoursTests {
    typealias F = ComplianceFixture

    @Test(arguments: [
        // New York, the day DST starts (EDT, −04:00) and the day it ends (EST, −05:00).
        ("2026-03-08T07:59:59-04:00", "2026-03-08T08:00:00-04:00"),
        ("2026-03-08T08:00:00-04:00", nil),
        ("2026-03-08T20:59:59-04:00", nil),
        ("2026-03-08T21:00:00-04:00", "2026-03-09T08:00:00-04:00"),
        ("2026-11-01T07:59:59-05:00", "2026-11-01T08:00:00-05:00"),
        ("2026-11-01T08:00:00-05:00", nil),
        ("2026-11-01T20:59:59-05:00", nil),
        ("2026-11-01T21:00:00-05:00", "2026-11-02T08:00:00-05:00"),
        // The evening before each change: the next 08:00 has a different offset than now.
        ("2026-03-07T21:00:00-05:00", "2026-03-08T08:00:00-04:00"),
        ("2026-10-31T21:00:00-04:00", "2026-11-01T08:00:00-05:00"),
        ("2026-03-08T01:30:00-05:00", "2026-03-08T08:00:00-04:00"),
    ] as [(String, String?)])
    func newYorkBoundaries(_ at: String, _ next: String?) throws {
        let verdict = F.engine.evaluate(F.context(at: try F.at(at)))
        let expected = try next.map { try F.at($0) }
        #expect(verdict.ok == (next == nil))
        #expect(F.rules(verdict) == (next == nil ? [] : ["contact_hours"]))
        #expect(verdict.violations.first?.nextAllowedAt == expected)
        #expect(verdict.nextAllowedAt == expected)
    }

    @Test(arguments: [
        ("2026-06-10T07:59:59+08:00", "2026-06-10T08:00:00+08:00"),
        ("2026-06-10T08:00:00+08:00", nil),
        ("2026-06-10T21:59:59+08:00", nil),
        ("2026-06-10T22:00:00+08:00", "2026-06-11T08:00:00+08:00"),
    ] as [(String, String?)])
    func shanghaiBoundaries(_ at: String, _ next: String?) throws {
        let verdict = F.engine.evaluate(F.context(at: try F.at(at), jurisdiction: "CN", zone: "Asia/Shanghai"))
        #expect(verdict.nextAllowedAt == (try next.map { try F.at($0) }))
        #expect(F.rules(verdict) == (next == nil ? [] : ["contact_hours"]))
    }

    @Test func onlyPhoneSMSAndVisitsFollowContactHours() throws {
        let night = try F.at("2026-06-10T23:30:00-04:00")
        #expect(F.rules(F.engine.evaluate(F.context(at: night, channel: .sms))) == ["contact_hours"])
        #expect(F.rules(F.engine.evaluate(F.context(at: night, channel: .visit))) == ["contact_hours"])
        #expect(F.engine.evaluate(F.context(at: night, channel: .email, target: .email(address: "a@example.com", optedOut: false))).ok)
        #expect(F.engine.evaluate(F.context(at: night, channel: .letter, target: .none)).ok)
        #expect(F.engine.evaluate(F.context(at: night, channel: .portal, target: .none)).ok)
    }
}

@Suite struct ComplianceFrequencyTests {
    typealias F = ComplianceFixture

    /// Attempts at 10:00 New York time on June 4…10 (seven days), newest last.
    func attempts(days: ClosedRange<Int>) throws -> [Instant] {
        try days.map { try F.at("2026-06-\($0 < 10 ? "0" : "")\($0)T10:00:00-04:00") }
    }

    @Test func theSeventhCallPassesAndTheEighthWaitsForTheSeventhMostRecentPlusSevenDays() throws {
        let at = try F.at("2026-06-10T12:00:00-04:00")
        let six = F.engine.evaluate(F.context(at: at, history: ComplianceHistory(casePhoneAttempts: try attempts(days: 5...10))))
        #expect(six.ok)
        let seven = F.engine.evaluate(F.context(at: at, history: ComplianceHistory(casePhoneAttempts: try attempts(days: 4...10))))
        #expect(F.rules(seven) == ["call_frequency"])
        let expected = try F.at("2026-06-11T10:00:00-04:00")
        #expect(seven.violations.first?.nextAllowedAt == expected)
        #expect(seven.nextAllowedAt == expected)
    }

    @Test func anAttemptExactlySevenDaysAgoHasLeftTheWindow() throws {
        let at = try F.at("2026-06-11T10:00:00-04:00")
        let history = ComplianceHistory(casePhoneAttempts: try attempts(days: 4...10))
        #expect(F.engine.evaluate(F.context(at: at, history: history)).ok)
        let justBefore = Instant(millisecondsSinceEpoch: at.millisecondsSinceEpoch - 1)
        #expect(F.rules(F.engine.evaluate(F.context(at: justBefore, history: history))) == ["call_frequency"])
    }

    @Test func theCallLimitIsUSOnly() throws {
        let history = ComplianceHistory(casePhoneAttempts: try attempts(days: 4...10))
        let gb = F.context(at: try F.at("2026-06-10T17:00:00+01:00"), jurisdiction: "GB", zone: "Europe/London", history: history)
        #expect(F.engine.evaluate(gb).ok)
    }

    @Test func cooldownEndsExactlySevenDaysAfterTheConversation() throws {
        let conversation = try F.at("2026-06-01T11:00:00-04:00")
        let history = ComplianceHistory(lastCaseRPCPhone: conversation)
        let almost = conversation.adding(days: 6).adding(seconds: 23 * 3_600 + 59 * 60 + 59)
        let blocked = F.engine.evaluate(F.context(at: almost, history: history))
        #expect(F.rules(blocked) == ["conversation_cooldown"])
        #expect(blocked.nextAllowedAt == conversation.adding(days: 7))
        #expect(F.engine.evaluate(F.context(at: conversation.adding(days: 7), history: history)).ok)
        // Sms is not a call.
        #expect(F.engine.evaluate(F.context(at: almost, channel: .sms, history: history)).ok)
    }

    @Test func theFourthSMSInSevenDaysWaitsForTheThirdMostRecentPlusSevenDays() throws {
        let at = try F.at("2026-06-10T12:00:00+01:00")
        let sent = try ["2026-06-05T09:00:00+01:00", "2026-06-07T09:00:00+01:00", "2026-06-09T09:00:00+01:00"].map { try F.at($0) }
        let two = F.context(at: at, channel: .sms, jurisdiction: "GB", zone: "Europe/London",
                            history: ComplianceHistory(caseSMS: Array(sent.dropFirst())))
        #expect(F.engine.evaluate(two).ok)
        let three = F.context(at: at, channel: .sms, jurisdiction: "GB", zone: "Europe/London", history: ComplianceHistory(caseSMS: sent))
        #expect(F.rules(F.engine.evaluate(three)) == ["sms_frequency"])
        #expect(F.engine.evaluate(three).nextAllowedAt == sent[0].adding(days: 7))
        for (jurisdiction, zone) in [("GB", "Europe/London"), ("US", "America/New_York"), ("CN", "Asia/Shanghai"), ("FR", "Europe/Paris")] {
            let three = F.context(at: at, channel: .sms, jurisdiction: jurisdiction, zone: zone,
                                  history: ComplianceHistory(caseSMS: sent))
            // 12:00 London is outside contact hours in New York and Shanghai; only the sms limit is checked here.
            let verdict = F.engine.evaluate(three)
            let limit = verdict.violations.first { $0.rule == .smsFrequency }
            #expect(limit?.nextAllowedAt == sent[0].adding(days: 7), "\(jurisdiction)")
        }
    }

    @Test func cnAllowsThreeConversationsPerDebtorPerLocalDay() throws {
        let at = try F.at("2026-06-10T12:00:00+08:00")
        let earlier = try ["2026-06-10T09:00:00+08:00", "2026-06-10T10:00:00+08:00", "2026-06-10T11:00:00+08:00"].map { try F.at($0) }
        func verdict(_ today: [Instant]) -> ComplianceVerdict {
            F.engine.evaluate(F.context(at: at, jurisdiction: "CN", zone: "Asia/Shanghai",
                                        history: ComplianceHistory(debtorRPCPhoneToday: today)))
        }
        #expect(verdict(Array(earlier.prefix(2))).ok)
        #expect(verdict(Array(earlier.prefix(2)) + [try F.at("2026-06-09T23:59:59+08:00")]).ok)
        let blocked = verdict(earlier)
        #expect(F.rules(blocked) == ["call_frequency"])
        #expect(blocked.violations.first?.nextAllowedAt == (try F.at("2026-06-11T00:00:00+08:00")))
        #expect(blocked.nextAllowedAt == (try F.at("2026-06-11T08:00:00+08:00")))
    }

    @Test func cnAllowsSixUnansweredAttemptsPerNumberPerLocalDay() throws {
        let at = try F.at("2026-06-10T20:00:00+08:00")
        let unanswered = try (0..<6).map { try F.at("2026-06-10T1\($0):00:00+08:00") }
        let five = F.context(at: at, jurisdiction: "CN", zone: "Asia/Shanghai",
                             history: ComplianceHistory(numberUnansweredToday: Array(unanswered.prefix(5))))
        #expect(F.engine.evaluate(five).ok)
        let six = F.context(at: at, jurisdiction: "CN", zone: "Asia/Shanghai",
                            history: ComplianceHistory(numberUnansweredToday: unanswered))
        let verdict = F.engine.evaluate(six)
        #expect(F.rules(verdict) == ["call_frequency"])
        #expect(verdict.violations.first?.nextAllowedAt == (try F.at("2026-06-11T00:00:00+08:00")))
        #expect(verdict.nextAllowedAt == (try F.at("2026-06-11T08:00:00+08:00")))
    }
}

@Suite struct ComplianceRestrictionTests {
    typealias F = ComplianceFixture

    @Test(arguments: [ComplianceRuleName.ceaseCommunication, .attorneyRepresented, .bankruptcy, .deceased])
    func restrictionsBlockEveryOutboundChannelWithoutEnd(_ rule: ComplianceRuleName) throws {
        var restrictions = Restrictions()
        switch rule {
        case .ceaseCommunication: restrictions.ceaseCommunication = true
        case .attorneyRepresented: restrictions.attorneyRepresented = true
        case .bankruptcy: restrictions.bankruptcy = true
        default: restrictions.deceased = true
        }
        for jurisdiction in ["US", "CN", "GB", "BR"] {
            let verdict = F.engine.evaluate(F.context(at: try F.at("2026-06-10T12:00:00-04:00"), channel: .letter,
                                                      jurisdiction: jurisdiction, restrictions: restrictions, target: .none))
            #expect(F.rules(verdict) == [rule.rawValue])
            #expect(verdict.nextAllowedAt == nil)
        }
    }

    @Test func breathingSpaceBlocksUntilLocalMidnightOfItsEndDate() throws {
        var restrictions = Restrictions()
        restrictions.breathingSpaceUntil = CalendarDate(iso: "2026-06-15")
        let lastMoment = try F.at("2026-06-14T23:59:59+01:00")
        for jurisdiction in ["GB", "US"] {
            let blocked = F.engine.evaluate(F.context(at: lastMoment, channel: .letter, jurisdiction: jurisdiction,
                                                      zone: "Europe/London", restrictions: restrictions, target: .none))
            #expect(F.rules(blocked) == ["breathing_space"])
            #expect(blocked.nextAllowedAt == (try F.at("2026-06-15T00:00:00+01:00")))
        }
        let ended = F.context(at: try F.at("2026-06-15T00:00:00+01:00"), channel: .letter, jurisdiction: "GB",
                              zone: "Europe/London", restrictions: restrictions, target: .none)
        #expect(F.engine.evaluate(ended).ok)
        // A call at the end of the breathing space still waits for contact hours.
        let call = F.context(at: lastMoment, jurisdiction: "GB", zone: "Europe/London", restrictions: restrictions)
        #expect(F.engine.evaluate(call).nextAllowedAt == (try F.at("2026-06-15T08:00:00+01:00")))
    }

    @Test(arguments: [(Role.agent, false), (.supervisor, true), (.admin, true)])
    func vulnerableDebtorsAreContactedBySupervisorsOnly(_ role: Role, _ allowed: Bool) throws {
        var restrictions = Restrictions()
        restrictions.vulnerable = true
        let verdict = F.engine.evaluate(F.context(at: try F.at("2026-06-10T12:00:00-04:00"), role: role, restrictions: restrictions))
        #expect(verdict.ok == allowed)
        #expect(F.rules(verdict) == (allowed ? [] : ["vulnerable"]))
        #expect(verdict.nextAllowedAt == nil)
    }

    @Test(arguments: [
        (ContactChannel.phone, ContactTarget.phone(number: "+12125550100", consentCalls: false, consentSMS: true), false),
        (.phone, .phone(number: "+12125550100", consentCalls: true, consentSMS: false), true),
        (.sms, .phone(number: "+12125550100", consentCalls: true, consentSMS: false), false),
        (.sms, .phone(number: "+12125550100", consentCalls: false, consentSMS: true), true),
        (.email, .email(address: "a@example.com", optedOut: true), false),
        (.email, .email(address: "a@example.com", optedOut: false), true),
        (.phone, ContactTarget.none, false),
        (.sms, .email(address: "a@example.com", optedOut: false), false),
        (.email, ContactTarget.none, false),
        (.letter, ContactTarget.none, true),
        (.visit, ContactTarget.none, true),
    ])
    func channelsNeedConsentAndATarget(_ channel: ContactChannel, _ target: ContactTarget, _ allowed: Bool) throws {
        let verdict = F.engine.evaluate(F.context(at: try F.at("2026-06-10T12:00:00-04:00"), channel: channel, target: target))
        #expect(F.rules(verdict) == (allowed ? [] : ["channel_consent"]))
        #expect(verdict.nextAllowedAt == nil)
    }
}

@Suite struct ComplianceContactVocabularyTests {
    @Test func outcomesPerChannel() {
        #expect(ContactOutcome.allowed(for: .phone).map(\.rawValue)
            == ["connected_rpc", "connected_third_party", "no_answer", "voicemail", "busy", "wrong_number", "refused"])
        #expect(ContactOutcome.allowed(for: .visit) == ContactOutcome.allowed(for: .phone))
        for channel in [ContactChannel.sms, .email, .letter, .portal] {
            #expect(ContactOutcome.allowed(for: channel).map(\.rawValue) == ["sent", "delivered", "failed", "received"])
        }
        #expect(ContactOutcome.allCases.filter(\.isUnanswered) == [.noAnswer, .voicemail, .busy])
        #expect(ContactOutcome.allCases.filter(\.isConnected) == [.connectedRPC, .connectedThirdParty])
        #expect(ComplianceRuleName.allCases.count == 14)
    }
}
