/// One instalment as agreed: its place in the plan, when it is due and how much.
public struct ScheduledInstallment: Sendable, Equatable {
    /// 1-based position in the plan.
    public let seq: Int
    public let dueDate: CalendarDate
    public let amountMinor: Int64

    public init(seq: Int, dueDate: CalendarDate, amountMinor: Int64) {
        self.seq = seq
        self.dueDate = dueDate
        self.amountMinor = amountMinor
    }
}
