import ParleyCore
import ParleySQLite

/// Reading and writing case rows; the one place their columns are listed.
enum CaseRows {
    static let columns: SQL = """
        c.id, c.debtor_id, c.creditor, c.external_ref, c.currency, c.principal_minor, c.interest_minor, c.fees_minor,
        c.paid_fees_minor, c.paid_interest_minor, c.paid_principal_minor, c.waived_fees_minor, c.waived_interest_minor,
        c.waived_principal_minor, c.delinquent_since, c.jurisdiction, c.assigned_to, c.team, c.priority, c.tags, c.status,
        c.status_before, c.close_reason, c.segment, c.segment_override, c.version, c.created_at, c.updated_at
        """
    /// How many columns `columns` has, for queries that select more after them.
    static let count: Int32 = 28

    static func read(_ row: Row) throws -> DebtCase {
        var ledger = LedgerTotals()
        ledger.paidFees = row.int(8)
        ledger.paidInterest = row.int(9)
        ledger.paidPrincipal = row.int(10)
        ledger.waivedFees = row.int(11)
        ledger.waivedInterest = row.int(12)
        ledger.waivedPrincipal = row.int(13)
        return try DebtCase(
            id: row.identifier(0), debtorID: row.identifier(1), creditor: row.string(2), externalRef: row.string(3), currency: row.string(4),
            balance: Balance(principalMinor: row.int(5), interestMinor: row.int(6), feesMinor: row.int(7), ledger: ledger),
            delinquentSince: row.date(14), jurisdiction: row.string(15),
            assignedTo: row.stringOrNil(16), team: row.stringOrNil(17), priority: row.value(18, as: Priority.self),
            tags: decodeTags(row, 19), status: row.value(20, as: CaseStatus.self),
            statusBefore: row.valueOrNil(21, as: CaseStatus.self),
            closeReason: row.valueOrNil(22, as: CloseReason.self),
            segment: row.value(23, as: Segment.self),
            segmentOverride: row.valueOrNil(24, as: Segment.self), version: row.int(25),
            createdAt: Instant(millisecondsSinceEpoch: row.int(26)), updatedAt: Instant(millisecondsSinceEpoch: row.int(27)))
    }

    static func decodeTags(_ row: Row, _ column: Int32) throws -> [String] {
        if row.textEquals(column, "[]") { return [] }
        guard case .array(let values) = try row.json(column) else { throw CorruptDataError("tags are not a JSON array") }
        return try values.map { value in
            guard let tag = value.string else { throw CorruptDataError("a tag is not a string") }
            return tag
        }
    }

    static func encodeTags(_ tags: [String]) -> String { JSONValue.array(tags.map(JSONValue.string)).compact }

    static func insert(_ c: DebtCase, source: String?, createdBy: String, _ db: Connection) throws {
        try db.run("""
            INSERT INTO debt_case (id, debtor_id, creditor, external_ref, currency, principal_minor, interest_minor, fees_minor,
                delinquent_since, jurisdiction, assigned_to, team, priority, tags, status, segment, source, created_by, version,
                created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [c.id, c.debtorID, c.creditor, c.externalRef, c.currency, c.balance.principalMinor, c.balance.interestMinor,
             c.balance.feesMinor, c.delinquentSince.description, c.jurisdiction, c.assignedTo, c.team, c.priority.rawValue,
             encodeTags(c.tags), c.status.rawValue, c.segment.rawValue, source, createdBy, c.version,
             c.createdAt.millisecondsSinceEpoch, c.updatedAt.millisecondsSinceEpoch])
        try AnalyticsCasePlacement.add([c], db)
    }

    static func appendEvent(_ event: TimelineEvent, caseID: CaseID, _ db: Connection) throws {
        try db.run("INSERT INTO case_event (case_id, at, kind, actor, summary, ref) VALUES (?, ?, ?, ?, ?, ?)",
                   [caseID, event.at.millisecondsSinceEpoch, event.kind.rawValue, event.actor, event.summary, event.ref])
    }
}
