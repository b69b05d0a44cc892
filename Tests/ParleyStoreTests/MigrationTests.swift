import ParleyCore
import ParleySQLite
@testable import ParleyStore
import ParleyTestSupport
import Testing

/// Migrations that rebuild a table keep what was in it.
@Suite struct MigrationTests {
    @Test func contactsKeyedByValueMoveIntoGenerationsAndStayFindable() throws {
        try withTemporaryDirectory { directory in
            let pool = try DatabasePool(configuration: DatabaseConfiguration(path: directory + "/old.db"))
            try Schema.migrate(pool, stoppingBefore: "0013-contact-index-by-generation")
            try pool.write { db in
                try db.run("""
                    INSERT INTO debtor (rowid, id, name, timezone, phones, emails, version, created_at, updated_at) VALUES
                        (1, 'dbt_1', 'Ann', 'UTC', '[]', '[]', 1, 0, 0), (20000, 'dbt_2', 'Bob', 'UTC', '[]', '[]', 1, 0, 0)
                    """)
                try db.run("""
                    INSERT INTO debtor_contact (value, debtor_id) VALUES
                        ('+447700900001', 'dbt_1'), ('ann@example.com', 'dbt_1'), ('+447700900001', 'dbt_2')
                    """)
            }
            let applied = try Schema.migrate(pool)
            #expect(applied.first == "0013-contact-index-by-generation")
            let rows = try pool.read { db in
                try db.query("SELECT generation, value, debtor_id FROM debtor_contact ORDER BY generation, value") {
                    "\($0.int(0)) \($0.string(1)) \($0.string(2))"
                }
            }
            #expect(rows == ["0 +447700900001 dbt_1", "0 ann@example.com dbt_1", "1 +447700900001 dbt_2"])
            let found = try SQLiteDebtorStore(database: pool)
                .debtors(DebtorFilter(query: "+447700900001"), scope: .all, page: PageRequest(limit: 10)).items.map(\.id.rawValue)
            #expect(found == ["dbt_1", "dbt_2"])
        }
    }

    /// A payment's record made before the upgrade still replays after it (a retry must not pay twice),
    /// and nothing of it is left in the clear.
    @Test func idempotencyRecordsMoveOverSealedAndStillReplay() throws {
        try withTemporaryDirectory { directory in
            let pool = try DatabasePool(configuration: DatabaseConfiguration(path: directory + "/old.db"))
            try Schema.migrate(pool, stoppingBefore: "0017-idempotency-records-sealed")
            let now = Instant(millisecondsSinceEpoch: 1_800_000_000_000)
            _ = try pool.write { db in
                try db.run("""
                    INSERT INTO idempotency_record (scope, key, request_hash, response, created_at)
                    VALUES ('usr_1 POST /v1/cases/c/payments', 'pay-7', 'h', CAST('201' || char(10, 10) || '{"id":"pay_1"}' AS BLOB), ?)
                    """, [now.millisecondsSinceEpoch - 1_000])
            }
            #expect(try Schema.migrate(pool) == ["0017-idempotency-records-sealed"])
            let store = SQLiteIdempotencyStore(database: pool)
            let key = IdempotencyKey(scope: "usr_1 POST /v1/cases/c/payments", key: "pay-7")
            let replay = try store.perform(key, requestHash: "h", at: now) {
                Issue.record("the payment ran again")
                return IdempotentResult(value: (), recorded: [], keepsChanges: true)
            }
            guard case .replay(let recorded) = replay else { Issue.record("no replay after the upgrade"); return }
            #expect(String(decoding: recorded, as: UTF8.self) == "201\n\n{\"id\":\"pay_1\"}")
            let stored = try pool.read { db in
                try db.queryFirst("SELECT id, response FROM idempotency_sealed") { $0.string(0) + String(decoding: $0.blob(1), as: UTF8.self) }
            }
            #expect(stored.map { !$0.contains("pay_1") && !$0.contains("pay-7") && !$0.contains("usr_1") } == true)
            let tables = try pool.read { db in try db.query("SELECT name FROM sqlite_schema WHERE name = 'idempotency_record'") { $0.string(0) } }
            #expect(tables.isEmpty)
        }
    }

    @Test func contactsCopiedIntoCaseEventsLeaveTheTimelineOnceEach() throws {
        try StoreFixture.with(stoppingBefore: "0014-timeline-reads-communications") { f in
            try f.insertDebtorWithCase()
            try f.communications.insert(Communication(
                id: "com_1", caseID: "case_1", debtorID: "dbt_1", channel: .sms, direction: .inbound, outcome: .delivered,
                occurredAt: StoreFixture.at(10), durationSeconds: nil, summary: nil, content: nil, to: nil, compliance: nil,
                recordedBy: "usr_a", recordedAt: StoreFixture.at(10)), alerts: [], audit: [], events: [], actor: StoreFixture.actor)
            // What earlier releases stored besides the contact: its copy, and an event of another kind.
            _ = try f.pool.write { db in
                try db.run("""
                    INSERT INTO case_event (case_id, at, kind, actor, summary, ref) VALUES
                        ('case_1', ?1, 'communication', 'usr_a', 'Inbound sms: delivered', 'com_1'),
                        ('case_1', ?1, 'transition', 'usr_a', 'Status open → contacted', 'com_1')
                    """, [StoreFixture.at(10).millisecondsSinceEpoch])
            }
            #expect(try Schema.migrate(f.pool).first == "0014-timeline-reads-communications")
            let timeline = try f.cases.timeline(caseID: "case_1", page: PageRequest(limit: 10)).items
            #expect(timeline.map(\.kind) == [.created, .communication, .transition])
            #expect(timeline[1].summary == "Inbound sms: delivered" && timeline[1].ref == "com_1")
        }
    }

