/// An amount broken down by balance component. Payments and waivers both record one, so the
/// ledger can be updated and later undone by exactly the same numbers.
public struct ComponentSplit: Sendable, Equatable {
    public var feesMinor: Int64
    public var interestMinor: Int64
    public var principalMinor: Int64

    public init(feesMinor: Int64 = 0, interestMinor: Int64 = 0, principalMinor: Int64 = 0) {
        self.feesMinor = feesMinor
        self.interestMinor = interestMinor
        self.principalMinor = principalMinor
    }

    public static let zero = ComponentSplit()

    public var totalMinor: Int64 { feesMinor + interestMinor + principalMinor }

    public subscript(component: BalanceComponent) -> Int64 {
        get {
            switch component {
            case .fees: feesMinor
            case .interest: interestMinor
            case .principal: principalMinor
            }
        }
        set {
            switch component {
            case .fees: feesMinor = newValue
            case .interest: interestMinor = newValue
            case .principal: principalMinor = newValue
            }
        }
    }

    /// Takes up to `amount` from `balance`'s outstanding components in `order`, each capped at what
    /// it still owes. The result totals less than `amount` only when the balance is smaller.
    public static func filling(_ amount: Int64, from balance: Balance, in order: [BalanceComponent]) -> ComponentSplit {
        var split = ComponentSplit.zero
        var remaining = max(0, amount)
        for component in order where remaining > 0 {
            let take = min(remaining, component.outstanding(in: balance) - split[component])
            guard take > 0 else { continue }
            split[component] += take
            remaining -= take
        }
        return split
    }
}
