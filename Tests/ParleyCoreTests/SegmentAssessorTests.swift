import ParleyCore
import Testing

/// A fixed "now" and instants relative to it, shared by the segmentation suites.
enum SegmentClock {
    static let now = Instant(millisecondsSinceEpoch: 1_795_953_600_000)  // 2026-11-29T12:00:00Z
    static func daysAgo(_ days: Int64) -> Instant { now.adding(days: -days) }
    /// One millisecond further back than `days` days: just outside a window of that many days.
    static func justOver(_ days: Int64) -> Instant { Instant(millisecondsSinceEpoch: daysAgo(days).millisecondsSinceEpoch - 1) }

    static func assess(_ facts: SegmentFacts, override: Segment? = nil, policy: CompliancePolicy = .defaults)
        -> SegmentAssessment {
        SegmentAssessor.assess(facts: facts, now: now, override: override, policy: policy)
    }

    static func segment(_ facts: SegmentFacts) -> Segment { assess(facts).segment }
}

@Suite struct SegmentAssessorTests {
    typealias Clock = SegmentClock

    @Test func theClockIsTheDateTheDocsUse() {
        #expect(Clock.now.rfc3339 == "2026-11-29T12:00:00Z")
    }

    @Test func eachSegmentIsReached() {
        #expect(Clock.segment(SegmentFacts()) == .wait_and_see)
        #expect(Clock.segment(SegmentFacts(lastPaymentAt: Clock.daysAgo(3))) == .high_willingness)
        #expect(Clock.segment(SegmentFacts(latestRefusalAt: Clock.daysAgo(3))) == .resistant)
        #expect(Clock.segment(SegmentFacts(daysPastDue: 212)) == .high_risk)
    }

    @Test func everyHighRiskConditionCounts() {
        var bankrupt = Restrictions()
        bankrupt.bankruptcy = true
        #expect(Clock.segment(SegmentFacts(restrictions: bankrupt)) == .high_risk)
        #expect(Clock.segment(SegmentFacts(daysPastDue: 400, lastPaymentAt: Clock.daysAgo(100))) == .high_risk)
        #expect(Clock.segment(SegmentFacts(brokenCommitmentsAt: [Clock.daysAgo(10), Clock.daysAgo(100)])) == .high_risk)
    }

    @Test func everyWillingnessConditionCounts() {
        #expect(Clock.segment(SegmentFacts(lastPaymentAt: Clock.daysAgo(1))) == .high_willingness)
        #expect(Clock.segment(SegmentFacts(latestKeptPromiseAt: Clock.daysAgo(1))) == .high_willingness)
        #expect(Clock.segment(SegmentFacts(activePlanInGoodStanding: true)) == .high_willingness)
        #expect(Clock.segment(SegmentFacts(latestDebtorInboundAt: Clock.daysAgo(1))) == .high_willingness)
        #expect(Clock.segment(SegmentFacts(latestRejectedDisputeAt: Clock.daysAgo(1))) == .resistant)
    }

