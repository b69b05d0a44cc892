import ParleySQLite

/// Builds the analytics rollups from the event tables in one pass (migration 0009 on a database
/// that already has events, and `parley generate`). Each source is read once, joined to its case,
/// and added up in memory by (dimension, day, currency, key, cday); a GROUP BY in SQL would sort
/// five rows per event, which takes several times longer on millions of events.
enum AnalyticsRollupRebuild {
    /// The value columns of `analytics_day`, in table order.
    enum Column: Int, CaseIterable {
        case cases, placed, collected, phoneAttempts, phoneRPC, violations, promisesKept, promisesBroken, plansCompleted,
             plansBroken, feedback, scoreCommunication, scoreAttitude, scoreResolution, npsAnswers, promoters, detractors,
             complaints, contactDays, contactDaysFollowed, conversationDays, conversationDaysFollowed
    }

    struct DayKey: Hashable {
        let dim: Int64, day: Int64, cday: Int64, currency: Int32, key: Int32
    }

    struct TotalKey: Hashable {
        let dim: Int64, currency: Int32, key: Int32
    }

    /// A case's currency and its key in each dimension (none, segment, agent, team, creditor), as
    /// indexes into `names`, and its creation day.
    struct CaseKeys {
        let currency: Int32
        let keys: [Int32]
        let createdDay: Int64
    }

    struct Accumulator {
        var names: [String] = []
        var index: [String: Int32] = [:]
        var days: [DayKey: [Int64]] = [:]
        var totals: [TotalKey: (Int64, Int64, Int64)] = [:]

        mutating func intern(_ name: String) -> Int32 {
            if let known = index[name] { return known }
            names.append(name)
            index[name] = Int32(names.count - 1)
            return Int32(names.count - 1)
        }

        /// Columns 0…5 of a row: currency, segment, agent, team, creditor, creation day.
        mutating func keys(_ row: Row, from column: Int32) -> CaseKeys {
            CaseKeys(currency: intern(row.string(column)),
                     keys: [intern("")] + (1...4).map { intern(row.string(column + Int32($0))) },
                     createdDay: row.int(column + 5))
        }

        mutating func add(_ c: CaseKeys, day: Int64, _ values: [(Column, Int64)]) {
            // An event dated before its case was created carries the case's creation day.
            let cday = day < c.createdDay ? c.createdDay : 0
            for (dim, key) in c.keys.enumerated() {
                let slot = DayKey(dim: Int64(dim), day: day, cday: cday, currency: c.currency, key: key)
                var row = days[slot] ?? [Int64](repeating: 0, count: Column.allCases.count)
                for (column, value) in values { row[column.rawValue] += value }
                days[slot] = row
            }
        }

        mutating func addTotal(_ c: CaseKeys, cases: Int64, placed: Int64, recovered: Int64) {
            for (dim, key) in c.keys.enumerated() {
                let slot = TotalKey(dim: Int64(dim), currency: c.currency, key: key)
                let old = totals[slot] ?? (0, 0, 0)
                totals[slot] = (old.0 + cases, old.1 + placed, old.2 + recovered)
            }
        }
    }

    static let caseColumns: SQL = """
        c.currency, coalesce(c.segment_override, c.segment), coalesce(c.assigned_to, ''), coalesce(c.team, ''), c.creditor,
        c.created_at / 86400000
        """

    static func run(_ db: Connection) throws {
        var a = Accumulator()
        try db.forEach("SELECT" + caseColumns + ", c.principal_minor + c.interest_minor + c.fees_minor FROM debt_case c") { row in
            let c = a.keys(row, from: 0)
            a.add(c, day: c.createdDay, [(.cases, 1), (.placed, row.int(6))])
            a.addTotal(c, cases: 1, placed: row.int(6), recovered: 0)
        }
        try db.forEach("SELECT" + caseColumns + """
            , p.paid_at / 86400000, p.amount_minor FROM payment p JOIN debt_case c ON c.id = p.case_id WHERE p.status = 'applied'
            """) { row in
            let c = a.keys(row, from: 0)
            a.add(c, day: row.int(6), [(.collected, row.int(7))])
            a.addTotal(c, cases: 0, placed: 0, recovered: row.int(7))
        }
        try db.forEach("SELECT" + caseColumns + """
            , m.occurred_at / 86400000, m.channel = 'phone' AND m.direction = 'outbound',
                m.channel = 'phone' AND m.direction = 'outbound' AND m.outcome = 'connected_rpc',
                CASE WHEN m.compliance_ok = 0 THEN json_array_length(m.violations) ELSE 0 END
            FROM communication m JOIN debt_case c ON c.id = m.case_id
            WHERE (m.channel = 'phone' AND m.direction = 'outbound') OR m.compliance_ok = 0
            """) { row in
            a.add(a.keys(row, from: 0), day: row.int(6), [(.phoneAttempts, row.int(7)), (.phoneRPC, row.int(8)), (.violations, row.int(9))])
        }
        try db.forEach("SELECT" + caseColumns + """
            , unixepoch(p.due_date) / 86400, p.status = 'kept', p.status = 'broken'
            FROM promise p JOIN debt_case c ON c.id = p.case_id WHERE p.status IN ('kept','broken')
            """) { row in
            a.add(a.keys(row, from: 0), day: row.int(6), [(.promisesKept, row.int(7)), (.promisesBroken, row.int(8))])
        }
        try db.forEach("SELECT" + caseColumns + """
            , p.updated_at / 86400000, p.status = 'completed', p.status = 'broken'
            FROM payment_plan p JOIN debt_case c ON c.id = p.case_id WHERE p.status IN ('completed','broken')
            """) { row in
            a.add(a.keys(row, from: 0), day: row.int(6), [(.plansCompleted, row.int(7)), (.plansBroken, row.int(8))])
        }
        try db.forEach("SELECT" + caseColumns + """
            , f.created_at / 86400000, f.score_communication, f.score_attitude, f.score_resolution, f.nps IS NOT NULL,
                coalesce(f.nps >= 9, 0), coalesce(f.nps <= 6, 0)
            FROM feedback f JOIN debt_case c ON c.id = f.case_id
            """) { row in
            a.add(a.keys(row, from: 0), day: row.int(6), [
                (.feedback, 1), (.scoreCommunication, row.int(7)), (.scoreAttitude, row.int(8)), (.scoreResolution, row.int(9)),
                (.npsAnswers, row.int(10)), (.promoters, row.int(11)), (.detractors, row.int(12)),
            ])
        }
        try db.forEach("SELECT" + caseColumns + ", k.created_at / 86400000 FROM complaint k JOIN debt_case c ON c.id = k.case_id") { row in
            a.add(a.keys(row, from: 0), day: row.int(6), [(.complaints, 1)])
        }
        try addContactDays(&a, db)
        try write(a, db)
    }

