/// How the agency treats the cases of one segment (`GET /v1/playbooks`, the `playbooks` section of
/// the policy document). A playbook is guidance inside the law: the compliance rules (contact
/// hours, frequency limits, restrictions) and the money rules (approval beyond
/// `max_agent_discount_percent`) still apply to everything it suggests.
public struct Playbook: Sendable, Equatable {
    public var offers: PlaybookOffers
    public var contactCadence: ContactCadence
    public var tone: PlaybookTone
    /// The teams that work the case together with its agent; empty when the agent handles it alone.
    public var escalationTeams: [PlaybookTeam]
    /// What the assessment recommends for a case of this segment that is not protected.
    public var recommendedActions: [String]

    public init(offers: PlaybookOffers, contactCadence: ContactCadence, tone: PlaybookTone,
                escalationTeams: [PlaybookTeam], recommendedActions: [String]) {
        self.offers = offers
        self.contactCadence = contactCadence
        self.tone = tone
        self.escalationTeams = escalationTeams
        self.recommendedActions = recommendedActions
    }
}

/// The most an agent may offer a case of the segment without leaving its playbook.
public struct PlaybookOffers: Sendable, Equatable {
    /// The longest instalment plan, in months.
    public var maxInstallmentMonths: Int
    /// The largest waiver of the balance (a settlement discount), in percent of the balance.
    public var maxWaiverPercent: Int
    /// The largest waiver of late fees, in percent of the fees.
    public var maxFeeWaiverPercent: Int

    public init(maxInstallmentMonths: Int, maxWaiverPercent: Int, maxFeeWaiverPercent: Int) {
        self.maxInstallmentMonths = maxInstallmentMonths
        self.maxWaiverPercent = maxWaiverPercent
        self.maxFeeWaiverPercent = maxFeeWaiverPercent
    }
}

/// How often to reach out: a target inside the jurisdiction's legal limits, never beyond them.
public struct ContactCadence: Sendable, Equatable {
    /// Days between proactive contacts.
    public var contactEveryDays: Int
    /// Outbound attempts per week at most (0: no proactive attempts).
    public var maxAttemptsPerWeek: Int

    public init(contactEveryDays: Int, maxAttemptsPerWeek: Int) {
        self.contactEveryDays = contactEveryDays
        self.maxAttemptsPerWeek = maxAttemptsPerWeek
    }
}

public enum PlaybookTone: String, Sendable, CaseIterable {
    case friendly, encouraging, calm, formal
}

/// The teams a playbook may bring in, as the policy document spells them.
public enum PlaybookTeam: String, Sendable, CaseIterable {
    case collection, supervisors, compliance, legal, analytics
}
