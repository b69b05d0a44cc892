import ParleyCore
import ParleySQLite

/// Writes a generated world straight into the tables, one batch per transaction, with prepared
/// single-row statements. Only for a fresh database (benchmarks): no audit entries or timeline
/// events are written, and foreign keys are not checked (every parent is written first).
public struct SQLiteWorldWriter: Sendable {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    /// A bigger page cache and no syncs: a lost generation is simply run again.
    public func prepareForBulkLoad() throws {
        try database.withWriter { db in
            try db.execute("PRAGMA synchronous=OFF")
            try db.execute("PRAGMA cache_size=-1048576")
        }
    }

    /// Back to the settings the server runs with once the load is done.
    public func finishBulkLoad() throws {
        try database.withWriter { db in
            try db.execute("PRAGMA synchronous=NORMAL")
            try db.execute("PRAGMA cache_size=-32768")
        }
    }

    public func insert(_ users: [WorldRows.User]) throws {
        try database.writeBulk { db in
            for u in users {
                try db.run("""
                    INSERT INTO app_user (id, name, role, team, active, created_at, updated_at, version) VALUES (?, ?, ?, ?, 1, ?, ?, 1)
                    """) { b in
                    b.bind(u.id); b.bind(u.name); b.bind(u.role.rawValue); b.bind(u.team); b.bind(u.createdAt); b.bind(u.createdAt)
                }
            }
        }
    }

    public func write(_ batch: WorldRows.Batch) throws {
        try database.writeBulk { db in
            for d in batch.debtors { try Self.insert(d, db) }
            for c in batch.cases { try Self.insert(c, db) }
            for m in batch.communications { try Self.insert(m, db) }
            for p in batch.plans { try Self.insert(p, db) }
            for p in batch.payments { try Self.insert(p, db) }
            for p in batch.promises { try Self.insert(p, db) }
            for f in batch.feedback { try Self.insert(f, db) }
            for k in batch.complaints { try Self.insert(k, db) }
        }
    }

    /// Row counts of the tables a generation fills, for checks.
    public func counts() throws -> [String: Int64] {
        try database.read { db in
            var result: [String: Int64] = [:]
            for (name, sql) in [("debtor", "SELECT count(*) FROM debtor"), ("case", "SELECT count(*) FROM debt_case"),
                                ("communication", "SELECT count(*) FROM communication"), ("payment", "SELECT count(*) FROM payment"),
                                ("promise", "SELECT count(*) FROM promise"), ("plan", "SELECT count(*) FROM payment_plan"),
                                ("feedback", "SELECT count(*) FROM feedback"), ("complaint", "SELECT count(*) FROM complaint"),
                                ("alert", "SELECT count(*) FROM compliance_alert")] as [(String, SQL)] {
                result[name] = try db.queryFirst(sql) { $0.int(0) } ?? 0
            }
            return result
        }
    }

    static func insert(_ d: WorldRows.Debtor, _ db: Connection) throws {
        let phones = DebtorRows.encodePhones([Phone(number: d.phone, type: .mobile, consentCalls: true, consentSMS: true)])
        try db.run("""
            INSERT INTO debtor (id, external_ref, name, timezone, phones, emails, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, '[]', 1, ?, ?)
            """) { b in
            b.bind(d.id); b.bind(d.externalRef); b.bind(d.name); b.bind(d.timezone); b.bind(phones); b.bind(d.createdAt); b.bind(d.createdAt)
        }
        // The world is written before the later migrations (WorldGenerator): the contact table still
        // has its first shape here, and migration 0013 sorts these rows into generations.
        try db.run("INSERT OR IGNORE INTO debtor_contact (value, debtor_id) VALUES (?, ?)") { b in b.bind(d.phone); b.bind(d.id) }
    }

    static func insert(_ c: WorldRows.Case, _ db: Connection) throws {
        try db.run("""
            INSERT INTO debt_case (id, debtor_id, creditor, external_ref, currency, principal_minor, interest_minor, fees_minor,
                paid_fees_minor, paid_interest_minor, paid_principal_minor, delinquent_since, jurisdiction, assigned_to, team,
                status, segment, source, created_by, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'generated', ?, 1, ?, ?)
            """) { b in
            b.bind(c.id); b.bind(c.debtorID); b.bind(c.creditor); b.bind(c.externalRef); b.bind(c.currency)
            b.bind(c.principal); b.bind(c.interest); b.bind(c.fees); b.bind(c.paidFees); b.bind(c.paidInterest); b.bind(c.paidPrincipal)
            b.bind(c.delinquentSince); b.bind(c.jurisdiction); b.bind(c.assignedTo); b.bind(c.team); b.bind(c.status.rawValue)
            b.bind(c.segment.rawValue); b.bind(c.createdBy); b.bind(c.createdAt); b.bind(c.updatedAt)
        }
    }