    /// Each case's outbound contacts in time order: a day per distinct day, followed unless it is
    /// the case's last; the same for conversations.
    static func addContactDays(_ a: inout Accumulator, _ db: Connection) throws {
        var current = ""
        var keys: CaseKeys?
        var contactDays: [Int64] = []
        var conversationDays: [Int64] = []
        func flush(_ a: inout Accumulator) {
            guard let keys else { return }
            for (index, day) in contactDays.enumerated() {
                a.add(keys, day: day, [(.contactDays, 1), (.contactDaysFollowed, index < contactDays.count - 1 ? 1 : 0)])
            }
            for (index, day) in conversationDays.enumerated() {
                a.add(keys, day: day, [(.conversationDays, 1), (.conversationDaysFollowed, index < conversationDays.count - 1 ? 1 : 0)])
            }
            contactDays.removeAll(keepingCapacity: true)
            conversationDays.removeAll(keepingCapacity: true)
        }
        try db.forEach("SELECT m.case_id," + caseColumns + """
            , m.occurred_at / 86400000, m.outcome IN ('connected_rpc','connected_third_party')
            FROM communication m INDEXED BY communication_case_time JOIN debt_case c ON c.id = m.case_id
            WHERE m.direction = 'outbound' ORDER BY m.case_id, m.occurred_at
            """) { row in
            let caseID = row.string(0)
            if caseID != current {
                flush(&a)
                current = caseID
                keys = a.keys(row, from: 1)
            }
            let day = row.int(7)
            if contactDays.last != day { contactDays.append(day) }
            if row.bool(8) && conversationDays.last != day { conversationDays.append(day) }
        }
        flush(&a)
    }

    /// Writes the day rows, and the month rows added up from them (the tables are empty here).
    static func write(_ a: Accumulator, _ db: Connection) throws {
        var months: [DayKey: [Int64]] = [:]
        for (key, values) in a.days {
            let month = AnalyticsRollupFold.monthStart(ofDay: key.day)
            let slot = DayKey(dim: key.dim, day: month, cday: key.cday, currency: key.currency, key: key.key)
            if var sum = months[slot] {
                for index in sum.indices { sum[index] += values[index] }
                months[slot] = sum
            } else {
                months[slot] = values
            }
        }
        try insert(a.days, into: "analytics_day", period: "day", names: a.names, db)
        try insert(months, into: "analytics_month", period: "month", names: a.names, db)
        for (key, total) in a.totals {
            try db.run("INSERT INTO analytics_total (dim, currency, key, cases, placed_minor, recovered_minor) VALUES (?, ?, ?, ?, ?, ?)") { b in
                b.bind(key.dim); b.bind(a.names[Int(key.currency)]); b.bind(a.names[Int(key.key)]); b.bind(total.0); b.bind(total.1); b.bind(total.2)
            }
        }
    }

    private static func insert(_ rows: [DayKey: [Int64]], into table: SQL, period: SQL, names: [String], _ db: Connection) throws {
        let rows = Array(rows)
        let perInsert = 500
        for start in stride(from: 0, to: rows.count, by: perInsert) {
            let chunk = rows[start..<min(start + perInsert, rows.count)]
            try db.run("INSERT INTO" + table + "(dim," + period + """
                , currency, key, cday, cases, placed_minor, collected_minor, phone_attempts, phone_rpc,
                    violations, promises_kept, promises_broken, plans_completed, plans_broken, feedback, score_communication,
                    score_attitude, score_resolution, nps_answers, promoters, detractors, complaints, contact_days,
                    contact_days_followed, conversation_days, conversation_days_followed) VALUES
                """ + SQL.repeated("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count)) { b in
                for (key, values) in chunk {
                    b.bind(key.dim); b.bind(key.day); b.bind(names[Int(key.currency)]); b.bind(names[Int(key.key)]); b.bind(key.cday)
                    for value in values { b.bind(value) }
                }
            }
        }
    }
}
