/// The per-row rules of a placement file; the same field checks as creating a case by hand.
enum PlacementValidation {
    /// `zones` remembers the answers for time zones already seen in this file (a file has a handful).
    static func validate(_ fields: [String], positions: [Int], line: Int, today: CalendarDate,
                         zones: inout [String: Bool]) -> Result<PlacementRow, ValidationFailure> {
        func field(_ index: Int) -> String {
            let position = positions[index]
            return position < fields.count ? fields[position].trimmingSpaces : ""
        }
        var failure = ValidationFailure()
        let creditor = field(0), externalRef = field(1), debtorRef = field(2), debtorName = field(3)
        let phone = field(4), email = field(5), timezone = field(6), jurisdiction = field(7), currency = field(8)
        func amount(_ index: Int, _ name: String, required: Bool) -> Int64 {
            let text = field(index)
            if text.isEmpty {
                if required { failure.add(name, "is required") }
                return 0
            }
            guard let value = Int64(text) else {
                failure.add(name, "must be a whole number of minor units")
                return 0
            }
            return value
        }
        let principal = amount(9, "principal_minor", required: true)
        let interest = amount(10, "interest_minor", required: false)
        let fees = amount(11, "fees_minor", required: false)
        let delinquent = field(12)
        if debtorRef.isEmpty { failure.add("debtor_external_ref", "is required") }
        if Validators.hasControlCharacters(debtorRef) { failure.add("debtor_external_ref", "must not contain control characters") }
        if debtorName.isEmpty { failure.add("debtor_name", "is required") }
        if Validators.hasControlCharacters(debtorName) { failure.add("debtor_name", "must not contain control characters") }
        if !phone.isEmpty && !Validators.isE164(phone) { failure.add("phone", "must be an E.164 number") }
        if !email.isEmpty && !Validators.isEmail(email) { failure.add("email", "must be an e-mail address") }
        let zoneIsValid: Bool
        if let known = zones[timezone] { zoneIsValid = known } else {
            zoneIsValid = Validators.isTimeZone(timezone)
            zones[timezone] = zoneIsValid
        }
        // An empty cell is "is required", and only that: one problem per field.
        for (name, value) in [("timezone", timezone), ("jurisdiction", jurisdiction), ("currency", currency),
                              ("delinquent_since", delinquent)] where value.isEmpty {
            failure.add(name, "is required")
        }
        if !zoneIsValid && !timezone.isEmpty { failure.add("timezone", "must be an IANA time zone") }
        var caseFailure = ValidationFailure()
        CaseValidation.check(
            creditor: creditor, externalRef: externalRef, currency: currency, principal: principal, interest: interest,
            fees: fees, delinquentSince: delinquent, jurisdiction: jurisdiction, today: today, into: &caseFailure)
        failure.mergeNewFields(caseFailure)
        guard failure.isEmpty, let date = CalendarDate(iso: delinquent) else { return .failure(failure) }
        return .success(PlacementRow(
            line: line, creditor: creditor, externalRef: externalRef, debtorExternalRef: debtorRef, debtorName: debtorName,
            phone: phone.isEmpty ? nil : phone, email: email.isEmpty ? nil : email, timezone: timezone,
            jurisdiction: jurisdiction, currency: currency, principalMinor: principal, interestMinor: interest,
            feesMinor: fees, delinquentSince: date))
    }
}
