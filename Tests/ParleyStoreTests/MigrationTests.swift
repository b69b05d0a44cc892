import ParleyCore
import ParleySQLite
import ParleyStore
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
            #expect(applied == ["0013-contact-index-by-generation"])
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
}