    @Test func theFirstMatchWinsAndTheOthersSayTheyWereOutranked() {
        var facts = SegmentFacts(daysPastDue: 200, lastPaymentAt: Clock.daysAgo(120),
                                 latestRefusalAt: Clock.daysAgo(5), activePlanInGoodStanding: true)
        var assessment = Clock.assess(facts)
        #expect(assessment.segment == .high_risk)
        #expect(assessment.factor(.daysPastDue)?.effect == "high_risk: over 180 with no payment in 90 days")
        #expect(assessment.factor(.refusedOutcomeAt)?.effect
            == "resistant: a refusal in the last 60 days; outranked by high_risk")
        #expect(assessment.factor(.activePlanInGoodStanding)?.effect
            == "high_willingness: an active plan with no missed instalment; outranked by high_risk")

        facts.daysPastDue = 100
        assessment = Clock.assess(facts)
        #expect(assessment.segment == .resistant)
        #expect(assessment.factor(.daysPastDue)?.effect == "none")
        #expect(assessment.factor(.refusedOutcomeAt)?.effect == "resistant: a refusal in the last 60 days")

        facts.latestRefusalAt = nil
        #expect(Clock.segment(facts) == .high_willingness)
        facts.activePlanInGoodStanding = false
        #expect(Clock.segment(facts) == .wait_and_see)
    }

    @Test func daysPastDueMustBeOver180() {
        let at180 = Clock.assess(SegmentFacts(daysPastDue: 180))
        #expect(at180.segment == .wait_and_see)
        #expect(at180.factor(.daysPastDue) == .init(name: .daysPastDue, value: .number("180"), effect: "none"))
        let at181 = Clock.assess(SegmentFacts(daysPastDue: 181))
        #expect(at181.segment == .high_risk)
        #expect(at181.factor(.daysPastDue)?.value == .number("181"))
        #expect(at181.factor(.lastPaymentAt)?.effect == "high_risk: no payment in 90 days with over 180 days past due")
    }

    @Test func aPaymentInTheLast90DaysKeepsAnOldCaseOutOfHighRisk() {
        #expect(Clock.segment(SegmentFacts(daysPastDue: 300, lastPaymentAt: Clock.daysAgo(90))) == .wait_and_see)
        #expect(Clock.segment(SegmentFacts(daysPastDue: 300, lastPaymentAt: Clock.justOver(90))) == .high_risk)
        #expect(Clock.segment(SegmentFacts(daysPastDue: 300, lastPaymentAt: nil)) == .high_risk)
    }

    @Test func twoBrokenCommitmentsInTheWindowMakeHighRiskAndOneDoesNot() {
        #expect(Clock.segment(SegmentFacts(brokenCommitmentsAt: [Clock.daysAgo(3)])) == .wait_and_see)
        let two = Clock.assess(SegmentFacts(brokenCommitmentsAt: [Clock.daysAgo(3), Clock.daysAgo(180)]))
        #expect(two.segment == .high_risk)
        #expect(two.factor(.brokenPromisesOrPlans)?.value == .number("2"))
        #expect(two.factor(.brokenPromisesOrPlans)?.effect == "high_risk: 2 broken in the last 180 days (2 or more)")
        let oneOutside = Clock.assess(SegmentFacts(brokenCommitmentsAt: [Clock.daysAgo(3), Clock.justOver(180)]))
        #expect(oneOutside.segment == .wait_and_see)
        #expect(oneOutside.factor(.brokenPromisesOrPlans)?.value == .number("1"))
    }

    @Test func resistanceLastsSixtyDays() {
        #expect(Clock.segment(SegmentFacts(latestRefusalAt: Clock.daysAgo(60))) == .resistant)
        #expect(Clock.segment(SegmentFacts(latestRefusalAt: Clock.justOver(60))) == .wait_and_see)
        #expect(Clock.segment(SegmentFacts(latestRejectedDisputeAt: Clock.daysAgo(60))) == .resistant)
        #expect(Clock.segment(SegmentFacts(latestRejectedDisputeAt: Clock.justOver(60))) == .wait_and_see)
    }

    @Test func willingnessLooksBackThirtyDays() {
        #expect(Clock.segment(SegmentFacts(lastPaymentAt: Clock.daysAgo(30))) == .high_willingness)
        #expect(Clock.segment(SegmentFacts(lastPaymentAt: Clock.justOver(30))) == .wait_and_see)
        #expect(Clock.segment(SegmentFacts(latestDebtorInboundAt: Clock.daysAgo(30))) == .high_willingness)
        #expect(Clock.segment(SegmentFacts(latestDebtorInboundAt: Clock.justOver(30))) == .wait_and_see)
    }

    @Test func anyKeptPromiseCountsUnlessThePolicySetsAWindow() {
        let facts = SegmentFacts(latestKeptPromiseAt: Clock.daysAgo(400))
        #expect(Clock.assess(facts).factor(.keptPromiseAt)?.effect == "high_willingness: a kept promise")
        var policy = CompliancePolicy.defaults
        policy.segmentation.keptPromiseWindowDays = 90
        #expect(Clock.assess(facts, policy: policy).segment == .wait_and_see)
        #expect(Clock.assess(SegmentFacts(latestKeptPromiseAt: Clock.daysAgo(90)), policy: policy).segment == .high_willingness)
    }

    @Test func thresholdsComeFromThePolicy() {
        var policy = CompliancePolicy.defaults
        policy.segmentation.highRiskDaysPastDue = 90
        policy.segmentation.brokenCount = 3
        policy.segmentation.resistantWindowDays = 10
        #expect(Clock.assess(SegmentFacts(daysPastDue: 91), policy: policy).segment == .high_risk)
        #expect(Clock.assess(SegmentFacts(brokenCommitmentsAt: [Clock.now, Clock.now]), policy: policy).segment
            == .wait_and_see)
        #expect(Clock.assess(SegmentFacts(latestRefusalAt: Clock.daysAgo(11)), policy: policy).segment == .wait_and_see)
        #expect(SegmentRules.segment({ var i = SegmentInputs(); i.daysPastDue = 91; return i }(), now: Clock.now,
                                     policy: policy.segmentation) == .high_risk)
    }

    @Test func anOverrideWinsAndIsShownAsOne() {
        let facts = SegmentFacts(lastPaymentAt: Clock.daysAgo(2))
        let byRules = Clock.assess(facts)
        #expect(byRules.source == .rules)
        #expect(byRules.json["segment_source"] == .string("rules"))

        let overridden = Clock.assess(facts, override: .resistant)
        #expect(overridden.segment == .resistant)
        #expect(overridden.source == .override)
        #expect(overridden.ruleSegment == .high_willingness)
        #expect(overridden.recommendedActions == Playbook.standard(for: .resistant).recommendedActions)
        #expect(overridden.factors == byRules.factors)
        #expect(overridden.json["segment"] == .string("resistant"))
        #expect(overridden.json["segment_source"] == .string("override"))
        #expect(overridden.json["rule_segment"] == .string("high_willingness"))
        // Setting the override to what the rules say still reads as an override.
        #expect(Clock.assess(facts, override: .high_willingness).source == .override)
    }

    @Test func everyFactorIsListedInItsStableOrder() {
        let assessment = Clock.assess(SegmentFacts())
        #expect(assessment.factors.map(\.name) == SegmentFactorName.allCases)
        #expect(assessment.factors.allSatisfy { $0.effect == "none" })
        #expect(SegmentFactorName.allCases.map(\.rawValue) == [
            "bankruptcy", "days_past_due", "last_payment_at", "broken_promises_or_plans", "refused_outcome_at",
            "rejected_dispute_at", "kept_promise_at", "active_plan_in_good_standing", "debtor_inbound_contact_at",
            "open_complaint", "open_dispute",
        ])
        #expect(assessment.factor(.lastPaymentAt)?.value == .null)
        #expect(Clock.assess(SegmentFacts(lastPaymentAt: Clock.daysAgo(1))).factor(.lastPaymentAt)?.value
            == .string("2026-11-28T12:00:00Z"))
    }

    @Test func theJSONHasTheContractShape() {
        let json = Clock.assess(SegmentFacts(daysPastDue: 212)).json
        guard case .object(let members) = json else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.0) == ["segment", "segment_source", "rule_segment", "factors", "recommended_actions",
                                     "protected", "protected_reasons", "computed_at"])
        #expect(json["computed_at"] == .string("2026-11-29T12:00:00Z"))
        #expect(json["protected"] == .bool(false))
        #expect(json["protected_reasons"] == .array([]))
        if case .array(let factors) = json["factors"] {
            #expect(factors[1].compact
                == #"{"name":"days_past_due","value":212,"effect":"high_risk: over 180 with no payment in 90 days"}"#)
        } else {
            Issue.record("factors is not an array")
        }
    }

    @Test func theOldInputsGiveTheSameSegmentsThroughTheEngine() {
        var inputs = SegmentInputs()
        #expect(SegmentRules.segment(inputs, now: Clock.now) == .wait_and_see)
        inputs.daysPastDue = 181
        #expect(SegmentRules.segment(inputs, now: Clock.now) == .high_risk)
        inputs.paymentIn30Days = true
        #expect(SegmentRules.segment(inputs, now: Clock.now) == .high_willingness)
        inputs.brokenPromisesOrPlansIn180Days = 2
        #expect(SegmentRules.segment(inputs, now: Clock.now) == .high_risk)
        inputs.brokenPromisesOrPlansIn180Days = 1
        inputs.rejectedDisputeIn60Days = true
        #expect(SegmentRules.segment(inputs, now: Clock.now) == .resistant)
    }
}
