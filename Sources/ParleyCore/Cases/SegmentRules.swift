/// The default segmentation rules (contract §11), first match wins. Thresholds are documented in
/// Docs/segmentation.md. Inputs are gathered from a case's history and its debtor's restrictions.
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
}

public enum SegmentRules {
    public static let highRiskDaysPastDue: Int64 = 180
    public static let highRiskNoPaymentDays: Int64 = 90

    public static func segment(_ inputs: SegmentInputs, now: Instant) -> Segment {
        let noRecentPayment = inputs.lastPaymentAt.map { now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch > highRiskNoPaymentDays * 86_400_000 } ?? true
        if inputs.bankruptcy || (inputs.daysPastDue > highRiskDaysPastDue && noRecentPayment) || inputs.brokenPromisesOrPlansIn180Days >= 2 {
            return .high_risk
        }
        if inputs.refusedOutcomeIn60Days || inputs.rejectedDisputeIn60Days { return .resistant }
        if inputs.paymentIn30Days || inputs.keptPromise || inputs.activePlanInGoodStanding || inputs.debtorInitiatedContactIn30Days {
            return .high_willingness
        }
        return .wait_and_see
    }

    /// Days from `delinquentSince` to the UTC date of `now`.
    public static func daysPastDue(since: CalendarDate, now: Instant) -> Int64 {
        max(0, now.utcDate.daysSinceEpoch - since.daysSinceEpoch)
    }
}
