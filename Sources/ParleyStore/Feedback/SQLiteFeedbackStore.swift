import ParleyCore
import ParleySQLite

/// Surveys, feedback and follow-ups. A survey's token is stored only as its hash; answering marks
/// the survey used in the same transaction, so a token works once even under concurrent posts.
public struct SQLiteFeedbackStore: FeedbackStore {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    public func insert(_ s: Survey, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws {
        try database.write { db in
            try db.run("""
                INSERT INTO survey (id, case_id, communication_id, agent_id, token_hash, expires_at, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [s.id, s.caseID, s.communicationID, s.agentID, s.tokenHash, s.expiresAt.millisecondsSinceEpoch, s.createdBy,
                      s.createdAt.millisecondsSinceEpoch])
            try AuditLog.append(audit, actor: actor, at: s.createdAt, in: db)
            try CaseRows.appendEvent(event, caseID: s.caseID, db)
        }
    }

    public func survey(tokenHash: [UInt8]) throws -> Survey? {
        try database.read { db in
            try db.queryFirst("""
                SELECT id, case_id, communication_id, agent_id, token_hash, expires_at, used_at, created_by, created_at
                FROM survey WHERE token_hash = ?
                """, [tokenHash]) { row in
                Survey(id: row.identifier(0), caseID: row.identifier(1), communicationID: row.identifierOrNil(2), agentID: row.stringOrNil(3),
                       tokenHash: row.blob(4), expiresAt: row.instant(5), usedAt: row.instantOrNil(6), createdBy: row.string(7),
                       createdAt: row.instant(8))
            }
        }
    }

    public func record(_ f: Feedback, followUp: FollowUp?, audit: [AuditRecord], events: [TimelineEvent], at: Instant) throws -> Bool {
        try database.write { db in
            guard try db.run("UPDATE survey SET used_at = ? WHERE id = ? AND used_at IS NULL", [at.millisecondsSinceEpoch, f.surveyID]) == 1
            else { return false }
            try db.run("""
                INSERT INTO feedback (id, case_id, survey_id, communication_id, agent_id, score_communication, score_attitude,
                    score_resolution, nps, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [f.id, f.caseID, f.surveyID, f.communicationID, f.agentID, Int64(f.scores.communication), Int64(f.scores.attitude),
                      Int64(f.scores.resolution), f.nps.map(Int64.init), f.comment, f.createdAt.millisecondsSinceEpoch])
            if let u = followUp {
                try db.run("""
                    INSERT INTO followup (id, case_id, feedback_id, assigned_team, status, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [u.id, u.caseID, u.feedbackID, u.assignedTeam, u.status.rawValue, u.dueAt.millisecondsSinceEpoch,
                          u.createdAt.millisecondsSinceEpoch])
            }
            try AuditLog.append(audit, actor: .system, at: at, in: db)
            for event in events { try CaseRows.appendEvent(event, caseID: f.caseID, db) }
            return true
        }
    }

    static let feedbackColumns: SQL = """
        f.id, f.case_id, f.survey_id, f.communication_id, f.agent_id, f.score_communication, f.score_attitude, f.score_resolution,
        f.nps, f.comment, f.created_at
        """

    static func readFeedback(_ row: Row) -> Feedback {
        Feedback(id: row.identifier(0), caseID: row.identifier(1), surveyID: row.identifier(2), communicationID: row.identifierOrNil(3),
                 agentID: row.stringOrNil(4),
                 scores: FeedbackScores(communication: Int(row.int(5)), attitude: Int(row.int(6)), resolution: Int(row.int(7))),
                 nps: row.intOrNil(8).map { Int($0) }, comment: row.stringOrNil(9), createdAt: row.instant(10))
    }

    public func feedback(_ filter: FeedbackFilter, scope: CaseScope, page: PageRequest) throws -> Page<Feedback> {
        var sql: SQL = "SELECT" + Self.feedbackColumns + "FROM feedback f WHERE f.id > ?"
        var arguments: [any SQLBindable] = [page.after ?? ""]
        if let caseID = filter.caseID { sql = sql + "AND f.case_id = ?"; arguments.append(caseID) }
        if let agentID = filter.agentID { sql = sql + "AND f.agent_id = ?"; arguments.append(agentID) }
        if let from = filter.from { sql = sql + "AND f.created_at >= ?"; arguments.append(from.millisecondsSinceEpoch) }
        if let to = filter.to { sql = sql + "AND f.created_at < ?"; arguments.append(to.millisecondsSinceEpoch) }
        scope.restrict(&sql, &arguments)
        sql = sql + "ORDER BY f.id LIMIT ?"
        arguments.append(page.limit + 1)
        let rows = try database.read { db in try db.query(sql, arguments, Self.readFeedback) }
        return Page(fetched: rows, limit: page.limit) { $0.id }
    }

    static let followUpColumns: SQL = """
        u.id, u.case_id, u.feedback_id, u.assigned_team, u.status, u.due_at, u.created_at, u.closed_at, u.closed_by, u.note
        """

    static func readFollowUp(_ row: Row) throws -> FollowUp {
        try FollowUp(id: row.identifier(0), caseID: row.identifier(1), feedbackID: row.identifier(2), assignedTeam: row.stringOrNil(3),
                     status: row.value(4, as: FollowUp.Status.self), dueAt: row.instant(5), createdAt: row.instant(6),
                     closedAt: row.instantOrNil(7), closedBy: row.stringOrNil(8), note: row.stringOrNil(9))
    }

    public func followUps(status: FollowUp.Status?, scope: CaseScope, page: PageRequest) throws -> Page<FollowUp> {
        var sql: SQL = "SELECT" + Self.followUpColumns + "FROM followup u WHERE u.id > ?"
        var arguments: [any SQLBindable] = [page.after ?? ""]
        if let status { sql = sql + "AND u.status = ?"; arguments.append(status.rawValue) }
        scope.restrict(&sql, &arguments)
        sql = sql + "ORDER BY u.id LIMIT ?"
        arguments.append(page.limit + 1)
        let rows = try database.read { db in try db.query(sql, arguments, Self.readFollowUp) }
        return Page(fetched: rows, limit: page.limit) { $0.id }
    }

    public func followUp(id: FollowUpID) throws -> FollowUp? {
        try database.read { db in try db.queryFirst("SELECT" + Self.followUpColumns + "FROM followup u WHERE u.id = ?", [id], Self.readFollowUp) }
    }

    public func close(_ u: FollowUp, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws -> Bool {
        try database.write { db in
            guard try db.run("""
                UPDATE followup SET status = 'closed', closed_at = ?, closed_by = ?, note = ? WHERE id = ? AND status = 'open'
                """, [u.closedAt?.millisecondsSinceEpoch, u.closedBy, u.note, u.id]) == 1 else { return false }
            try AuditLog.append(audit, actor: actor, at: event.at, in: db)
            try CaseRows.appendEvent(event, caseID: u.caseID, db)
            return true
        }
    }
}
