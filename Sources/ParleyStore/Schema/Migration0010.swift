import ParleySQLite

/// The analytics triggers stage their rows in `analytics_day_delta` instead of upserting the day
/// and month rows themselves; `AnalyticsRollupFold` adds the staged rows in before each commit.
/// Communications lose their two triggers: the store stages their rows itself
/// (`AnalyticsCommunicationRollup`). The rollups built so far stay as they are.
enum Migration0010 {
    static let triggers: [SQL] = [
        "analytics_day_month_insert", "analytics_day_month_update", "analytics_payment_insert", "analytics_payment_status",
        "analytics_promise_insert", "analytics_promise_update", "analytics_plan_insert", "analytics_plan_update",
        "analytics_feedback_insert", "analytics_complaint_insert", "analytics_communication_counts",
        "analytics_communication_days", "analytics_case_moved",
    ]

    static func apply(_ db: Connection) throws {
        for trigger in triggers { try db.execute("DROP TRIGGER IF EXISTS" + trigger) }
        try AnalyticsRollupTriggers.create(db)
    }
}
