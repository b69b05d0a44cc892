import ParleyCore
import Testing

@Suite struct SegmentProtectionTests {
    typealias Clock = SegmentClock

    static let restrictionReasons: [(String, @Sendable (inout Restrictions) -> Void)] = [
        ("cease_communication", { $0.ceaseCommunication = true }),
        ("attorney_represented", { $0.attorneyRepresented = true }),
        ("bankruptcy", { $0.bankruptcy = true }),
        ("deceased", { $0.deceased = true }),
        ("breathing_space", { $0.breathingSpaceUntil = CalendarDate(iso: "2026-12-31") }),
        ("vulnerable", { $0.vulnerable = true }),
    ]

    @Test func everyRestrictionProtectsTheCaseAndSaysWhy() {
        for (reason, apply) in Self.restrictionReasons {
            var restrictions = Restrictions()
            apply(&restrictions)
            let assessment = Clock.assess(SegmentFacts(restrictions: restrictions))
            #expect(assessment.isProtected, "\(reason)")
            #expect(assessment.protectedReasons == [reason])
            #expect(assessment.json["protected"] == .bool(true))
            #expect(assessment.json["protected_reasons"] == .array([.string(reason)]))
            #expect(assessment.recommendedActions == ProtectedHandling.actions(for: [reason]))
        }
    }

    @Test func anOpenDisputeProtectsTheCase() {
        let assessment = Clock.assess(SegmentFacts(openDispute: true, lastPaymentAt: Clock.daysAgo(1)))
        #expect(assessment.segment == .high_willingness)
        #expect(assessment.protectedReasons == ["open_dispute"])
        #expect(assessment.factor(.openDispute)?.effect == "protected: collection outreach stops until the dispute is resolved")
        #expect(assessment.recommendedActions.contains("Resolve the open dispute before any collection contact"))
    }

    @Test func reasonsComeInTheContractOrder() {
        var restrictions = Restrictions()
        restrictions.vulnerable = true
        restrictions.ceaseCommunication = true
        restrictions.deceased = true
        let assessment = Clock.assess(SegmentFacts(restrictions: restrictions, openDispute: true))
        #expect(assessment.protectedReasons == ["open_dispute", "cease_communication", "deceased", "vulnerable"])
    }

    @Test func aBreathingSpaceProtectsOnlyUntilItsDateBeginsForTheDebtor() {
        var restrictions = Restrictions()
        restrictions.breathingSpaceUntil = CalendarDate(iso: "2026-11-30")
        let late = Instant(rfc3339: "2026-11-29T23:30:00Z")!
        func reasons(zone: String, at now: Instant) -> [String] {
            SegmentAssessor.assess(facts: SegmentFacts(restrictions: restrictions, debtorTimeZone: zone), now: now,
                                   override: nil).protectedReasons
        }
        #expect(reasons(zone: "UTC", at: late) == ["breathing_space"])
        // Already 30 November in Tokyo: the breathing space is over there.
        #expect(reasons(zone: "Asia/Tokyo", at: late) == [])
        #expect(reasons(zone: "UTC", at: Instant(rfc3339: "2026-11-30T00:00:00Z")!) == [])
        restrictions.breathingSpaceUntil = CalendarDate(iso: "2026-11-01")
        #expect(reasons(zone: "UTC", at: late) == [])
        #expect(!SegmentAssessor.assess(facts: SegmentFacts(restrictions: restrictions), now: late, override: nil).isProtected)
    }

    @Test func bankruptcyIsHighRiskAndProtected() {
        var restrictions = Restrictions()
        restrictions.bankruptcy = true
        let assessment = Clock.assess(SegmentFacts(restrictions: restrictions))
        #expect(assessment.segment == .high_risk)
        #expect(assessment.factor(.bankruptcy)?.effect == "high_risk: the debtor is in bankruptcy")
        #expect(assessment.protectedReasons == ["bankruptcy"])
        #expect(!assessment.recommendedActions.contains { Playbook.standard(for: .high_risk).recommendedActions.contains($0) })
    }