    @Test func contactsStayInTheirHistoryWhenTheCaseIndexIsRebuilt() throws {
        try StoreFixture.with(stoppingBefore: "0015-covering-indexes-of-a-cases-contacts") { f in
            try f.insertDebtorWithCase()
            for (n, outcome) in [ContactOutcome.noAnswer, .voicemail, .connectedRPC].enumerated() {
                try f.communications.insert(Communication(
                    id: CommunicationID("com_\(n)"), caseID: "case_1", debtorID: "dbt_1", channel: .phone, direction: .outbound,
                    outcome: outcome, occurredAt: StoreFixture.at(Int64(n) * 10), durationSeconds: nil, summary: nil, content: nil,
                    to: "+447700900001", compliance: ComplianceVerdict(violations: [], nextAllowedAt: nil),
                    recordedBy: "usr_a", recordedAt: StoreFixture.at(Int64(n) * 10)), alerts: [], audit: [], events: [], actor: StoreFixture.actor)
            }
            #expect(try Schema.migrate(f.pool).first == "0015-covering-indexes-of-a-cases-contacts")
            let window = HistoryRequest.Series(since: StoreFixture.at(0), until: StoreFixture.at(100), limit: 10)
            let history = try f.communications.history(HistoryRequest(casePhoneAttempts: window, numberUnansweredToday: window),
                                                       caseID: "case_1", debtorID: "dbt_1", to: "+447700900001")
            #expect(history.casePhoneAttempts == [StoreFixture.at(20), StoreFixture.at(10), StoreFixture.at(0)])
            #expect(history.numberUnansweredToday == [StoreFixture.at(10), StoreFixture.at(0)])
            let listed = try f.communications.communications(caseID: "case_1", page: PageRequest(limit: 10)).items.map(\.id.rawValue)
            #expect(listed == ["com_2", "com_1", "com_0"])
        }
    }

    @Test func listChecksBecomeChainsOfComparisons() {
        #expect(Migration0016.chainingListChecks("a TEXT CONSTRAINT a_kind CHECK (a IN ('x','y_z', 'w')),")
                == "a TEXT CONSTRAINT a_kind CHECK (a = 'x' OR a = 'y_z' OR a = 'w'),")
        let pair = "d TEXT CHECK (d IN ('outbound','inbound'))"
        #expect(Migration0016.chainingListChecks(pair) == pair)
    }

    /// No write builds a temporary b-tree for a CHECK, and each constraint still refuses what it refused.
    @Test func checksOverListsStillHoldWithoutATemporaryTable() throws {
        try StoreFixture.with { f in
            try f.insertDebtorWithCase()
            let (lists, plan) = try f.pool.read { db in
                // Tables whose definition still holds a list of three or more values.
                let list = /(?i)\bIN\s*\(\s*'[^']*'\s*,\s*'[^']*'\s*,/
                let lists = try db.query("SELECT name, sql FROM sqlite_schema WHERE type = 'table'") { ($0.string(0), $0.string(1)) }
                    .filter { $0.1.contains(list) }.map(\.0)
                let insert = "INSERT INTO communication (" + SQLiteCommunicationStore.columns
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                let plan = try db.query("EXPLAIN" + insert, Array(repeating: Int64(0), count: 16)) { $0.string(1) }
                return (lists, plan)
            }
            #expect(lists.isEmpty, "\(lists)")
            #expect(!plan.contains("OpenEphemeral"), "\(plan)")
            func insert(channel: String) throws {
                _ = try f.pool.write { db in
                    try db.run("""
                        INSERT INTO communication (id, case_id, debtor_id, channel, direction, outcome, occurred_at, violations, recorded_by, recorded_at)
                        VALUES ('com_' || ?1, 'case_1', 'dbt_1', ?1, 'outbound', 'no_answer', 0, '[]', 'usr_a', 0)
                        """, [channel])
                }
            }
            try insert(channel: "portal")
            #expect { try insert(channel: "fax") } throws: { "\($0)".contains("communication_channel") }
        }
    }

    /// A connection that parsed the old definitions reads the new ones once it next reads the
    /// database (the schema version moved). EXPLAIN alone runs nothing, so a real read comes first,
    /// and the statement after it is new text (a cached one keeps the program it was given).
    @Test func aReaderOpenBeforeTheRewriteReadsTheNewChecks() throws {
        try StoreFixture.with(stoppingBefore: "0016-check-lists-compared-one-by-one") { f in
            let insert = "EXPLAIN INSERT INTO communication (" + SQLiteCommunicationStore.columns
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            let arguments: [any SQLBindable] = Array(repeating: Int64(0), count: 16)
            // Readers are taken last-returned first: sequential reads use the same connection.
            let before = try f.pool.read { db in try db.query(insert, arguments) { $0.string(1) } }
            #expect(before.contains("OpenEphemeral"))
            #expect(try Schema.migrate(f.pool).first == "0016-check-lists-compared-one-by-one")
            let after = try f.pool.read { db in
                _ = try db.query("SELECT count(*) FROM communication") { $0.int(0) }
                return try db.query(insert + "-- after the migration", arguments) { $0.string(1) }
            }
            #expect(!after.contains("OpenEphemeral"))
        }
    }
}
