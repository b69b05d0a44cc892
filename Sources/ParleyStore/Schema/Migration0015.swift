import ParleySQLite

/// Two indexes on a case's contacts instead of three, each covering what reads it:
/// - `communication_case_channel (case_id, channel, direction, occurred_at, outcome, to_address)`
///   serves the per-case history series of a channel and direction (the calls, the sms), one
///   range each that stops at the series' limit however many contacts of other channels the
///   window holds, and the unanswered-per-number series (read through the debtor's cases);
/// - `communication_case_time (case_id, occurred_at, id, direction, outcome)` serves the list,
///   the timeline and the analytics contact-day seeks, which read a contact's row for its
///   direction and outcome before.
/// `communication_number_unanswered` goes. Every index keyed by the case or the number puts a
/// contact it holds at a random place, a page written for each: the three indexes were three
/// quarters of the pages a group of contacts wrote to the WAL (the number's, which held every
/// unanswered outbound call, a fifth).
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
