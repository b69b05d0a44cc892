/// The compliance policy: per-jurisdiction rule parameters plus the global lists and numbers
/// (`GET/PUT /v1/compliance/policy`). `defaults` is the contract's table of §7.
public struct CompliancePolicy: Sendable, Equatable {
    /// Keyed by ISO 3166 code (`US`, `CN`, `GB`); the wire document also carries `default`.
    public var jurisdictions: [String: JurisdictionProfile]
    /// The profile of every jurisdiction not in `jurisdictions`.
    public var defaultProfile: JurisdictionProfile
    public var prohibitedTerms: [String]
    public var debtTerms: [String]
    public var maxAgentDiscountPercent: Int
    public var graceDays: Int
    public var promiseGraceDays: Int
    public var reminderDaysBeforeDue: [Int]
    public var followupDueDays: Int
    /// The thresholds of the segmentation rules (Docs/segmentation.md).
    public var segmentation: SegmentationPolicy
    /// How each segment is treated; every segment has one (`playbook(for:)`).
    public var playbooks: [Segment: Playbook]

    public init(jurisdictions: [String: JurisdictionProfile], defaultProfile: JurisdictionProfile,
                prohibitedTerms: [String], debtTerms: [String], maxAgentDiscountPercent: Int, graceDays: Int,
                promiseGraceDays: Int, reminderDaysBeforeDue: [Int], followupDueDays: Int,
                segmentation: SegmentationPolicy = .defaults, playbooks: [Segment: Playbook] = Playbook.defaults) {
        self.jurisdictions = jurisdictions
        self.defaultProfile = defaultProfile
        self.prohibitedTerms = prohibitedTerms
        self.debtTerms = debtTerms
        self.maxAgentDiscountPercent = maxAgentDiscountPercent
        self.graceDays = graceDays
        self.promiseGraceDays = promiseGraceDays
        self.reminderDaysBeforeDue = reminderDaysBeforeDue
        self.followupDueDays = followupDueDays
        self.segmentation = segmentation
        self.playbooks = playbooks
    }

    /// The playbook of `segment`; the built-in one if this policy lacks it.
    public func playbook(for segment: Segment) -> Playbook {
        playbooks[segment] ?? Playbook.standard(for: segment)
    }

    /// The profile that governs a case in `jurisdiction`.
    public func profile(for jurisdiction: String) -> JurisdictionProfile {
        jurisdictions[jurisdiction] ?? defaultProfile
    }

    /// The screen for message and template text (`PUT /v1/templates` refuses what it matches).
    public var prohibitedLanguage: ProhibitedLanguage { ProhibitedLanguage(terms: prohibitedTerms) }

    public static let defaults = CompliancePolicy(
        jurisdictions: ["US": .unitedStates, "CN": .china, "GB": .unitedKingdom],
        defaultProfile: .fallback,
        prohibitedTerms: defaultProhibitedTerms,
        debtTerms: defaultDebtTerms,
        maxAgentDiscountPercent: 10, graceDays: 5, promiseGraceDays: 2, reminderDaysBeforeDue: [3, 0],
        followupDueDays: 2)
}
