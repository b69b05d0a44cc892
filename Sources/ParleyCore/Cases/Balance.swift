/// The money of a case, derived in one place from its placed amounts and its ledger totals
/// (payments and waivers by component). Every response and rule reads the balance from here.
public struct Balance: Sendable, Equatable {
    public let principalMinor: Int64
    public let interestMinor: Int64
    public let feesMinor: Int64
    public let ledger: LedgerTotals

    public init(principalMinor: Int64, interestMinor: Int64, feesMinor: Int64, ledger: LedgerTotals) {
        self.principalMinor = principalMinor
        self.interestMinor = interestMinor
        self.feesMinor = feesMinor
        self.ledger = ledger
    }

    public var placedMinor: Int64 { principalMinor + interestMinor + feesMinor }
    public var paidMinor: Int64 { ledger.paidFees + ledger.paidInterest + ledger.paidPrincipal }
    public var waivedMinor: Int64 { ledger.waivedFees + ledger.waivedInterest + ledger.waivedPrincipal }
    /// principal + interest + fees − paid − waived, never negative.
    public var balanceMinor: Int64 { max(0, placedMinor - paidMinor - waivedMinor) }

    public var feesOutstanding: Int64 { max(0, feesMinor - ledger.paidFees - ledger.waivedFees) }
    public var interestOutstanding: Int64 { max(0, interestMinor - ledger.paidInterest - ledger.waivedInterest) }
    public var principalOutstanding: Int64 { max(0, principalMinor - ledger.paidPrincipal - ledger.waivedPrincipal) }
}

/// Running totals of what was paid and waived, per component (fees, interest, principal).
public struct LedgerTotals: Sendable, Equatable {
    public var paidFees: Int64 = 0
    public var paidInterest: Int64 = 0
    public var paidPrincipal: Int64 = 0
    public var waivedFees: Int64 = 0
    public var waivedInterest: Int64 = 0
    public var waivedPrincipal: Int64 = 0
    public init() {}
}
