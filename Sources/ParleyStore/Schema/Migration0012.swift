import ParleySQLite

/// `communication_outbound_time` becomes `(occurred_at, id, case_id, outcome, direction)`: ids grow
/// with recording time, so a contact recorded now lands at the end of the index instead of at its
/// case's place among the contacts of the same instant (a batch of contacts logged for one time
/// dirtied a page each). With `direction` in it (SQLite does not take the column from the partial
/// index's condition), it covers the analytics read of a range's outbound contacts by case, which
/// before read each contact's row.
enum Migration0012 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            DROP INDEX communication_outbound_time;
            CREATE INDEX communication_outbound_time ON communication(occurred_at, id, case_id, outcome, direction)
                WHERE direction = 'outbound';
            """)
    }
}
