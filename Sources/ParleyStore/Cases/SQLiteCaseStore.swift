import ParleyCore
import ParleySQLite

/// Cases, disputes and the case timeline. Invariants: `(creditor, external_ref)` is unique; a case
/// change is saved only over the version it was read at, together with its dispute, audit entries
/// and timeline events; the ledger totals never exceed the placed amounts (CHECK).
public struct SQLiteCaseStore: CaseStore {
    let database: DatabasePool

    public init(database: DatabasePool) { self.database = database }

    public func insert(_ debtCase: DebtCase, audit: AuditRecord, actor: Principal) throws {
        do {
            try database.write { db in
                try CaseRows.insert(debtCase, source: nil, createdBy: actor.userID, db)
                try AuditLog.append(audit, actor: actor, at: debtCase.createdAt, in: db)
            }
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw DomainError.conflict("creditor \(debtCase.creditor) already placed a case with external_ref \(debtCase.externalRef)")
        }
    }

    public func debtCase(id: CaseID) throws -> DebtCase? {
        try database.read { db in try db.queryFirst(Self.caseByID, [id], CaseRows.read) }
    }

    // Statements composed from the column lists once, not on every call (hot reads).
    static let caseByID: SQL = ("SELECT" + CaseRows.columns + "FROM debt_case c WHERE c.id = ?").kept
    static let caseWithDebtorSummary: SQL = ("SELECT" + CaseRows.columns + """
        , d.id, d.name, d.timezone, d.cease_communication, d.attorney_represented, d.attorney, d.bankruptcy,
        d.deceased, d.vulnerable, d.breathing_space_until
        FROM debt_case c JOIN debtor d ON d.id = c.debtor_id WHERE c.id = ?
        """).kept
    static let caseAndDebtor: SQL = ("SELECT" + CaseRows.columns + "," + DebtorRows.columns
        + "FROM debt_case c JOIN debtor d ON d.id = c.debtor_id WHERE c.id = ?").kept

    public func debtCaseWithDebtor(id: CaseID) throws -> (DebtCase, DebtorSummary)? {
        try database.readOneStatement { db in
            try db.queryFirst(Self.caseWithDebtorSummary, [id]) { row in
                let base = CaseRows.count
                return try (CaseRows.read(row), DebtorSummary(
                    id: row.identifier(base), name: row.string(base + 1), timezone: row.string(base + 2),
                    restrictions: DebtorRows.restrictions(row, from: base + 3)))
            }
        }
    }

    public func debtCaseAndDebtor(id: CaseID) throws -> (DebtCase, Debtor)? {
        try database.read { db in
            try db.queryFirst(Self.caseAndDebtor, [id]) { row in
                try (CaseRows.read(row), DebtorRows.read(row.columns(from: CaseRows.count)))
            }
        }
    }

    public func cases(_ filter: CaseFilter, scope: CaseScope, page: PageRequest) throws -> Page<DebtCase> {
        var (sql, arguments) = Self.filtered(filter, scope: scope)
        sql = sql + "AND c.id > ? ORDER BY c.id LIMIT ?"
        arguments += [page.after ?? "", page.limit + 1]
        let rows = try database.readOneStatement { db in try db.query(sql, arguments, CaseRows.read) }
        return Page(fetched: rows, limit: page.limit) { $0.id }
    }

    /// The filtered SELECT, built from literal fragments only, so each combination of filters is
    /// its own prepared statement that can use the matching index.
    static func filtered(_ filter: CaseFilter, scope: CaseScope, extraColumns: SQL? = nil) -> (SQL, [any SQLBindable]) {
        var sql: SQL = "SELECT" + CaseRows.columns
        if let extraColumns { sql = sql + "," + extraColumns }
        sql = sql + "FROM debt_case c"
        if extraColumns != nil { sql = sql + "JOIN debtor d ON d.id = c.debtor_id" }
        sql = sql + "WHERE 1 = 1"
        var arguments: [any SQLBindable] = []
        if let status = filter.status { sql = sql + Self.statusCondition(status) }
        if let segment = filter.segment {
            sql = sql + "AND coalesce(c.segment_override, c.segment) = ?"
            arguments.append(segment.rawValue)
        }
        if let assignee = filter.assignedTo { sql = sql + "AND c.assigned_to = ?"; arguments.append(assignee) }
        if let debtorID = filter.debtorID { sql = sql + "AND c.debtor_id = ?"; arguments.append(debtorID) }
        if let team = filter.team { sql = sql + "AND c.team = ?"; arguments.append(team) }
        if case .own(let userID, let team) = scope {
            sql = sql + "AND (c.assigned_to = ? OR c.team = ?)"
            arguments += [userID, team]
        }
        return (sql, arguments)
    }

