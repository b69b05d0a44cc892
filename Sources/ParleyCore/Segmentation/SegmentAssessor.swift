/// Assesses one case as of `now` from its facts: the rules' segment, the supervisor's override,
/// the factors, protection and the recommended actions. Pure: no store, no clock.
public enum SegmentAssessor {
    public static func assess(facts: SegmentFacts, now: Instant, override: Segment?,
                              policy: CompliancePolicy = .defaults) -> SegmentAssessment {
        let rules = SegmentRuleEvaluation(facts: facts, now: now, policy: policy.segmentation)
        let segment = override ?? rules.segment
        let protectedReasons = ProtectedHandling.reasons(facts, now: now)
        let actions: [String]
        if !protectedReasons.isEmpty {
            actions = ProtectedHandling.actions(for: protectedReasons)
        } else {
            actions = (facts.openComplaint ? [complaintAction] : []) + policy.playbook(for: segment).recommendedActions
        }
        return SegmentAssessment(
            segment: segment, source: override == nil ? .rules : .override, ruleSegment: rules.segment,
            factors: factors(facts, now: now, rules: rules), recommendedActions: actions,
            protectedReasons: protectedReasons, computedAt: now)
    }

    /// The rules' segment alone (case creation and import, where there is no history yet).
    public static func ruleSegment(facts: SegmentFacts, now: Instant,
                                   policy: SegmentationPolicy = .defaults) -> Segment {
        SegmentRuleEvaluation(facts: facts, now: now, policy: policy).segment
    }

    /// Put first while a complaint is open, whatever the segment's playbook says after it.
    public static let complaintAction = "Resolve the open complaint first: no escalation or legal step until it is closed"

    private static func factors(_ facts: SegmentFacts, now: Instant, rules: SegmentRuleEvaluation)
        -> [SegmentAssessment.Factor] {
        SegmentFactorName.allCases.map { name in
            let value: JSONValue
            var effect = rules.effect(of: name)
            switch name {
            case .bankruptcy: value = .bool(facts.restrictions.bankruptcy)
            case .daysPastDue: value = .number(String(facts.daysPastDue))
            case .lastPaymentAt: value = instant(facts.lastPaymentAt)
            case .brokenPromisesOrPlans: value = .number(String(rules.brokenInWindow))
            case .refusedOutcomeAt: value = instant(facts.latestRefusalAt)
            case .rejectedDisputeAt: value = instant(facts.latestRejectedDisputeAt)
            case .keptPromiseAt: value = instant(facts.latestKeptPromiseAt)
            case .activePlanInGoodStanding: value = .bool(facts.activePlanInGoodStanding)
            case .debtorInboundContactAt: value = instant(facts.latestDebtorInboundAt)
            case .openComplaint:
                value = .bool(facts.openComplaint)
                if facts.openComplaint {
                    effect = "softens: feeds no rule, and a refusal or a rejected dispute does not make the case "
                        + "resistant while it is open"
                }
            case .openDispute:
                value = .bool(facts.openDispute)
                if facts.openDispute { effect = "protected: collection outreach stops until the dispute is resolved" }
            }
            return SegmentAssessment.Factor(name: name, value: value, effect: effect)
        }
    }

    private static func instant(_ value: Instant?) -> JSONValue { value.map { .string($0.rfc3339) } ?? .null }
}
