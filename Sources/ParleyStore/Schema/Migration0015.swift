import ParleySQLite

/// One index on a case's contacts instead of three. `communication_case_time` gains the channel,
/// direction, outcome and number, so it covers every per-case history series, the analytics
/// contact-day seeks and the unanswered-per-number series (read through the debtor's cases);
/// `communication_case_channel` and `communication_number_unanswered` go. Both were keyed by a
/// value that lands at a random place (the case, the number), so every contact logged dirtied a
/// page of each: three quarters of the pages a group of contacts wrote to the WAL were those three
/// indexes' leaves, now one.
enum Migration0015 {
    static func apply(_ db: Connection) throws {
        try db.execute("""
            DROP INDEX communication_case_channel;
            DROP INDEX communication_number_unanswered;
            DROP INDEX communication_case_time;
            CREATE INDEX communication_case_time
                ON communication(case_id, occurred_at, id, channel, direction, outcome, to_address);
            """)
    }
}
