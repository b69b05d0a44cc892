/// Everything the segmentation rules and the protection check read about one case, gathered by
/// the store from the case's history and its debtor's record as of the assessment.
///
/// Events are given as instants, not as "in the last N days" flags, so the windows live in one
/// place (`SegmentationPolicy`) and the store needs no thresholds. Instants after `now` (a clock a
/// little ahead) count as recent.
public struct SegmentFacts: Sendable, Equatable {
    /// The debtor's restrictions; bankruptcy feeds `high_risk`, every active one protects the case.
    public var restrictions: Restrictions
    /// The debtor's IANA zone: a breathing space lasts until its date begins there.
    public var debtorTimeZone: String
    /// The case has a dispute that is still `open`.
    public var openDispute: Bool
    /// The case has a complaint that is still open. It only ever softens (Docs/segmentation.md).
    public var openComplaint: Bool
    /// Whole days from `delinquent_since` to today (`SegmentRules.daysPastDue`).
    public var daysPastDue: Int64
    /// The latest payment that still stands (reversed payments are left out).
    public var lastPaymentAt: Instant?
    /// When each promise and each plan of the case broke; the rules count those in the window.
    public var brokenCommitmentsAt: [Instant]
    /// The latest communication with outcome `refused`.
    public var latestRefusalAt: Instant?
    /// When the latest `rejected` dispute was resolved.
    public var latestRejectedDisputeAt: Instant?
    /// When the latest kept promise was kept.
    public var latestKeptPromiseAt: Instant?
    /// An `active` plan of the case has no missed instalment.
    public var activePlanInGoodStanding: Bool
    /// The latest contact the debtor started: an inbound communication from the debtor, not from a
    /// third party.
    public var latestDebtorInboundAt: Instant?

    public init(restrictions: Restrictions = Restrictions(), debtorTimeZone: String = "UTC", openDispute: Bool = false,
                openComplaint: Bool = false, daysPastDue: Int64 = 0, lastPaymentAt: Instant? = nil,
                brokenCommitmentsAt: [Instant] = [], latestRefusalAt: Instant? = nil,
                latestRejectedDisputeAt: Instant? = nil, latestKeptPromiseAt: Instant? = nil,
                activePlanInGoodStanding: Bool = false, latestDebtorInboundAt: Instant? = nil) {
        self.restrictions = restrictions
        self.debtorTimeZone = debtorTimeZone
        self.openDispute = openDispute
        self.openComplaint = openComplaint
        self.daysPastDue = daysPastDue
        self.lastPaymentAt = lastPaymentAt
        self.brokenCommitmentsAt = brokenCommitmentsAt
        self.latestRefusalAt = latestRefusalAt
        self.latestRejectedDisputeAt = latestRejectedDisputeAt
        self.latestKeptPromiseAt = latestKeptPromiseAt
        self.activePlanInGoodStanding = activePlanInGoodStanding
        self.latestDebtorInboundAt = latestDebtorInboundAt
    }
}
