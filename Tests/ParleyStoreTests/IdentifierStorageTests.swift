import ParleyCore
import ParleySQLite
@testable import ParleyStore
import ParleyTestSupport
import Testing

/// A typed id is stored as its plain text and read back as the same typed id.
@Suite struct IdentifierStorageTests {
    private func withTable(_ body: (DatabasePool) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            let pool = try DatabasePool(configuration: DatabaseConfiguration(path: directory + "/ids.db"))
            try pool.write { try $0.execute("CREATE TABLE ref (case_id TEXT NOT NULL, debtor_id TEXT) STRICT") }
            try body(pool)
        }
    }

    @Test func boundAsTextAndReadBack() throws {
        try withTable { pool in
            let caseID = CaseID("case_01JD"), debtorID = DebtorID("dbt_01JD")
            _ = try pool.write { try $0.run("INSERT INTO ref (case_id, debtor_id) VALUES (?, ?)", [caseID, debtorID]) }
            _ = try pool.write { db in
                try db.run("INSERT INTO ref (case_id, debtor_id) VALUES (?, ?)") { binder in
                    binder.bind(CaseID("case_02JD"))
                    binder.bind(DebtorID?.none)
                }
            }
            let rows = try pool.read { db in
                try db.query("SELECT case_id, debtor_id, typeof(case_id) FROM ref ORDER BY case_id") { row -> (CaseID, DebtorID?, String) in
                    (row.identifier(0), row.identifierOrNil(1), row.string(2))
                }
            }
            #expect(rows.count == 2)
            #expect(rows[0].0 == caseID && rows[0].1 == debtorID && rows[0].2 == "text")
            #expect(rows[1].0 == CaseID("case_02JD") && rows[1].1 == nil)
            // Found by the plain text too: the SQL is unchanged.
            let count = try pool.read { try $0.queryFirst("SELECT count(*) FROM ref WHERE case_id = ?", ["case_01JD"]) { $0.int(0) } }
            #expect(count == 1)
        }
    }
}
