import ParleyCore
import ParleySQLite

/// Compliance alerts: opened with the contact that caused them, resolved once.
public struct SQLiteComplianceAlertStore: ComplianceAlertStore {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    public func alerts(_ filter: AlertFilter, scope: CaseScope, page: PageRequest) throws -> Page<ComplianceAlert> {
        var sql: SQL = "SELECT" + AlertRows.columns + "FROM compliance_alert a WHERE a.id > ?"
        var arguments: [any SQLBindable] = [page.after ?? ""]
        if let status = filter.status {
            sql = sql + "AND a.status = ?"
            arguments.append(status.rawValue)
        }
        if let caseID = filter.caseID {
            sql = sql + "AND a.case_id = ?"
            arguments.append(caseID)
        }
        scope.restrict(&sql, &arguments)
        sql = sql + "ORDER BY a.id LIMIT ?"
        arguments.append(page.limit + 1)
        let rows = try database.read { db in try db.query(sql, arguments, AlertRows.read) }
        return Page(fetched: rows, limit: page.limit) { $0.id }
    }

    public func alert(id: AlertID) throws -> ComplianceAlert? {
        try database.read { db in
            try db.queryFirst("SELECT" + AlertRows.columns + "FROM compliance_alert a WHERE a.id = ?", [id], AlertRows.read)
        }
    }

    public func resolve(_ alert: ComplianceAlert, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws -> Bool {
        try database.write { db in
            let changed = try db.run("""
                UPDATE compliance_alert SET status = 'resolved', resolved_at = ?, resolved_by = ?, resolution = ?
                WHERE id = ? AND status = 'open'
                """, [alert.resolvedAt?.millisecondsSinceEpoch, alert.resolvedBy, alert.resolution, alert.id])
            guard changed == 1 else { return false }
            try AuditLog.append(audit, actor: actor, at: event.at, in: db)
            try CaseRows.appendEvent(event, caseID: alert.caseID, db)
            return true
        }
    }
}

enum AlertRows {
    static let columns: SQL = """
        a.id, a.case_id, a.communication_id, a.rule, a.message, a.status, a.created_at, a.resolved_at, a.resolved_by, a.resolution
        """

    static func read(_ row: Row) throws -> ComplianceAlert {
        try ComplianceAlert(
            id: row.identifier(0), caseID: row.identifier(1), communicationID: row.identifierOrNil(2), rule: row.string(3),
            message: row.string(4), status: row.value(5, as: ComplianceAlert.Status.self), createdAt: row.instant(6),
            resolvedAt: row.instantOrNil(7), resolvedBy: row.stringOrNil(8), resolution: row.stringOrNil(9))
    }

    static func insert(_ alert: ComplianceAlert, _ db: Connection) throws {
        try db.run("""
            INSERT INTO compliance_alert (id, case_id, communication_id, rule, message, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [alert.id, alert.caseID, alert.communicationID, alert.rule, alert.message, alert.status.rawValue,
                  alert.createdAt.millisecondsSinceEpoch])
    }
}

/// The compliance policy: one row, replaced as a whole, each version audited.
public struct SQLiteCompliancePolicyStore: CompliancePolicyStore {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    public func policyDocument() throws -> (document: JSONValue, version: Int64)? {
        try database.read { db in
            try db.queryFirst("SELECT document, version FROM compliance_policy WHERE id = 1") { row in
                (try row.json(0), row.int(1))
            }
        }
    }

    public func savePolicy(_ document: JSONValue, version: Int64, at: Instant, audit: AuditRecord, actor: Principal) throws {
        try database.write { db in
            try db.run("""
                INSERT INTO compliance_policy (id, document, version, updated_at, updated_by) VALUES (1, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET document = excluded.document, version = excluded.version,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """, [document.canonical, version, at.millisecondsSinceEpoch, actor.userID])
            try AuditLog.append(audit, actor: actor, at: at, in: db)
        }
    }
}
