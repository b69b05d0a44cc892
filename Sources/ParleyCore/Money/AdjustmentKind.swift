/// What an adjustment forgives.
public enum AdjustmentKind: String, Sendable, CaseIterable {
    case feeWaiver = "fee_waiver"
    case interestWaiver = "interest_waiver"
    case settlementDiscount = "settlement_discount"

    /// The order in which the waiver consumes the balance components.
    ///
    /// A waiver first reduces the component it names; an approved amount beyond that component's
    /// outstanding spills over in the payment order (fees, interest, principal), so the balance
    /// always drops by exactly the approved amount. `settlement_discount` names no component and
    /// uses the payment order itself: fees and interest are forgiven before principal, and the
    /// principal — what the creditor lent — is the last thing given up.
    public var waiverOrder: [BalanceComponent] {
        switch self {
        case .feeWaiver: [.fees, .interest, .principal]
        case .interestWaiver: [.interest, .fees, .principal]
        case .settlementDiscount: [.fees, .interest, .principal]
        }
    }

    /// The waiver of `amount` against `balance`, by component; nil when it exceeds the balance.
    public func waiver(of amount: Int64, against balance: Balance) -> ComponentSplit? {
        guard amount > 0, amount <= balance.balanceMinor else { return nil }
        return ComponentSplit.filling(amount, from: balance, in: waiverOrder)
    }
}

public enum AdjustmentStatus: String, Sendable, CaseIterable {
    case applied
    case pendingApproval = "pending_approval"
    case rejected
    /// A settlement waiver a payment reversal took back (its plan reopened).
    case reversed
}
