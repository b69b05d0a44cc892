/// The body of an adjustment as the API read it, not yet checked.
public struct AdjustmentRequest: Sendable, Equatable {
    public var kind: String
    public var amountMinor: Int64
    public var reason: String

    public init(kind: String, amountMinor: Int64, reason: String) {
        self.kind = kind
        self.amountMinor = amountMinor
        self.reason = reason
    }

    /// Checks the fields; the amount must fit the balance, since a waiver cannot go below zero.
    /// Whether it needs approval is `AdjustmentApproval`'s answer, not a validation error.
    public func validate(balanceMinor: Int64) throws -> AdjustmentKind {
        var failure = ValidationFailure()
        let kind = AdjustmentKind(rawValue: kind)
        if kind == nil { failure.add("kind", "must be one of fee_waiver, interest_waiver, settlement_discount") }
        if amountMinor <= 0 { failure.add("amount_minor", "must be greater than 0") }
        else if amountMinor > balanceMinor { failure.add("amount_minor", "must not exceed the balance of \(balanceMinor)") }
        if reason.trimmingSpaces.isEmpty { failure.add("reason", "is required") }
        else if reason.unicodeScalars.count > 500 { failure.add("reason", "must be at most 500 characters") }
        guard failure.isEmpty, let kind else { throw failure }
        return kind
    }
}
