import ParleySQLite

/// The case timeline reads communications from their own table (`SQLiteCaseStore.timeline`), so
/// the copy each contact also wrote as a `case_event` row goes: one row and one index entry fewer
/// for every contact logged, the busiest write there is.
enum Migration0014 {
    static func apply(_ db: Connection) throws {
        try db.execute("DELETE FROM case_event WHERE kind = 'communication'")
    }
}
