import ParleySQLite

/// `debtor_contact` gains a leading `generation`: the debtor table's highest rowid when the contact
/// is written, divided by 16,384 (`DebtorRows.contactGeneration`); rows moved here get their own
/// debtor's rowid, divided the same way. Keyed by the value alone, a
/// bulk import's new numbers and addresses landed at random places in the whole index, so every
/// import transaction rewrote most of its pages and cost grew with the book (half of the bytes
/// written at 500,000 rows). Now they land among the newest generation's entries; a search looks
/// the value up in each generation (one seek each, a few dozen at a million debtors).
enum Migration0013 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE debtor_contact_rebuilt (
                generation INTEGER NOT NULL,
                value TEXT NOT NULL,
                debtor_id TEXT NOT NULL REFERENCES debtor(id),
                PRIMARY KEY (generation, value, debtor_id)
            ) STRICT, WITHOUT ROWID;
            INSERT INTO debtor_contact_rebuilt (generation, value, debtor_id)
                SELECT d.rowid >> 14, c.value, c.debtor_id
                FROM debtor_contact c JOIN debtor d ON d.id = c.debtor_id;
            DROP TABLE debtor_contact;
            ALTER TABLE debtor_contact_rebuilt RENAME TO debtor_contact;
            """)
    }
}
