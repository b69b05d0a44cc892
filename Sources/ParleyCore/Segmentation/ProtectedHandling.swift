/// When outreach on a case must stop or pass to a specialist, whatever its segment: an open
/// dispute or an active debtor restriction. The actions are fixed in code, not in the policy, so
/// no policy change can make a protected case's advice push harder.
public enum ProtectedHandling {
    /// The reasons a case is protected, in the contract's order: `open_dispute`,
    /// `cease_communication`, `attorney_represented`, `bankruptcy`, `deceased`, `breathing_space`
    /// (only while its date has not begun in the debtor's zone), `vulnerable`.
    public static func reasons(_ facts: SegmentFacts, now: Instant) -> [String] {
        let debtorToday = LocalTime.localDate(of: now, in: LocalTime.zone(named: facts.debtorTimeZone))
        return (facts.openDispute ? [openDispute] : []) + facts.restrictions.activeReasons(today: debtorToday)
    }

    public static let openDispute = "open_dispute"

    /// What to do instead of the playbook: the common steps, then one step per reason.
    public static func actions(for reasons: [String]) -> [String] {
        common + reasons.compactMap { step[$0] }
    }

    static let common = [
        "Stop collection outreach: no calls, messages, letters or visits about the debt",
        "Hand the case to a specialist, who reviews it before anyone makes contact",
        "Make no offer, demand, escalation or legal step while the case is protected",
    ]

    static let step: [String: String] = [
        openDispute: "Resolve the open dispute before any collection contact",
        "cease_communication": "Honour the request to cease: write only to confirm it or where the law requires",
        "attorney_represented": "Direct any communication to the debtor's attorney, not the debtor",
        "bankruptcy": "Refer the case to the bankruptcy specialist; collection is on hold",
        "deceased": "Refer the case to the estates specialist; deal only with the estate's representative",
        "breathing_space": "Hold all outreach until the breathing space ends",
        "vulnerable": "Handle only through a specialist trained in vulnerability; offer support and time",
    ]
}
