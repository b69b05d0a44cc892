import ParleySQLite

/// Two indexes on a case's contacts instead of three, each covering what reads it:
/// - `communication_case_channel (case_id, channel, direction, occurred_at, outcome, to_address)`
///   serves every per-case history series, the unanswered-per-number series included (read
///   through the debtor's cases), one range each that stops at the series' limit however many
///   contacts of other channels the window holds;
/// - `communication_case_time (case_id, occurred_at, id, direction, outcome)` serves the list,
///   the timeline and the analytics contact-day seeks, which read a contact's row for its
///   direction and outcome before.
/// `communication_number_unanswered` goes. Every index keyed by the case or the number puts a
/// logged contact at a random place, so each costs a page written per contact: over a third of
/// the pages a group of contacts wrote to the WAL were that index's.
enum Migration0015 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            DROP INDEX communication_number_unanswered;
            DROP INDEX communication_case_channel;
            CREATE INDEX communication_case_channel
                ON communication(case_id, channel, direction, occurred_at, outcome, to_address);
            DROP INDEX communication_case_time;
            CREATE INDEX communication_case_time ON communication(case_id, occurred_at, id, direction, outcome);
            """)
    }
}
