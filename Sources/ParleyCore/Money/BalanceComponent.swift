/// The three parts of a case balance, in the order payments settle them.
public enum BalanceComponent: String, Sendable, CaseIterable {
    case fees, interest, principal

    /// What is still owed on this component of `balance`.
    public func outstanding(in balance: Balance) -> Int64 {
        switch self {
        case .fees: balance.feesOutstanding
        case .interest: balance.interestOutstanding
        case .principal: balance.principalOutstanding
        }
    }
}
