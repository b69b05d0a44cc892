/// Bulk placement import (contract §13): parse, validate every row with its line number, store the
/// valid ones. Invalid rows are reported and nothing of them is stored; a repeated file creates nothing.
public struct ImportService: Sendable {
    private let store: any ImportStore
    private let ids: IDGenerator
    private let clock: Clock

    public init(store: any ImportStore, ids: IDGenerator, clock: Clock) {
        self.store = store
        self.ids = ids
        self.clock = clock
    }

    public func run(csv: [UInt8], dryRun: Bool, by actor: Actor) throws -> ImportResult {
        try actor.require(.writeDebtorsAndCases)
        let now = clock.now()
        let today = now.utcDate
        var reader = CSVReader(csv)
        guard let header = reader.next() else { throw ValidationFailure("body", "the file is empty; it needs a header row") }
        guard case .fields(_, let names) = header else { throw ValidationFailure("header", "the header row is malformed") }
        let trimmed = names.map { $0.trimmingSpaces.lowercased() }
        var columnIndex: [String: Int] = [:]
        for (offset, name) in trimmed.enumerated() where columnIndex[name] == nil { columnIndex[name] = offset }
        let missing = PlacementColumns.all.filter { columnIndex[$0] == nil }
        guard missing.isEmpty else {
            var failure = ValidationFailure()
            for column in missing { failure.add("header.\(column)", "the column is missing") }
            throw failure
        }
        let positions = PlacementColumns.all.map { columnIndex[$0]! }  // all present, checked above

        var result = ImportResult()
        result.dryRun = dryRun
        result.importID = ids.make("imp")
        var valid: [PlacementRow] = []
        valid.reserveCapacity(csv.count / 140)
        while let record = reader.next() {
            result.rows += 1
            switch record {
            case .malformed(let line, let message):
                result.rejected.append(RejectedRow(line: line, errors: [FieldError("row", "malformed CSV: \(message)")]))
            case .fields(let line, let fields):
                switch Self.validate(fields, positions: positions, line: line, today: today) {
                case .success(let row): valid.append(row)
                case .failure(let failure): result.rejected.append(RejectedRow(line: line, errors: failure.errors))
                }
            }
        }
        let ids = self.ids
        let counts = try store.importRows(
            valid, importID: result.importID, dryRun: dryRun, actor: actor, at: now,
            makeID: { ids.make($0) },
            segment: { row, bankruptcy in
                var inputs = SegmentInputs()
                inputs.bankruptcy = bankruptcy
                inputs.daysPastDue = SegmentRules.daysPastDue(since: row.delinquentSince, now: now)
                return SegmentRules.segment(inputs, now: now)
            })
        result.createdDebtors = counts.createdDebtors
        result.createdCases = counts.createdCases
        result.unchanged = counts.unchanged
        return result
    }

    static func validate(_ fields: [String], positions: [Int], line: Int, today: CalendarDate) -> Result<PlacementRow, ValidationFailure> {
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
        if debtorName.isEmpty { failure.add("debtor_name", "is required") }
        if !phone.isEmpty && !Validators.isE164(phone) { failure.add("phone", "must be an E.164 number") }
        if !email.isEmpty && !Validators.isEmail(email) { failure.add("email", "must be an e-mail address") }
        if !Validators.isTimeZone(timezone) { failure.add("timezone", "must be an IANA time zone") }
        CaseValidation.check(
            creditor: creditor, externalRef: externalRef, currency: currency, principal: principal, interest: interest,
            fees: fees, delinquentSince: delinquent, jurisdiction: jurisdiction, today: today, into: &failure)
        guard failure.isEmpty, let date = CalendarDate(iso: delinquent) else { return .failure(failure) }
        return .success(PlacementRow(
            line: line, creditor: creditor, externalRef: externalRef, debtorExternalRef: debtorRef, debtorName: debtorName,
            phone: phone.isEmpty ? nil : phone, email: email.isEmpty ? nil : email, timezone: timezone,
            jurisdiction: jurisdiction, currency: currency, principalMinor: principal, interestMinor: interest,
            feesMinor: fees, delinquentSince: date))
    }
}
