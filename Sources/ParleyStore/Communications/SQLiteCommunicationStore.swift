import ParleyCore
import CSQLite
import ParleySQLite

/// The communication record. Invariant: rows are only ever inserted (triggers refuse UPDATE and
/// DELETE); a communication, its alerts, audit entries and timeline events commit together.
public struct SQLiteCommunicationStore: CommunicationStore {
    let database: DatabasePool

    public init(database: DatabasePool) { self.database = database }

    static let columns: SQL = """
        id, case_id, debtor_id, channel, direction, outcome, occurred_at, duration_seconds, summary, content, to_address,
        compliance_ok, violations, next_allowed_at, recorded_by, recorded_at
        """
    // Composed once, not on every call.
    static let insertOne: SQL = ("INSERT INTO communication (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").kept
    static let byID: SQL = ("SELECT" + columns + "FROM communication WHERE id = ? AND case_id = ?").kept

    public func history(_ request: HistoryRequest, caseID: CaseID, debtorID: DebtorID, to: String?) throws -> ComplianceHistory {
        try database.read { db in
            func instants(_ series: HistoryRequest.Series?, _ sql: SQL, _ keys: (any SQLBindable)?...) throws -> [Instant] {
                guard let series, !keys.contains(where: { $0 == nil }) else { return [] }
                let window: [any SQLBindable] = [series.since.millisecondsSinceEpoch, series.until.millisecondsSinceEpoch, Int64(series.limit)]
                return try db.query(sql, keys.compactMap { $0 } + window) { $0.instant(0) }
            }
            // The number's unanswered calls on each of the debtor's cases, merged here: one
            // statement over all of them would sort in a temporary b-tree on every judgement.
            func unanswered(_ series: HistoryRequest.Series?) throws -> [Instant] {
                guard let series, let to else { return [] }
                let cases = try db.query(HistorySQL.debtorCases, [debtorID]) { $0.string(0) }
                let found = try cases.flatMap { try instants(series, HistorySQL.numberUnansweredOnCase, to, $0) }
                return cases.count == 1 ? found : Array(found.sorted(by: >).prefix(series.limit))
            }
            return try ComplianceHistory(
                casePhoneAttempts: instants(request.casePhoneAttempts, HistorySQL.caseOutbound, caseID, ContactChannel.phone.rawValue),
                lastCaseRPCPhone: instants(request.lastCaseRPCPhone, HistorySQL.lastCaseRPCPhone, caseID).first,
                caseSMS: instants(request.caseSMS, HistorySQL.caseOutbound, caseID, ContactChannel.sms.rawValue),
                debtorRPCPhoneToday: instants(request.debtorRPCPhoneToday, HistorySQL.debtorRPCPhoneToday, debtorID),
                numberUnansweredToday: unanswered(request.numberUnansweredToday),
                lastDebtorReached: instants(request.lastDebtorReached, HistorySQL.lastDebtorReached, debtorID).first)
        }
    }

    public func insert(_ c: Communication, alerts: [ComplianceAlert], audit: [AuditRecord], events: [TimelineEvent],
                       actor: Principal, caseAsRead: DebtCase?) throws {
        // The timeline reads the communication from its row: an event of its own would show it twice.
        guard !events.contains(where: { $0.kind == .communication }) else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "a communication is on the timeline through its own row, not an event")
        }
        try database.write { db in
            try db.run(Self.insertOne, [
                c.id, c.caseID, c.debtorID, c.channel.rawValue, c.direction.rawValue, c.outcome.rawValue,
                c.occurredAt.millisecondsSinceEpoch, c.durationSeconds, c.summary, c.content, c.to,
                c.compliance.map { $0.ok }, ViolationRows.encode(c.compliance?.violations ?? []),
                c.compliance?.nextAllowedAt?.millisecondsSinceEpoch, c.recordedBy, c.recordedAt.millisecondsSinceEpoch,
            ])
            try AnalyticsCommunicationRollup.add(c, caseAsRead: caseAsRead, db)
            for alert in alerts { try AlertRows.insert(alert, db) }
            try AuditLog.append(audit, actor: actor, at: c.recordedAt, in: db)
            for event in events { try CaseRows.appendEvent(event, caseID: c.caseID, db) }
        }
    }

    public func communication(id: CommunicationID, caseID: CaseID) throws -> Communication? {
        try database.read { db in
            try db.queryFirst(Self.byID, [id, caseID], Self.read)
        }
    }

    public func communications(caseID: CaseID, page: PageRequest) throws -> Page<Communication> {
        let (afterAt, afterID) = page.after.flatMap(Communication.parsePosition)
            .map { ($0.0.millisecondsSinceEpoch, $0.1) } ?? (Int64.max, "")
        let rows = try database.read { db in
            try db.query("SELECT" + Self.columns + """
                FROM communication WHERE case_id = ? AND (occurred_at, id) < (?, ?)
                ORDER BY occurred_at DESC, id DESC LIMIT ?
                """, [caseID, afterAt, page.after == nil ? "\u{10FFFF}" : afterID, page.limit + 1], Self.read)
        }
        return Page(fetched: rows, limit: page.limit) { $0.position }
    }

    static func read(_ row: Row) throws -> Communication {
        let compliance: ComplianceVerdict? = row.isNull(11) ? nil : ComplianceVerdict(
            violations: try ViolationRows.decode(row.string(12)), nextAllowedAt: row.instantOrNil(13))
        return try Communication(
            id: row.identifier(0), caseID: row.identifier(1), debtorID: row.identifier(2), channel: row.value(3, as: ContactChannel.self),
            direction: row.value(4, as: ContactDirection.self), outcome: row.value(5, as: ContactOutcome.self),
            occurredAt: row.instant(6), durationSeconds: row.intOrNil(7), summary: row.stringOrNil(8),
            content: row.stringOrNil(9), to: row.stringOrNil(10), compliance: compliance, recordedBy: row.string(14),
            recordedAt: row.instant(15))
    }
}

