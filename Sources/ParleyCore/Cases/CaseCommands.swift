public struct NewCase: Sendable {
    public var debtorID: DebtorID
    public var creditor: String
    public var externalRef: String
    public var currency: String
    public var principalMinor: Int64
    public var interestMinor: Int64
    public var feesMinor: Int64
    public var delinquentSince: String
    public var jurisdiction: String
    public var assignedTo: String?
    public var team: String?
    public var priority: Priority
    public var tags: [String]

    public init(debtorID: DebtorID, creditor: String, externalRef: String, currency: String, principalMinor: Int64,
                interestMinor: Int64, feesMinor: Int64, delinquentSince: String, jurisdiction: String, assignedTo: String?,
                team: String?, priority: Priority = .normal, tags: [String] = []) {
        self.debtorID = debtorID
        self.creditor = creditor
        self.externalRef = externalRef
        self.currency = currency
        self.principalMinor = principalMinor
        self.interestMinor = interestMinor
        self.feesMinor = feesMinor
        self.delinquentSince = delinquentSince
        self.jurisdiction = jurisdiction
        self.assignedTo = assignedTo
        self.team = team
        self.priority = priority
        self.tags = tags
    }
}

/// A partial change of a case; nil leaves a field alone, `.some(nil)` clears it.
public struct CaseChanges: Sendable {
    public var assignedTo: String??
    public var team: String??
    public var priority: Priority?
    public var tags: [String]?
    public var segmentOverride: Segment??
    public init(assignedTo: String?? = nil, team: String?? = nil, priority: Priority? = nil, tags: [String]? = nil,
                segmentOverride: Segment?? = nil) {
        self.assignedTo = assignedTo
        self.team = team
        self.priority = priority
        self.tags = tags
        self.segmentOverride = segmentOverride
    }
}

/// Field checks shared by case creation and the import, so both say the same thing.
public enum CaseValidation {
    public static func check(creditor: String, externalRef: String, currency: String, principal: Int64, interest: Int64,
                             fees: Int64, delinquentSince: String, jurisdiction: String, today: CalendarDate,
                             into failure: inout ValidationFailure) {
        if creditor.trimmingSpaces.isEmpty { failure.add("creditor", "is required") }
        if creditor.unicodeScalars.count > 200 { failure.add("creditor", "must be at most 200 characters") }
        if externalRef.trimmingSpaces.isEmpty { failure.add("external_ref", "is required") }
        if externalRef.unicodeScalars.count > 100 { failure.add("external_ref", "must be at most 100 characters") }
        if Validators.hasControlCharacters(creditor) { failure.add("creditor", "must not contain control characters") }
        if Validators.hasControlCharacters(externalRef) { failure.add("external_ref", "must not contain control characters") }
        if !Validators.isCurrency(currency) { failure.add("currency", "must be an ISO 4217 code such as CNY or USD") }
        if principal < 0 { failure.add("principal_minor", "must not be negative") }
        if interest < 0 { failure.add("interest_minor", "must not be negative") }
        if fees < 0 { failure.add("fees_minor", "must not be negative") }
        let (sum1, o1) = principal.addingReportingOverflow(interest)
        let (sum2, o2) = sum1.addingReportingOverflow(fees)
        if o1 || o2 || sum2 > 1_000_000_000_000_000 { failure.add("principal_minor", "the amounts are too large") }
        else if principal >= 0 && interest >= 0 && fees >= 0 && sum2 == 0 {
            failure.add("principal_minor", "principal, interest and fees must not all be zero")
        }
        if let date = CalendarDate(iso: delinquentSince) {
            if today < date { failure.add("delinquent_since", "must not be in the future") }
        } else {
            failure.add("delinquent_since", "must be a date YYYY-MM-DD")
        }
        if !Validators.isCountryCode(jurisdiction) { failure.add("jurisdiction", "must be an ISO 3166 country code such as CN or US") }
    }
}
