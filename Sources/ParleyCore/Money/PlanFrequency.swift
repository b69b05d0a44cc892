/// How often plan instalments fall due.
public enum PlanFrequency: String, Sendable, CaseIterable {
    case weekly, biweekly, monthly

    /// The due date `periods` steps after `start`. Monthly steps keep `start`'s day as the anchor,
    /// clamped to shorter months (Jan 31 → Feb 28/29 → Mar 31), so one short month never drifts the rest.
    public func date(_ periods: Int, after start: CalendarDate) -> CalendarDate {
        switch self {
        case .weekly: start.adding(days: 7 * periods)
        case .biweekly: start.adding(days: 14 * periods)
        case .monthly: start.adding(months: periods, anchorDay: start.day)
        }
    }
}