/// Violations stored as a JSON array with each violation's rule, message and next instant.
enum ViolationRows {
    static func encode(_ violations: [Violation]) -> String {
        JSONValue.array(violations.map { violation in
            .object([
                ("rule", .string(violation.rule.rawValue)), ("message", .string(violation.message)),
                ("next_allowed_at", violation.nextAllowedAt.map { .number(String($0.millisecondsSinceEpoch)) } ?? .null),
            ])
        }).compact
    }

    static func decode(_ text: String) throws -> [Violation] {
        if text == "[]" { return [] }  // most contacts break no rule
        guard case .array(let items)? = try? JSONParser.parse(Array(text.utf8)) else {
            throw CorruptDataError("stored violations are not a JSON array")
        }
        return try items.map { item in
            guard let rule = item["rule"]?.string.flatMap(ComplianceRuleName.init(rawValue:)),
                  let message = item["message"]?.string else { throw CorruptDataError("a stored violation is malformed") }
            return Violation(rule: rule, message: message,
                             nextAllowedAt: item["next_allowed_at"]?.int64.map(Instant.init(millisecondsSinceEpoch:)))
        }
    }
}

/// One statement per compliance history series (`HistoryRequest`): the key (the case, the debtor,
/// or the number and then the case), the window's bounds in milliseconds, the limit. Each is one
/// indexed range; those on `communication_case_channel` read nothing but the index (it covers
/// them: `CommunicationStoreTests` checks the plans). Lists of values are written as `OR` chains,
/// which SQLite compares in turn, not as `IN`, for which it builds a temporary b-tree each time.
enum HistorySQL {
    /// The case's outbound contacts on a channel (the calls, or the sms).
    static let caseOutbound: SQL = """
        SELECT occurred_at FROM communication INDEXED BY communication_case_channel
        WHERE case_id = ? AND channel = ? AND direction = 'outbound' AND occurred_at BETWEEN ? AND ?
        ORDER BY occurred_at DESC LIMIT ?
        """
    static let lastCaseRPCPhone: SQL = """
        SELECT occurred_at FROM communication INDEXED BY communication_case_rpc_phone
        WHERE case_id = ? AND outcome = 'connected_rpc' AND channel = 'phone' AND occurred_at BETWEEN ? AND ?
        ORDER BY occurred_at DESC LIMIT ?
        """
    static let debtorRPCPhoneToday: SQL = """
        SELECT occurred_at FROM communication INDEXED BY communication_debtor_reached
        WHERE debtor_id = ? AND outcome = 'connected_rpc' AND channel = 'phone' AND occurred_at BETWEEN ? AND ?
        ORDER BY occurred_at DESC LIMIT ?
        """
    /// The debtor's cases, for the number's series: a contact's debtor is its case's, so the
    /// debtor's unanswered calls to a number are among these cases' outbound calls of the day (a
    /// handful of short ranges; no index of its own on the number).
    static let debtorCases: SQL = "SELECT id FROM debt_case INDEXED BY debt_case_debtor WHERE debtor_id = ?"
    static let numberUnansweredOnCase: SQL = """
        SELECT occurred_at FROM communication INDEXED BY communication_case_channel
        WHERE case_id = ?2 AND channel = 'phone' AND direction = 'outbound' AND occurred_at BETWEEN ?3 AND ?4
          AND (outcome = 'no_answer' OR outcome = 'voicemail' OR outcome = 'busy') AND to_address = ?1
        ORDER BY occurred_at DESC LIMIT ?5
        """
    static let lastDebtorReached: SQL = """
        SELECT occurred_at FROM communication INDEXED BY communication_debtor_reached
        WHERE debtor_id = ? AND outcome = 'connected_rpc' AND occurred_at BETWEEN ? AND ?
        ORDER BY occurred_at DESC LIMIT ?
        """
}
