import ParleyCore
import ParleySQLite

/// Stages a new communication's analytics rows (see `AnalyticsRollupFold`), in the transaction
/// that inserts it: phone attempts, conversations and violations by day, and the contact days of
/// migration 0009.
///
/// The other events keep their rollups by triggers. Communications are the most frequent write:
/// a trigger costs SQLite about 20 µs a firing before it does anything, and rows written to the
/// staging table are read back and deleted by the fold. So the rows are worked out here, with a
/// few index seeks (up to two per kind of day: contact, conversation), and staged in memory on
/// the connection (`Connection.stage`), where a rolled back savepoint drops them with its changes.
/// `SQLiteCommunicationStore` is the only code that inserts communications into a database whose
/// rollups exist (the world generator inserts its rows before migration 0009 and rebuilds them
/// there), so it calls this.
enum AnalyticsCommunicationRollup {
    private static let millisecondsPerDay: Int64 = 86_400_000

    static func add(_ c: Communication, caseAsRead: DebtCase? = nil, _ db: Connection) throws {
        let phoneAttempt = c.channel == .phone && c.direction == .outbound
        let violations = Int64(c.compliance.map { $0.ok ? 0 : $0.violations.count } ?? 0)
        // An inbound contact without violations counts nowhere.
        guard c.direction == .outbound || violations > 0 else { return }
        // The case as read in this transaction, or read here: a caller may hold an older copy of
        // the case (the message dispatcher reads it before delivering), and rows staged under a
        // stale agent or segment would drift from the rollups' current keys.
        let groups: AnalyticsCaseGroups
        if let caseAsRead, caseAsRead.id == c.caseID {
            groups = AnalyticsCaseGroups(caseAsRead)
        } else if let read = try db.queryFirst(caseGroups, [c.caseID], AnalyticsCaseGroups.init(row:)) {
            groups = read
        } else {
            throw CorruptDataError("communication \(c.id) names a missing case")
        }
        let day = c.occurredAt.millisecondsSinceEpoch / millisecondsPerDay
        if phoneAttempt || violations > 0 {
            var delta = AnalyticsDayDelta(groups: groups, day: day)
            if phoneAttempt { delta.add(.phoneAttempts, 1) }
            if phoneAttempt && c.outcome == .connectedRPC { delta.add(.phoneRPC, 1) }
            if violations > 0 { delta.add(.violations, violations) }
            db.stage(delta)
        }
        guard c.direction == .outbound else { return }
        try addContactDay(c, day: day, groups: groups, conversationsOnly: false, db)
        if c.outcome == .connectedRPC || c.outcome == .connectedThirdParty {
            try addContactDay(c, day: day, groups: groups, conversationsOnly: true, db)
        }
    }

    /// When `c` makes `day` a new contact day of its case (a new conversation day, for
    /// `conversationsOnly`): the day counts, followed when a later such day exists; and when none
    /// does, the previous such day, the last until now, becomes followed.
    private static func addContactDay(_ c: Communication, day: Int64, groups: AnalyticsCaseGroups, conversationsOnly: Bool,
                                      _ db: Connection) throws {
        let statements = conversationsOnly ? conversationDays : contactDays
        let dayStart = day * millisecondsPerDay, nextDayStart = (day + 1) * millisecondsPerDay
        // One seek tells both: another such contact on the day (then the day is not new), or a later day.
        let following = try db.queryFirst(statements.following, [c.caseID, dayStart, c.id]) { $0.int(0) }
        if let following, following < nextDayStart { return }
        let later = following != nil
        var delta = AnalyticsDayDelta(groups: groups, day: day)
        delta.add(conversationsOnly ? .conversationDays : .contactDays, 1)
        if later { delta.add(conversationsOnly ? .conversationDaysFollowed : .contactDaysFollowed, 1) }
        db.stage(delta)
        guard !later, let previous = try db.queryFirst(statements.previous, [c.caseID, dayStart], { $0.int(0) }) else { return }
        var followed = AnalyticsDayDelta(groups: groups, day: previous / millisecondsPerDay)
        followed.add(conversationsOnly ? .conversationDaysFollowed : .contactDaysFollowed, 1)
        db.stage(followed)
    }

