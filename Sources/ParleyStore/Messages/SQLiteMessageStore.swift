import ParleyCore
import ParleySQLite

/// Messages and their delivery state. Claims are taken in a write transaction, so two
/// dispatchers (the schedule and an on-demand run) never hand out the same message.
public struct SQLiteMessageStore: MessageStore {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    static let columns: SQL = """
        m.id, m.case_id, m.channel, m.to_address, m.subject, m.body, m.status, m.scheduled_for, m.attempts, m.next_attempt_at,
        m.violations, m.template, m.reminder_key, m.created_by, m.created_at, m.sent_at, m.last_error, m.communication_id
        """

    static func read(_ row: Row) throws -> Message {
        try Message(
            id: row.identifier(0), caseID: row.identifier(1), channel: row.value(2, as: MessageChannel.self), to: row.stringOrNil(3),
            subject: row.stringOrNil(4), body: row.string(5), status: row.value(6, as: Message.Status.self),
            scheduledFor: row.instant(7), attempts: Int(row.int(8)), nextAttemptAt: row.instantOrNil(9),
            violations: ViolationRows.decode(row.string(10)), template: row.stringOrNil(11), reminderKey: row.stringOrNil(12),
            createdBy: row.string(13), createdAt: row.instant(14), sentAt: row.instantOrNil(15), lastError: row.stringOrNil(16),
            communicationID: row.identifierOrNil(17))
    }

    public func insert(_ m: Message, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws -> Bool {
        try database.write { db in
            let inserted = try db.run("""
                INSERT INTO message (id, case_id, channel, to_address, subject, body, status, scheduled_for, attempts,
                    violations, template, reminder_key, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reminder_key) DO NOTHING
                """, [m.id, m.caseID, m.channel.rawValue, m.to, m.subject, m.body, m.status.rawValue,
                      m.scheduledFor.millisecondsSinceEpoch, Int64(m.attempts), ViolationRows.encode(m.violations), m.template,
                      m.reminderKey, m.createdBy, m.createdAt.millisecondsSinceEpoch])
            guard inserted == 1 else { return false }
            try AuditLog.append(audit, actor: actor, at: m.createdAt, in: db)
            try CaseRows.appendEvent(event, caseID: m.caseID, db)
            return true
        }
    }

    public func message(id: MessageID) throws -> Message? {
        try database.read { db in try db.queryFirst("SELECT" + Self.columns + "FROM message m WHERE m.id = ?", [id], Self.read) }
    }

    public func messages(_ filter: MessageFilter, scope: CaseScope, page: PageRequest) throws -> Page<Message> {
        var sql: SQL = "SELECT" + Self.columns + "FROM message m WHERE m.id > ?"
        var arguments: [any SQLBindable] = [page.after ?? ""]
        if let caseID = filter.caseID {
            sql = sql + "AND m.case_id = ?"
            arguments.append(caseID)
        }
        if let status = filter.status {
            sql = sql + "AND m.status = ?"
            arguments.append(status.rawValue)
        }
        scope.restrict(&sql, &arguments)
        sql = sql + "ORDER BY m.id LIMIT ?"
        arguments.append(page.limit + 1)
        let rows = try database.read { db in try db.query(sql, arguments, Self.read) }
        return Page(fetched: rows, limit: page.limit) { $0.id }
    }

    public func claimDue(asOf: Instant, limit: Int) throws -> [Message] {
        let now = asOf.millisecondsSinceEpoch
        return try database.write { db in
            let due = try db.query("SELECT" + Self.columns + """
                FROM message m INDEXED BY message_due
                WHERE m.status IN ('scheduled','queued') AND m.scheduled_for <= ? AND m.claimed_at IS NULL
                  AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= ?)
                ORDER BY m.scheduled_for, m.id LIMIT ?
                """, [now, now, Int64(limit)], Self.read)
            for message in due {
                try db.run("UPDATE message SET claimed_at = ? WHERE id = ?", [now, message.id])
            }
            return due
        }
    }

    public func postpone(_ id: MessageID, until: Instant) throws {
        _ = try database.write { db in
            try db.run("UPDATE message SET claimed_at = NULL, next_attempt_at = ? WHERE id = ?", [until.millisecondsSinceEpoch, id])
        }
    }

    public func hasReminder(key: String) throws -> Bool {
        try database.read { db in try db.queryFirst("SELECT 1 FROM message WHERE reminder_key = ?", [key]) { _ in true } } ?? false
    }

    public func queuedTimes(caseID: CaseID, channel: MessageChannel, dueBy: Instant) throws -> [Instant] {
        try database.read { db in
            try db.query("""
                SELECT scheduled_for FROM message INDEXED BY message_case
                WHERE case_id = ? AND channel = ? AND (status = 'queued' OR status = 'scheduled') AND scheduled_for <= ?
                """, [caseID, channel.rawValue, dueBy.millisecondsSinceEpoch]) { $0.instant(0) }
        }
    }

    public func releaseAllClaims() throws -> Int {
        try database.write { db in try db.run("UPDATE message SET claimed_at = NULL WHERE claimed_at IS NOT NULL") }
    }

    public func finish(_ m: Message, audit: AuditRecord?, event: TimelineEvent?, actor: Principal) throws {
        try database.write { db in
            try db.run("""
                UPDATE message SET status = ?, attempts = ?, next_attempt_at = ?, violations = ?, sent_at = ?, last_error = ?,
                    communication_id = ?, claimed_at = NULL
                WHERE id = ?
                """, [m.status.rawValue, Int64(m.attempts), m.nextAttemptAt?.millisecondsSinceEpoch, ViolationRows.encode(m.violations),
                      m.sentAt?.millisecondsSinceEpoch, m.lastError, m.communicationID, m.id])
            if let audit { try AuditLog.append(audit, actor: actor, at: event?.at ?? m.createdAt, in: db) }
            if let event { try CaseRows.appendEvent(event, caseID: m.caseID, db) }
        }
    }
}
