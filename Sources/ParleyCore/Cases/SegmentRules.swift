/// The inputs of the segmentation rules at case creation and import, where a case has no history
/// of its own yet. A thin form of `SegmentFacts`; "in the window" flags stand for an event now.
public struct SegmentInputs: Sendable, Equatable {
    public var bankruptcy = false
    public var daysPastDue: Int64 = 0
    public var lastPaymentAt: Instant?
    public var brokenPromisesOrPlansIn180Days = 0
    public var refusedOutcomeIn60Days = false
    public var rejectedDisputeIn60Days = false
    public var paymentIn30Days = false
    public var keptPromise = false
    public var activePlanInGoodStanding = false
    public var debtorInitiatedContactIn30Days = false
    public init() {}

    /// The same inputs as facts as of `now`: each flag becomes an event at `now`.
    public func facts(now: Instant) -> SegmentFacts {
        var restrictions = Restrictions()
        restrictions.bankruptcy = bankruptcy
        // A payment in the last 30 days is the latest payment, whatever `lastPaymentAt` says.
        var lastPayment = lastPaymentAt
        if paymentIn30Days, !SegmentationPolicy.isWithin(days: 30, of: now, lastPayment) { lastPayment = now }
        return SegmentFacts(
            restrictions: restrictions, daysPastDue: daysPastDue, lastPaymentAt: lastPayment,
            brokenCommitmentsAt: Array(repeating: now, count: max(0, brokenPromisesOrPlansIn180Days)),
            latestRefusalAt: refusedOutcomeIn60Days ? now : nil,
            latestRejectedDisputeAt: rejectedDisputeIn60Days ? now : nil, latestKeptPromiseAt: keptPromise ? now : nil,
            activePlanInGoodStanding: activePlanInGoodStanding,
            latestDebtorInboundAt: debtorInitiatedContactIn30Days ? now : nil)
    }
}

/// The default segmentation rules (contract §11), first match wins, through `SegmentAssessor`.
/// Thresholds are the policy's `segmentation` section (Docs/segmentation.md).
public enum SegmentRules {
    public static let highRiskDaysPastDue = Int64(SegmentationPolicy.defaults.highRiskDaysPastDue)
    public static let highRiskNoPaymentDays = Int64(SegmentationPolicy.defaults.noPaymentDays)

    public static func segment(_ inputs: SegmentInputs, now: Instant,
                               policy: SegmentationPolicy = .defaults) -> Segment {
        SegmentAssessor.ruleSegment(facts: inputs.facts(now: now), now: now, policy: policy)
    }

    /// Days from `delinquentSince` to the UTC date of `now`.
    public static func daysPastDue(since: CalendarDate, now: Instant) -> Int64 {
        max(0, now.utcDate.daysSinceEpoch - since.daysSinceEpoch)
    }
}