    static func insert(_ m: WorldRows.Communication, _ db: Connection) throws {
        let violations = m.violations.map {
            Violation(rule: $0, message: "generated", nextAllowedAt: Instant(millisecondsSinceEpoch: m.occurredAt + 3_600_000))
        }
        try db.run("""
            INSERT INTO communication (id, case_id, debtor_id, channel, direction, outcome, occurred_at, duration_seconds, to_address,
                compliance_ok, violations, recorded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            b.bind(m.id); b.bind(m.caseID); b.bind(m.debtorID); b.bind(m.channel.rawValue); b.bind(m.direction); b.bind(m.outcome.rawValue)
            b.bind(m.occurredAt)
            if let seconds = m.durationSeconds { b.bind(seconds) } else { b.bindNull() }
            b.bind(m.toAddress)
            if let ok = m.complianceOK { b.bind(ok) } else { b.bindNull() }
            b.bind(ViolationRows.encode(violations)); b.bind(m.recordedBy); b.bind(m.recordedAt)
        }
        // One open alert per violation, as the compliance service raises them.
        for (index, violation) in violations.enumerated() {
            try db.run("""
                INSERT INTO compliance_alert (id, case_id, communication_id, rule, message, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)
                """) { b in
                b.bind("alr_" + m.id.dropFirst(4) + String(index)); b.bind(m.caseID); b.bind(m.id); b.bind(violation.rule.rawValue)
                b.bind(violation.message); b.bind(m.recordedAt)
            }
        }
    }

    static func insert(_ p: WorldRows.Plan, _ db: Connection) throws {
        try db.run("""
            INSERT INTO payment_plan (id, case_id, status, total_minor, frequency, balance_at_proposal_minor, installments,
                created_by, created_at, updated_at, decided_by)
            VALUES (?, ?, ?, ?, 'monthly', ?, ?, ?, ?, ?, ?)
            """) { b in
            b.bind(p.id); b.bind(p.caseID); b.bind(p.status.rawValue); b.bind(p.total); b.bind(p.balanceAtProposal)
            b.bind(MoneyJSON.encode(p.installments)); b.bind(p.createdBy); b.bind(p.createdAt); b.bind(p.updatedAt); b.bind(p.createdBy)
        }
    }

    static func insert(_ p: WorldRows.Payment, _ db: Connection) throws {
        let allocation = MoneyJSON.encode(Allocation(components: p.split, planID: nil, installments: []))
        try db.run("""
            INSERT INTO payment (id, case_id, amount_minor, currency, paid_at, method, status, allocation, created_by, created_at,
                reversed_at, reversed_by, reversal_reason)
            VALUES (?, ?, ?, ?, ?, 'bank_transfer', ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            b.bind(p.id); b.bind(p.caseID); b.bind(p.amount); b.bind(p.currency); b.bind(p.paidAt)
            b.bind(p.reversed ? "reversed" : "applied"); b.bind(allocation); b.bind(p.createdBy); b.bind(p.paidAt)
            if p.reversed {
                b.bind(p.paidAt + 86_400_000); b.bind(p.createdBy); b.bind("bounced")
            } else {
                b.bindNull(); b.bindNull(); b.bindNull()
            }
        }
    }

    static func insert(_ p: WorldRows.Promise, _ db: Connection) throws {
        try db.run("""
            INSERT INTO promise (id, case_id, amount_minor, due_date, status, created_by, created_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            b.bind(p.id); b.bind(p.caseID); b.bind(p.amount); b.bind(p.dueDate.description); b.bind(p.status.rawValue)
            b.bind(p.createdBy); b.bind(p.createdAt)
            if let resolved = p.resolvedAt { b.bind(resolved) } else { b.bindNull() }
        }
    }

    static func insert(_ f: WorldRows.Feedback, _ db: Connection) throws {
        try db.run("""
            INSERT INTO survey (id, case_id, communication_id, agent_id, token_hash, expires_at, used_at, created_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [f.surveyID, f.caseID, f.communicationID, f.agentID, f.tokenHash, f.sentAt + 7 * 86_400_000, f.answeredAt,
                  f.createdBy, f.sentAt])
        try db.run("""
            INSERT INTO feedback (id, case_id, survey_id, communication_id, agent_id, score_communication, score_attitude,
                score_resolution, nps, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            b.bind(f.feedbackID); b.bind(f.caseID); b.bind(f.surveyID); b.bind(f.communicationID); b.bind(f.agentID)
            b.bind(f.scores.0); b.bind(f.scores.1); b.bind(f.scores.2)
            if let nps = f.nps { b.bind(nps) } else { b.bindNull() }
            b.bind(f.answeredAt)
        }
    }

    static func insert(_ k: WorldRows.Complaint, _ db: Connection) throws {
        try db.run("""
            INSERT INTO complaint (id, case_id, channel, category, description, severity, status, acknowledge_by, resolve_by,
                acknowledged_at, resolved_at, resolution, breaches, created_by, created_at, updated_at)
            VALUES (?, ?, 'phone', ?, 'generated complaint', ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?)
            """) { b in
            b.bind(k.id); b.bind(k.caseID); b.bind(k.category); b.bind(k.severity); b.bind(k.status)
            b.bind(k.createdAt + 5 * 86_400_000); b.bind(k.createdAt + 56 * 86_400_000)
            if let at = k.acknowledgedAt { b.bind(at) } else { b.bindNull() }
            if let at = k.resolvedAt { b.bind(at); b.bind("handled") } else { b.bindNull(); b.bindNull() }
            b.bind(k.createdBy); b.bind(k.createdAt); b.bind(k.resolvedAt ?? k.acknowledgedAt ?? k.createdAt)
        }
    }
}