    /// Whatever the segment, the override or the policy's playbooks, a protected case gets only
    /// the fixed steps: none of them comes from a playbook, and none pushes.
    @Test func protectedActionsNeverEscalate() {
        var policy = CompliancePolicy.defaults
        for segment in Segment.allCases {
            policy.playbooks[segment]?.recommendedActions = ["Start legal proceedings now"]
        }
        let playbookActions = Set(Segment.allCases.flatMap { Playbook.standard(for: $0).recommendedActions })
        let ruleFacts: [SegmentFacts] = [
            SegmentFacts(), SegmentFacts(daysPastDue: 400), SegmentFacts(latestRefusalAt: Clock.daysAgo(1)),
            SegmentFacts(lastPaymentAt: Clock.daysAgo(1)),
        ]
        for (reason, apply) in Self.restrictionReasons {
            for base in ruleFacts {
                for override in [nil] + Segment.allCases.map(Optional.some) {
                    for openComplaint in [false, true] {
                        var facts = base
                        apply(&facts.restrictions)
                        facts.openComplaint = openComplaint
                        for used in [CompliancePolicy.defaults, policy] {
                            let actions = Clock.assess(facts, override: override, policy: used).recommendedActions
                            #expect(actions == ProtectedHandling.actions(for: [reason]))
                            #expect(playbookActions.isDisjoint(with: actions))
                            #expect(!actions.contains("Start legal proceedings now"))
                        }
                    }
                }
            }
        }
        let everyReason = ["open_dispute"] + Self.restrictionReasons.map(\.0)
        for action in ProtectedHandling.actions(for: everyReason) {
            let lowered = action.lowercased()
            // "legal" and "escalation" only ever appear as something not to do.
            if lowered.contains("legal") || lowered.contains("escalat") { #expect(lowered.hasPrefix("make no")) }
        }
        #expect(ProtectedHandling.actions(for: everyReason).count == 3 + everyReason.count)
    }

    @Test func anUnprotectedCaseGetsItsPlaybook() {
        for segment in Segment.allCases {
            let assessment = Clock.assess(SegmentFacts(), override: segment)
            #expect(!assessment.isProtected)
            #expect(assessment.protectedReasons.isEmpty)
            #expect(assessment.recommendedActions == Playbook.standard(for: segment).recommendedActions)
        }
    }

    /// Severity of treatment, gentlest first.
    static func rank(_ segment: Segment) -> Int {
        switch segment {
        case .high_willingness: 0
        case .wait_and_see: 1
        case .resistant: 2
        case .high_risk: 3
        }
    }

    @Test func anOpenComplaintNeverMakesTheSegmentWorse() {
        var checked = 0
        for bankruptcy in [false, true] {
            for daysPastDue: Int64 in [10, 200] {
                for payment in [nil, Clock.daysAgo(5), Clock.daysAgo(120)] {
                    for broken in [0, 2] {
                        for refusal in [nil, Clock.daysAgo(5)] {
                            for rejected in [nil, Clock.daysAgo(5)] {
                                for kept in [nil, Clock.daysAgo(5)] {
                                    for plan in [false, true] {
                                        for inbound in [nil, Clock.daysAgo(5)] {
                                            var restrictions = Restrictions()
                                            restrictions.bankruptcy = bankruptcy
                                            var facts = SegmentFacts(
                                                restrictions: restrictions, daysPastDue: daysPastDue,
                                                lastPaymentAt: payment,
                                                brokenCommitmentsAt: Array(repeating: Clock.daysAgo(3), count: broken),
                                                latestRefusalAt: refusal, latestRejectedDisputeAt: rejected,
                                                latestKeptPromiseAt: kept, activePlanInGoodStanding: plan,
                                                latestDebtorInboundAt: inbound)
                                            let without = Clock.segment(facts)
                                            facts.openComplaint = true
                                            let with = Clock.segment(facts)
                                            #expect(Self.rank(with) <= Self.rank(without))
                                            checked += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(checked == 768)
    }

    @Test func aComplaintKeepsARefusalFromMakingTheCaseResistant() {
        let facts = SegmentFacts(openComplaint: true, latestRefusalAt: Clock.daysAgo(3))
        let assessment = Clock.assess(facts)
        #expect(assessment.segment == .wait_and_see)
        #expect(assessment.factor(.refusedOutcomeAt)?.effect
            == "suspended: a refusal in the last 60 days would make the case resistant, but a complaint is open")
        #expect(assessment.factor(.openComplaint)?.effect.hasPrefix("softens: ") == true)
        #expect(assessment.recommendedActions.first == SegmentAssessor.complaintAction)
        #expect(Array(assessment.recommendedActions.dropFirst()) == Playbook.standard(for: .wait_and_see).recommendedActions)
        // The objective high-risk facts still count: a complaint hides nothing.
        #expect(Clock.segment(SegmentFacts(openComplaint: true, daysPastDue: 200)) == .high_risk)
        #expect(Clock.assess(SegmentFacts()).factor(.openComplaint)?.effect == "none")
    }
}