    /// The status as a literal (statuses are a closed set), so the partial status index can be used;
    /// the redundant `<> 'open'` is the index's own condition, which SQLite needs to see verbatim.
    static func statusCondition(_ status: CaseStatus) -> SQL {
        switch status {
        case .open: "AND c.status = 'open'"
        case .contacted: "AND c.status = 'contacted' AND c.status <> 'open'"
        case .promise: "AND c.status = 'promise' AND c.status <> 'open'"
        case .plan: "AND c.status = 'plan' AND c.status <> 'open'"
        case .disputed: "AND c.status = 'disputed' AND c.status <> 'open'"
        case .legal: "AND c.status = 'legal' AND c.status <> 'open'"
        case .paid: "AND c.status = 'paid' AND c.status <> 'open'"
        case .closed: "AND c.status = 'closed' AND c.status <> 'open'"
        }
    }

    public func apply(_ mutation: CaseMutation, actor: Principal) throws {
        let c = mutation.debtCase
        try database.write { db in
            let changed = try db.run("""
                UPDATE debt_case SET assigned_to = ?, team = ?, priority = ?, tags = ?, status = ?, status_before = ?,
                    close_reason = ?, segment = ?, segment_override = ?, version = ?, updated_at = ?
                WHERE id = ? AND version = ?
                """,
                [c.assignedTo, c.team, c.priority.rawValue, CaseRows.encodeTags(c.tags), c.status.rawValue,
                 c.statusBefore?.rawValue, c.closeReason?.rawValue, c.segment.rawValue, c.segmentOverride?.rawValue,
                 c.version, c.updatedAt.millisecondsSinceEpoch, c.id, mutation.expectedVersion])
            guard changed == 1 else { throw DomainError.preconditionFailed("case \(c.id) was changed meanwhile; read it again") }
            if let dispute = mutation.insertDispute {
                try db.run("""
                    INSERT INTO dispute (id, case_id, reason, status, note, opened_by, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [dispute.id, dispute.caseID, dispute.reason, dispute.status.rawValue, dispute.note, dispute.openedBy,
                          dispute.openedAt.millisecondsSinceEpoch])
            }
            if let dispute = mutation.updateDispute {
                try db.run("UPDATE dispute SET status = ?, note = ?, resolved_by = ?, resolved_at = ? WHERE id = ? AND status = 'open'",
                           [dispute.status.rawValue, dispute.note, dispute.resolvedBy, dispute.resolvedAt?.millisecondsSinceEpoch, dispute.id])
            }
            for record in mutation.audit { try AuditLog.append(record, actor: actor, at: c.updatedAt, in: db) }
            for event in mutation.events { try CaseRows.appendEvent(event, caseID: c.id, db) }
        }
    }

    public func disputes(caseID: CaseID) throws -> [Dispute] {
        try database.read { db in
            try db.query("""
                SELECT id, case_id, reason, status, note, opened_by, opened_at, resolved_by, resolved_at
                FROM dispute WHERE case_id = ? ORDER BY id
                """, [caseID]) { row in
                try Dispute(id: row.identifier(0), caseID: row.identifier(1), reason: row.string(2),
                        status: row.value(3, as: Dispute.Status.self), note: row.stringOrNil(4),
                        openedBy: row.string(5), openedAt: Instant(millisecondsSinceEpoch: row.int(6)),
                        resolvedBy: row.stringOrNil(7), resolvedAt: row.intOrNil(8).map(Instant.init(millisecondsSinceEpoch:)))
            }
        }
    }

    /// A communication's place among the timeline's events at the same instant: its rowid above
    /// this base, so contacts sort after the case's creation (which takes the base itself) and
    /// before the stored events (positive sequence numbers), in the order they were recorded.
    static let communicationSequenceBase: Int64 = -(1 << 62)

    /// The case's creation, its stored events and its communications (read from their own rows, so a
    /// contact is written once), in time order; ties: creation, then contacts, then the stored
    /// events, each in the order recorded.
    public func timeline(caseID: CaseID, page: PageRequest) throws -> Page<TimelineEvent> {
        let (afterAt, afterSequence) = page.after.flatMap(TimelineEvent.parsePosition) ?? (Int64.min, Int64.min)
        let rows = try database.read { db in
            try db.query("""
                SELECT at, kind, actor, summary, ref, seq, channel, direction, outcome, violations FROM (
                    SELECT c.created_at AS at, 'created' AS kind, c.created_by AS actor,
                           'Case placed by ' || c.creditor || ' (' || c.external_ref || ')'
                           || CASE WHEN c.source IS NULL THEN '' ELSE ' in import ' || c.source END AS summary,
                           coalesce(c.source, c.id) AS ref, ?5 AS seq,
                           NULL AS channel, NULL AS direction, NULL AS outcome, NULL AS violations
                    FROM debt_case c WHERE c.id = ?1
                    UNION ALL
                    SELECT at, kind, actor, summary, ref, seq, NULL, NULL, NULL, NULL FROM case_event WHERE case_id = ?1
                    UNION ALL
                    SELECT occurred_at, 'communication', recorded_by, NULL, id, rowid + ?5, channel, direction, outcome, violations
                    FROM communication WHERE case_id = ?1
                ) WHERE (at, seq) > (?2, ?3) ORDER BY at, seq LIMIT ?4
                """, [caseID, afterAt, afterSequence, page.limit + 1, Self.communicationSequenceBase]) { row in
                let summary = row.isNull(6) ? row.string(3) : try Communication.timelineSummary(
                    direction: row.value(7, as: ContactDirection.self), channel: row.value(6, as: ContactChannel.self),
                    outcome: row.value(8, as: ContactOutcome.self), violations: ViolationRows.decode(row.string(9)))
                return try TimelineEvent(at: Instant(millisecondsSinceEpoch: row.int(0)), kind: row.value(1, as: TimelineKind.self),
                                         actor: row.string(2), summary: summary, ref: row.stringOrNil(4), sequence: row.int(5))
            }
        }
        return Page(fetched: rows, limit: page.limit) { $0.position }
    }

    public func isAssignable(_ id: String) throws -> Bool {
        try database.read { db in
            try db.queryFirst("SELECT 1 FROM app_user WHERE id = ? AND active = 1 AND role IN ('agent', 'supervisor', 'admin')", [id]) { _ in true } ?? false
        }
    }

    public func restrictions(ofDebtor id: DebtorID) throws -> Restrictions? {
        try database.read { db in
            try db.queryFirst("""
                SELECT cease_communication, attorney_represented, attorney, bankruptcy, deceased, vulnerable, breathing_space_until
                FROM debtor WHERE id = ?
                """, [id]) { try DebtorRows.restrictions($0, from: 0) }
        }
    }

    public func exportRows(_ filter: CaseFilter, scope: CaseScope, each: (ExportRow) throws -> Void) throws {
        var (sql, arguments) = Self.filtered(filter, scope: scope, extraColumns: "d.external_ref, d.name, d.timezone, d.phones, d.emails")
        sql = sql + "ORDER BY c.id"
        try database.readOnDedicatedConnection { db in
            try db.forEach(sql, arguments) { row in
                let base = CaseRows.count
                try each(ExportRow(debtCase: CaseRows.read(row), debtorExternalRef: row.stringOrNil(base),
                                   debtorName: row.string(base + 1), phone: DebtorRows.decodePhones(row.string(base + 3)).first?.number,
                                   email: DebtorRows.decodeEmails(row.string(base + 4)).first?.address, timezone: row.string(base + 2)))
            }
        }
    }
}
