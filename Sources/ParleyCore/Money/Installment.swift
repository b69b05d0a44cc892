/// An instalment of a stored plan: the schedule plus what has been paid towards it.
public struct Installment: Sendable, Equatable {
    public let seq: Int
    public let dueDate: CalendarDate
    public let amountMinor: Int64
    public var paidMinor: Int64
    public var status: InstallmentStatus

    public init(seq: Int, dueDate: CalendarDate, amountMinor: Int64, paidMinor: Int64 = 0, status: InstallmentStatus = .pending) {
        self.seq = seq
        self.dueDate = dueDate
        self.amountMinor = amountMinor
        self.paidMinor = paidMinor
        self.status = status
    }

    public init(_ scheduled: ScheduledInstallment) {
        self.init(seq: scheduled.seq, dueDate: scheduled.dueDate, amountMinor: scheduled.amountMinor)
    }

    public var unpaidMinor: Int64 { max(0, amountMinor - paidMinor) }
    public var isPaid: Bool { paidMinor >= amountMinor }
}
