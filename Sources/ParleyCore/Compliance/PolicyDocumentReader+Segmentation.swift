/// The `segmentation` and `playbooks` sections of the policy document. As everywhere in the
/// document, an absent key keeps the value it is read over and every bad field is named by path
/// (`playbooks.resistant.offers.max_installment_months`).
extension PolicyDocumentReader {
    static let segmentationKeys = ["high_risk_days_past_due", "no_payment_days", "broken_window_days", "broken_count",
                                   "resistant_window_days", "willingness_window_days", "kept_promise_window_days"]
    static let playbookKeys = ["offers", "contact_cadence", "tone", "escalation_teams", "recommended_actions"]
    static let offerKeys = ["max_installment_months", "max_waiver_percent", "max_fee_waiver_percent"]
    static let cadenceKeys = ["contact_every_days", "max_attempts_per_week"]
    static let maxActions = 20
    static let maxActionLength = 300

    mutating func segmentation(_ value: JSONValue, at path: String, over base: SegmentationPolicy) -> SegmentationPolicy? {
        guard let members = object(value, at: path, keys: Self.segmentationKeys) else { return nil }
        let errorsBefore = failure.errors.count
        var policy = base
        // Ten years of arrears is the most any placement file carries.
        int(members["high_risk_days_past_due"], at: path + ".high_risk_days_past_due", in: 0...3_650,
            into: &policy.highRiskDaysPastDue)
        int(members["no_payment_days"], at: path + ".no_payment_days", in: Self.dayRange, into: &policy.noPaymentDays)
        int(members["broken_window_days"], at: path + ".broken_window_days", in: Self.dayRange,
            into: &policy.brokenWindowDays)
        int(members["broken_count"], at: path + ".broken_count", in: 1...100, into: &policy.brokenCount)
        int(members["resistant_window_days"], at: path + ".resistant_window_days", in: Self.dayRange,
            into: &policy.resistantWindowDays)
        int(members["willingness_window_days"], at: path + ".willingness_window_days", in: Self.dayRange,
            into: &policy.willingnessWindowDays)
        optionalInt(members["kept_promise_window_days"], at: path + ".kept_promise_window_days", in: Self.dayRange,
                    into: &policy.keptPromiseWindowDays)
        return failure.errors.count == errorsBefore ? policy : nil
    }

    /// The playbooks, keyed by segment; a segment the document leaves out keeps its playbook.
    mutating func playbooks(_ value: JSONValue, at path: String, over base: CompliancePolicy) -> [Segment: Playbook]? {
        guard let members = object(value, at: path, keys: nil) else { return nil }
        let errorsBefore = failure.errors.count
        var playbooks = Dictionary(uniqueKeysWithValues: Segment.allCases.map { ($0, base.playbook(for: $0)) })
        for (name, document) in members {
            let playbookPath = Self.join(path, name)
            guard let segment = Segment(rawValue: name) else {
                failure.add(playbookPath, "is not a segment: " + Segment.allCases.map(\.rawValue).joined(separator: ", "))
                continue
            }
            if let playbook = playbook(document, at: playbookPath, over: base.playbook(for: segment)) {
                playbooks[segment] = playbook
            }
        }
        return failure.errors.count == errorsBefore ? playbooks : nil
    }

    private mutating func playbook(_ value: JSONValue, at path: String, over base: Playbook) -> Playbook? {
        guard let members = object(value, at: path, keys: Self.playbookKeys) else { return nil }
        let errorsBefore = failure.errors.count
        var playbook = base
        if let offers = members["offers"], let fields = object(offers, at: path + ".offers", keys: Self.offerKeys) {
            let offersPath = path + ".offers"
            int(fields["max_installment_months"], at: offersPath + ".max_installment_months", in: 1...120,
                into: &playbook.offers.maxInstallmentMonths)
            int(fields["max_waiver_percent"], at: offersPath + ".max_waiver_percent", in: 0...100,
                into: &playbook.offers.maxWaiverPercent)
            int(fields["max_fee_waiver_percent"], at: offersPath + ".max_fee_waiver_percent", in: 0...100,
                into: &playbook.offers.maxFeeWaiverPercent)
        }
        if let cadence = members["contact_cadence"],
           let fields = object(cadence, at: path + ".contact_cadence", keys: Self.cadenceKeys) {
            let cadencePath = path + ".contact_cadence"
            int(fields["contact_every_days"], at: cadencePath + ".contact_every_days", in: Self.dayRange,
                into: &playbook.contactCadence.contactEveryDays)
            int(fields["max_attempts_per_week"], at: cadencePath + ".max_attempts_per_week", in: 0...50,
                into: &playbook.contactCadence.maxAttemptsPerWeek)
        }
        if let tone = members["tone"] {
            if let name = tone.string, let known = PlaybookTone(rawValue: name) {
                playbook.tone = known
            } else {
                refuseText(tone, at: path + ".tone", "must be one of " + PlaybookTone.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        if let teams = members["escalation_teams"], let read = self.teams(teams, at: path + ".escalation_teams") {
            playbook.escalationTeams = read
        }
        if let actions = members["recommended_actions"], let read = self.actions(actions, at: path + ".recommended_actions") {
            playbook.recommendedActions = read
        }
        return failure.errors.count == errorsBefore ? playbook : nil
    }

    private mutating func teams(_ value: JSONValue, at path: String) -> [PlaybookTeam]? {
        let names = PlaybookTeam.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .array(let items) = value else {
            mistyped(value, at: path, "must be an array of team names: \(names)")
            return nil
        }
        let errorsBefore = failure.errors.count
        var teams: [PlaybookTeam] = []
        for (index, item) in items.enumerated() {
            guard let team = item.string.flatMap(PlaybookTeam.init(rawValue:)) else {
                refuseText(item, at: "\(path)[\(index)]", "must be one of \(names)")
                continue
            }
            if teams.contains(team) { failure.add("\(path)[\(index)]", "repeats \(team.rawValue)") }
            teams.append(team)
        }
        return failure.errors.count == errorsBefore ? teams : nil
    }

    /// One to `maxActions` sentences, each with a character that is not white space; stored trimmed.
    private mutating func actions(_ value: JSONValue, at path: String) -> [String]? {
        guard case .array(let items) = value, (1...Self.maxActions).contains(items.count) else {
            let message = "must be an array of 1 to \(Self.maxActions) strings"
            if case .array = value { failure.add(path, message) } else { mistyped(value, at: path, message) }
            return nil
        }
        let errorsBefore = failure.errors.count
        var actions: [String] = []
        for (index, item) in items.enumerated() {
            let text = item.string?.trimmingSpaces ?? ""
            if text.isEmpty || text.unicodeScalars.count > Self.maxActionLength {
                refuseText(item, at: "\(path)[\(index)]", "must be a string that is not blank, at most \(Self.maxActionLength) characters")
                continue
            }
            actions.append(text)
        }
        return failure.errors.count == errorsBefore ? actions : nil
    }
}
