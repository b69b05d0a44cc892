/// The stable names of an assessment's factors, in the order an assessment lists them
/// (Docs/segmentation.md describes each). Clients may key on these; renaming one is a breaking change.
public enum SegmentFactorName: String, Sendable, CaseIterable {
    case bankruptcy
    case daysPastDue = "days_past_due"
    case lastPaymentAt = "last_payment_at"
    case brokenPromisesOrPlans = "broken_promises_or_plans"
    case refusedOutcomeAt = "refused_outcome_at"
    case rejectedDisputeAt = "rejected_dispute_at"
    case keptPromiseAt = "kept_promise_at"
    case activePlanInGoodStanding = "active_plan_in_good_standing"
    case debtorInboundContactAt = "debtor_inbound_contact_at"
    case openComplaint = "open_complaint"
    case openDispute = "open_dispute"
}
