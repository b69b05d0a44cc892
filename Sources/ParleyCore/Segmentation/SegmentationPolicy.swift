/// The thresholds of the default segmentation rules (contract §11), the `segmentation` section of
/// the policy document. Every window is "in the last N days", inclusive: an event exactly N×24
/// hours before the assessment is still inside.
public struct SegmentationPolicy: Sendable, Equatable {
    /// `high_risk` when days past due are strictly more than this…
    public var highRiskDaysPastDue: Int
    /// …and no payment came in this many days.
    public var noPaymentDays: Int
    /// `high_risk` when at least `brokenCount` promises or plans broke in this window.
    public var brokenWindowDays: Int
    public var brokenCount: Int
    /// `resistant` when a refusal or a rejected dispute falls in this window.
    public var resistantWindowDays: Int
    /// `high_willingness` when a payment or a debtor-started contact falls in this window.
    public var willingnessWindowDays: Int
    /// How recent a kept promise must be to show willingness; nil (the default) takes any kept
    /// promise, as the contract words the rule.
    public var keptPromiseWindowDays: Int?

    public init(highRiskDaysPastDue: Int, noPaymentDays: Int, brokenWindowDays: Int, brokenCount: Int,
                resistantWindowDays: Int, willingnessWindowDays: Int, keptPromiseWindowDays: Int? = nil) {
        self.highRiskDaysPastDue = highRiskDaysPastDue
        self.noPaymentDays = noPaymentDays
        self.brokenWindowDays = brokenWindowDays
        self.brokenCount = brokenCount
        self.resistantWindowDays = resistantWindowDays
        self.willingnessWindowDays = willingnessWindowDays
        self.keptPromiseWindowDays = keptPromiseWindowDays
    }

    public static let defaults = SegmentationPolicy(
        highRiskDaysPastDue: 180, noPaymentDays: 90, brokenWindowDays: 180, brokenCount: 2, resistantWindowDays: 60,
        willingnessWindowDays: 30, keptPromiseWindowDays: nil)

    /// Whether `event` lies in the last `days` days before `now` (inclusive; later events count).
    public static func isWithin(days: Int, of now: Instant, _ event: Instant?) -> Bool {
        guard let event else { return false }
        return now.millisecondsSinceEpoch - event.millisecondsSinceEpoch <= Int64(days) * 86_400_000
    }
}
