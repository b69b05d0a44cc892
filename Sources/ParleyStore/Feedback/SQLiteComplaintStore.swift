import ParleyCore
import ParleySQLite

/// Complaints, with the compliance alert some categories open.
public struct SQLiteComplaintStore: ComplaintStore {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    static let columns: SQL = """
        k.id, k.case_id, k.channel, k.category, k.description, k.severity, k.status, k.acknowledge_by, k.resolve_by,
        k.acknowledged_at, k.resolved_at, k.resolution, k.breached_at, k.breaches, k.created_by, k.created_at, k.updated_at
        """

    static func read(_ row: Row) throws -> Complaint {
        guard case .array(let breaches) = try row.json(13) else { throw CorruptDataError("stored breaches are not an array") }
        return try Complaint(
            id: row.identifier(0), caseID: row.identifier(1), channel: row.value(2, as: ContactChannel.self),
            category: row.value(3, as: Complaint.Category.self), description: row.string(4),
            severity: row.value(5, as: Complaint.Severity.self), status: row.value(6, as: Complaint.Status.self),
            acknowledgeBy: row.instant(7), resolveBy: row.instant(8), acknowledgedAt: row.instantOrNil(9),
            resolvedAt: row.instantOrNil(10), resolution: row.stringOrNil(11), breachedAt: row.instantOrNil(12),
            breaches: breaches.compactMap(\.string), createdBy: row.string(14), createdAt: row.instant(15), updatedAt: row.instant(16))
    }

    static func encode(_ breaches: [String]) -> String { JSONValue.array(breaches.map(JSONValue.string)).compact }

    public func insert(_ k: Complaint, alert: ComplianceAlert?, audit: [AuditRecord], events: [TimelineEvent], actor: Principal) throws {
        try database.write { db in
            try db.run("""
                INSERT INTO complaint (id, case_id, channel, category, description, severity, status, acknowledge_by, resolve_by,
                    acknowledged_at, resolved_at, resolution, breached_at, breaches, created_by, created_at, updated_at)
                """ + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                k.id, k.caseID, k.channel.rawValue, k.category.rawValue, k.description, k.severity.rawValue, k.status.rawValue,
                k.acknowledgeBy.millisecondsSinceEpoch, k.resolveBy.millisecondsSinceEpoch, k.acknowledgedAt?.millisecondsSinceEpoch,
                k.resolvedAt?.millisecondsSinceEpoch, k.resolution, k.breachedAt?.millisecondsSinceEpoch, Self.encode(k.breaches),
                k.createdBy, k.createdAt.millisecondsSinceEpoch, k.updatedAt.millisecondsSinceEpoch,
            ])
            if let alert { try AlertRows.insert(alert, db) }
            try AuditLog.append(audit, actor: actor, at: k.createdAt, in: db)
            for event in events { try CaseRows.appendEvent(event, caseID: k.caseID, db) }
        }
    }

    public func complaint(id: ComplaintID) throws -> Complaint? {
        try database.read { db in try db.queryFirst("SELECT" + Self.columns + "FROM complaint k WHERE k.id = ?", [id], Self.read) }
    }

    public func complaints(_ filter: ComplaintFilter, scope: CaseScope, page: PageRequest) throws -> Page<Complaint> {
        var sql: SQL = "SELECT" + Self.columns + "FROM complaint k WHERE k.id > ?"
        var arguments: [any SQLBindable] = [page.after ?? ""]
        if let status = filter.status { sql = sql + "AND k.status = ?"; arguments.append(status.rawValue) }
        if let caseID = filter.caseID { sql = sql + "AND k.case_id = ?"; arguments.append(caseID) }
        if let at = filter.overdueAt {
            sql = sql + """
                AND k.status IN ('open','investigating')
                AND (k.resolve_by < ? OR (k.acknowledged_at IS NULL AND k.acknowledge_by < ?))
                """
            arguments += [at.millisecondsSinceEpoch, at.millisecondsSinceEpoch]
        }
        scope.restrict(&sql, &arguments)
        sql = sql + "ORDER BY k.id LIMIT ?"
        arguments.append(page.limit + 1)
        let rows = try database.read { db in try db.query(sql, arguments, Self.read) }
        return Page(fetched: rows, limit: page.limit) { $0.id }
    }

    public func update(_ k: Complaint, expected: Complaint.Status, audit: AuditRecord?, event: TimelineEvent?, actor: Principal) throws -> Bool {
        try database.write { db in
            guard try db.run("""
                UPDATE complaint SET status = ?, acknowledged_at = ?, resolved_at = ?, resolution = ?, breached_at = ?, breaches = ?,
                    updated_at = ?
                WHERE id = ? AND status = ?
                """, [k.status.rawValue, k.acknowledgedAt?.millisecondsSinceEpoch, k.resolvedAt?.millisecondsSinceEpoch, k.resolution,
                      k.breachedAt?.millisecondsSinceEpoch, Self.encode(k.breaches), k.updatedAt.millisecondsSinceEpoch, k.id,
                      expected.rawValue]) == 1 else { return false }
            if let audit { try AuditLog.append(audit, actor: actor, at: event?.at ?? k.updatedAt, in: db) }
            if let event { try CaseRows.appendEvent(event, caseID: k.caseID, db) }
            return true
        }
    }

    public func unmarkedBreaches(at now: Instant) throws -> [Complaint] {
        try database.read { db in
            try db.query("SELECT" + Self.columns + """
                FROM complaint k WHERE k.status IN ('open','investigating')
                  AND ((k.resolve_by < ? AND k.breaches NOT LIKE '%"resolve"%')
                    OR (k.acknowledged_at IS NULL AND k.acknowledge_by < ? AND k.breaches NOT LIKE '%"acknowledge"%'))
                ORDER BY k.id
                """, [now.millisecondsSinceEpoch, now.millisecondsSinceEpoch], Self.read)
        }
    }
}
