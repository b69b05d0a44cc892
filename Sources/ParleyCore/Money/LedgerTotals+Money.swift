/// The ledger update as pure functions: payments add to the paid totals, waivers to the waived
/// totals, and each has an exact inverse so reversals restore the ledger to the unit.
extension LedgerTotals {
    public func applyingPayment(_ split: ComponentSplit) -> LedgerTotals {
        var next = self
        next.paidFees += split.feesMinor
        next.paidInterest += split.interestMinor
        next.paidPrincipal += split.principalMinor
        return next
    }

    public func removingPayment(_ split: ComponentSplit) -> LedgerTotals {
        applyingPayment(ComponentSplit(feesMinor: -split.feesMinor, interestMinor: -split.interestMinor,
                                       principalMinor: -split.principalMinor))
    }

    public func applyingWaiver(_ split: ComponentSplit) -> LedgerTotals {
        var next = self
        next.waivedFees += split.feesMinor
        next.waivedInterest += split.interestMinor
        next.waivedPrincipal += split.principalMinor
        return next
    }

    public func removingWaiver(_ split: ComponentSplit) -> LedgerTotals {
        applyingWaiver(ComponentSplit(feesMinor: -split.feesMinor, interestMinor: -split.interestMinor,
                                      principalMinor: -split.principalMinor))
    }
}

extension Balance {
    /// The same placed amounts over another ledger.
    public func with(ledger: LedgerTotals) -> Balance {
        Balance(principalMinor: principalMinor, interestMinor: interestMinor, feesMinor: feesMinor, ledger: ledger)
    }

    public func applyingPayment(_ split: ComponentSplit) -> Balance { with(ledger: ledger.applyingPayment(split)) }
    public func removingPayment(_ split: ComponentSplit) -> Balance { with(ledger: ledger.removingPayment(split)) }
    public func applyingWaiver(_ split: ComponentSplit) -> Balance { with(ledger: ledger.applyingWaiver(split)) }
    public func removingWaiver(_ split: ComponentSplit) -> Balance { with(ledger: ledger.removingWaiver(split)) }
}
