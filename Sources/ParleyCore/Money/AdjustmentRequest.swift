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
        let failure = check(balanceMinor: balanceMinor)
        guard failure.isEmpty, let kind = AdjustmentKind(rawValue: kind) else { throw failure }
        return kind
    }

    /// Every failing field at once (`validate` throws them).
    public func check(balanceMinor: Int64) -> ValidationFailure {
        var failure = ValidationFailure()
        if AdjustmentKind(rawValue: kind) == nil { failure.add("kind", "must be one of fee_waiver, interest_waiver, settlement_discount") }
        if amountMinor <= 0 { failure.add("amount_minor", "must be greater than 0") }
        else if amountMinor > balanceMinor { failure.add("amount_minor", "must not exceed the balance of \(balanceMinor)") }
        if reason.trimmingSpaces.isEmpty { failure.add("reason", "is required") }
        else if reason.unicodeScalars.count > 500 { failure.add("reason", "must be at most 500 characters") }
        return failure
    }
}
