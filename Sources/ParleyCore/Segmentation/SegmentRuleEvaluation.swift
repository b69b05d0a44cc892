/// One rule condition that holds for a case: which factor met it, for which segment, and why.
struct SegmentFinding: Sendable {
    let factor: SegmentFactorName
    let segment: Segment
    let reason: String
    /// A `resistant` condition an open complaint keeps from counting.
    let suspended: Bool
}

/// The default rules of contract §11 applied to one case's facts: every condition that holds is
/// kept (so each factor can say what it did), and the segment is the first rule with a finding
/// that counts.
struct SegmentRuleEvaluation: Sendable {
    /// Rules in the order they are tried; `wait_and_see` is what is left.
    static let order: [Segment] = [.high_risk, .resistant, .high_willingness]

    let findings: [SegmentFinding]
    let segment: Segment
    let brokenInWindow: Int

    init(facts: SegmentFacts, now: Instant, policy: SegmentationPolicy) {
        func within(_ days: Int, _ event: Instant?) -> Bool { SegmentationPolicy.isWithin(days: days, of: now, event) }
        var findings: [SegmentFinding] = []
        func add(_ factor: SegmentFactorName, _ segment: Segment, _ reason: String, suspended: Bool = false) {
            findings.append(SegmentFinding(factor: factor, segment: segment, reason: reason, suspended: suspended))
        }

        // 1. high_risk
        if facts.restrictions.bankruptcy { add(.bankruptcy, .high_risk, "the debtor is in bankruptcy") }
        let pastDue = policy.highRiskDaysPastDue
        let noPayment = policy.noPaymentDays
        if facts.daysPastDue > Int64(pastDue), !within(noPayment, facts.lastPaymentAt) {
            add(.daysPastDue, .high_risk, "over \(pastDue) with no payment in \(noPayment) days")
            add(.lastPaymentAt, .high_risk, "no payment in \(noPayment) days with over \(pastDue) days past due")
        }
        let broken = facts.brokenCommitmentsAt.filter { within(policy.brokenWindowDays, $0) }.count
        if broken >= policy.brokenCount {
            add(.brokenPromisesOrPlans, .high_risk,
                "\(broken) broken in the last \(policy.brokenWindowDays) days (\(policy.brokenCount) or more)")
        }

        // 2. resistant. A complaint suspends it: a refusal may be part of the grievance, and a
        // complaint must never push a case towards harder treatment.
        let resistantDays = policy.resistantWindowDays
        if within(resistantDays, facts.latestRefusalAt) {
            add(.refusedOutcomeAt, .resistant, "a refusal in the last \(resistantDays) days", suspended: facts.openComplaint)
        }
        if within(resistantDays, facts.latestRejectedDisputeAt) {
            add(.rejectedDisputeAt, .resistant, "a dispute rejected in the last \(resistantDays) days",
                suspended: facts.openComplaint)
        }

        // 3. high_willingness
        let willingDays = policy.willingnessWindowDays
        if within(willingDays, facts.lastPaymentAt) {
            add(.lastPaymentAt, .high_willingness, "a payment in the last \(willingDays) days")
        }
        if let kept = facts.latestKeptPromiseAt {
            if let days = policy.keptPromiseWindowDays {
                if within(days, kept) { add(.keptPromiseAt, .high_willingness, "a promise kept in the last \(days) days") }
            } else {
                add(.keptPromiseAt, .high_willingness, "a kept promise")
            }
        }
        if facts.activePlanInGoodStanding {
            add(.activePlanInGoodStanding, .high_willingness, "an active plan with no missed instalment")
        }
        if within(willingDays, facts.latestDebtorInboundAt) {
            add(.debtorInboundContactAt, .high_willingness, "the debtor got in touch in the last \(willingDays) days")
        }

        self.findings = findings
        self.brokenInWindow = broken
        self.segment = Self.order.first { rule in findings.contains { $0.segment == rule && !$0.suspended } }
            ?? .wait_and_see
    }

    /// What `factor` did: `none`, `<segment>: <why>` for the rule that decided, the same with
    /// `; outranked by <segment>` for a later rule that also held, or `suspended: …`.
    func effect(of factor: SegmentFactorName) -> String {
        guard let finding = findings.first(where: { $0.factor == factor }) else { return "none" }
        if finding.suspended {
            return "suspended: \(finding.reason) would make the case \(finding.segment.rawValue), but a complaint is open"
        }
        let said = "\(finding.segment.rawValue): \(finding.reason)"
        return finding.segment == segment ? said : said + "; outranked by \(segment.rawValue)"
    }

    /// Whether an open complaint kept a condition from counting.
    var complaintSuspendedSomething: Bool { findings.contains { $0.suspended } }
}