    /// The case's grouping keys, as `analytics_case_group` gives them.
    static let caseGroups: SQL = """
        SELECT coalesce(segment_override, segment), coalesce(assigned_to, ''), coalesce(team, ''), creditor, currency,
            created_at / 86400000
        FROM debt_case WHERE id = ?
        """

    /// The two seeks of a contact day, on the case's contacts by time: the first such contact
    /// from ?2 on other than ?3 (on the day, or the first of a later day), the last before ?2.
    struct DayStatements {
        let following: SQL, previous: SQL
    }

    static let contactDays = DayStatements(
        following: """
            SELECT occurred_at FROM communication INDEXED BY communication_case_time
            WHERE case_id = ?1 AND occurred_at >= ?2 AND direction = 'outbound' AND id <> ?3 ORDER BY occurred_at LIMIT 1
            """,
        previous: """
            SELECT occurred_at FROM communication INDEXED BY communication_case_time
            WHERE case_id = ?1 AND occurred_at < ?2 AND direction = 'outbound' ORDER BY occurred_at DESC LIMIT 1
            """)

    static let conversationDays = DayStatements(
        following: """
            SELECT occurred_at FROM communication INDEXED BY communication_case_time
            WHERE case_id = ?1 AND occurred_at >= ?2 AND direction = 'outbound'
                AND outcome IN ('connected_rpc', 'connected_third_party') AND id <> ?3 ORDER BY occurred_at LIMIT 1
            """,
        previous: """
            SELECT occurred_at FROM communication INDEXED BY communication_case_time
            WHERE case_id = ?1 AND occurred_at < ?2 AND direction = 'outbound'
                AND outcome IN ('connected_rpc', 'connected_third_party') ORDER BY occurred_at DESC LIMIT 1
            """)
}

/// The rollup groupings of one case (`analytics_case_group`): dimension 0 is every case, then
/// its segment, agent, team and creditor; with its currency and the day it was placed.
struct AnalyticsCaseGroups {
    let keys: [String]
    let currency: String
    let placedDay: Int64

    init(row: Row) {
        keys = ["", row.string(0), row.string(1), row.string(2), row.string(3)]
        currency = row.string(4)
        placedDay = row.int(5)
    }

    /// The same keys from the case itself (`caseGroups` reads them from its row).
    init(_ c: DebtCase) {
        keys = ["", (c.segmentOverride ?? c.segment).rawValue, c.assignedTo ?? "", c.team ?? "", c.creditor]
        currency = c.currency
        placedDay = c.createdAt.millisecondsSinceEpoch / 86_400_000
    }

    /// The `cday` of a row for `day`: a day before the case was placed is kept apart under the
    /// placement day (migration 0009), any other under 0.
    func cday(for day: Int64) -> Int64 { day < placedDay ? placedDay : 0 }
}

/// Amounts to add to one day's rollup rows of every grouping of a case, staged in memory for
/// `AnalyticsRollupFold`.
struct AnalyticsDayDelta {
    let groups: AnalyticsCaseGroups
    let day: Int64
    private(set) var amounts: [(column: AnalyticsRollupColumn, amount: Int64)] = []

    init(groups: AnalyticsCaseGroups, day: Int64) {
        self.groups = groups
        self.day = day
    }

    mutating func add(_ column: AnalyticsRollupColumn, _ amount: Int64) { amounts.append((column, amount)) }
}

/// The rollup columns a communication adds to.
enum AnalyticsRollupColumn: String, CaseIterable {
    case phoneAttempts = "phone_attempts", phoneRPC = "phone_rpc", violations
    case contactDays = "contact_days", contactDaysFollowed = "contact_days_followed"
    case conversationDays = "conversation_days", conversationDaysFollowed = "conversation_days_followed"

    /// Its place in `AnalyticsRollupTriggers.valueColumns`.
    var index: Int { Self.indices[self]! }

    private static let indices = Dictionary(uniqueKeysWithValues: allCases.map { column in
        (column, AnalyticsRollupTriggers.valueColumns.firstIndex { $0.text == column.rawValue }!)
    })
}
