import ParleyCore
import ParleySQLite

/// The facts segmentation reads, each from an indexed lookup on the case's own rows.
public struct SQLiteSegmentStore: SegmentStore {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    public func facts(caseID: CaseID, now: Instant) throws -> SegmentFacts? {
        try database.read { db in
            guard var facts = try db.queryFirst("""
                SELECT c.delinquent_since, d.timezone,
                    d.cease_communication, d.attorney_represented, d.attorney, d.bankruptcy, d.deceased, d.vulnerable,
                    d.breathing_space_until,
                    EXISTS (SELECT 1 FROM dispute WHERE case_id = c.id AND status = 'open'),
                    EXISTS (SELECT 1 FROM complaint WHERE case_id = c.id AND status IN ('open','investigating')),
                    (SELECT max(paid_at) FROM payment WHERE case_id = c.id AND status = 'applied'),
                    (SELECT max(occurred_at) FROM communication WHERE case_id = c.id AND outcome = 'refused'),
                    (SELECT max(resolved_at) FROM dispute WHERE case_id = c.id AND status = 'rejected'),
                    (SELECT max(resolved_at) FROM promise WHERE case_id = c.id AND status = 'kept'),
                    EXISTS (SELECT 1 FROM payment_plan WHERE case_id = c.id AND status = 'active'
                            AND installments NOT LIKE '%"missed"%'),
                    (SELECT max(occurred_at) FROM communication WHERE case_id = c.id AND direction = 'inbound'
                            AND outcome != 'connected_third_party')
                FROM debt_case c JOIN debtor d ON d.id = c.debtor_id WHERE c.id = ?
                """, [caseID], { row in
                    try SegmentFacts(
                        restrictions: DebtorRows.restrictions(row, from: 2), debtorTimeZone: row.string(1),
                        openDispute: row.bool(9), openComplaint: row.bool(10),
                        daysPastDue: SegmentRules.daysPastDue(since: row.date(0), now: now), lastPaymentAt: row.instantOrNil(11),
                        latestRefusalAt: row.instantOrNil(12), latestRejectedDisputeAt: row.instantOrNil(13),
                        latestKeptPromiseAt: row.instantOrNil(14), activePlanInGoodStanding: row.bool(15),
                        latestDebtorInboundAt: row.instantOrNil(16))
                })
            else { return nil }
            facts.brokenCommitmentsAt = try db.query("""
                SELECT resolved_at FROM promise WHERE case_id = ?1 AND status = 'broken' AND resolved_at IS NOT NULL
                UNION ALL SELECT updated_at FROM payment_plan WHERE case_id = ?1 AND status = 'broken'
                """, [caseID]) { $0.instant(0) }
            return facts
        }
    }

    public func segment(caseID: CaseID) throws -> Segment? {
        try database.read { db in try db.queryFirst("SELECT segment FROM debt_case WHERE id = ?", [caseID]) { try $0.value(0, as: Segment.self) } }
    }

    public func setSegment(caseID: CaseID, to segment: Segment, at: Instant, audit: AuditRecord, event: TimelineEvent) throws {
        try database.write { db in
            guard try db.run("""
                UPDATE debt_case SET segment = ?, version = version + 1, updated_at = ? WHERE id = ? AND segment != ?
                """, [segment.rawValue, at.millisecondsSinceEpoch, caseID, segment.rawValue]) == 1 else { return }
            try AuditLog.append(audit, actor: .system, at: at, in: db)
            try CaseRows.appendEvent(event, caseID: caseID, db)
        }
    }

    public func caseIDs(ofDebtor debtorID: DebtorID) throws -> [CaseID] {
        try database.read { db in try db.query("SELECT id FROM debt_case WHERE debtor_id = ? ORDER BY id", [debtorID]) { $0.identifier(0) } }
    }

    public func liveCaseIDs(after: CaseID?, limit: Int) throws -> [CaseID] {
        try database.read { db in
            try db.query("SELECT id FROM debt_case WHERE id > ? AND status NOT IN ('paid','closed') ORDER BY id LIMIT ?",
                         [after?.rawValue ?? "", Int64(limit)]) { $0.identifier(0) }
        }
    }
}
