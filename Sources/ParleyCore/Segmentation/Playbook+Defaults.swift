/// The built-in playbooks: an agency that treats debtors well. The action texts carry no numbers
/// so they stay true when the offers and cadence are changed in the policy.
extension Playbook {
    /// The built-in playbook of every segment.
    public static let defaults: [Segment: Playbook] = Dictionary(
        uniqueKeysWithValues: Segment.allCases.map { ($0, standard(for: $0)) })

    /// The built-in playbook of `segment`.
    public static func standard(for segment: Segment) -> Playbook {
        switch segment {
        case .high_willingness:
            Playbook(
                offers: PlaybookOffers(maxInstallmentMonths: 12, maxWaiverPercent: 0, maxFeeWaiverPercent: 0),
                contactCadence: ContactCadence(contactEveryDays: 14, maxAttemptsPerWeek: 2), tone: .friendly,
                escalationTeams: [],
                recommendedActions: [
                    "Thank the debtor and confirm what was agreed",
                    "Offer a flexible instalment plan within the playbook's limits",
                    "Send a reminder before each due date",
                    "Let the debtor choose the channel and the time that suit them",
                ])
        case .wait_and_see:
            Playbook(
                offers: PlaybookOffers(maxInstallmentMonths: 6, maxWaiverPercent: 5, maxFeeWaiverPercent: 100),
                contactCadence: ContactCadence(contactEveryDays: 7, maxAttemptsPerWeek: 2), tone: .encouraging,
                escalationTeams: [],
                recommendedActions: [
                    "Check in gently through the debtor's preferred channel",
                    "Offer a small incentive within the playbook's limits: waive late fees or a small discount",
                    "Explain the options: pay in full, pay by instalments, or pick a date to pay",
                    "Send a reminder before any promised payment date",
                ])
        case .resistant:
            Playbook(
                offers: PlaybookOffers(maxInstallmentMonths: 6, maxWaiverPercent: 0, maxFeeWaiverPercent: 50),
                contactCadence: ContactCadence(contactEveryDays: 14, maxAttemptsPerWeek: 1), tone: .calm,
                escalationTeams: [.supervisors],
                recommendedActions: [
                    "Keep every contact calm and factual, and document each conversation",
                    "Explain how to raise a dispute and offer to open one",
                    "Make fewer attempts and do not repeat a refused contact before the cadence allows",
                    "Ask a supervisor to review the case and the approach",
                ])
        case .high_risk:
            Playbook(
                offers: PlaybookOffers(maxInstallmentMonths: 6, maxWaiverPercent: 10, maxFeeWaiverPercent: 100),
                contactCadence: ContactCadence(contactEveryDays: 14, maxAttemptsPerWeek: 1), tone: .formal,
                escalationTeams: [.collection, .legal, .analytics],
                recommendedActions: [
                    "Review the case together with the collection, legal and analytics teams",
                    "Verify the debt, the debtor's circumstances and every restriction before acting",
                    "Offer a settlement or a plan within the playbook's limits before any other step",
                    "Have a specialist review the file before any legal step",
                ])
        }
    }
}
