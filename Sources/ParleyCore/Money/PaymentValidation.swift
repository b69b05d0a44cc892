/// Checks on a payment before it is recorded (422 with field errors otherwise).
public enum PaymentValidation {
    public static func check(amountMinor: Int64, currency: String, caseCurrency: String, balanceMinor: Int64,
                             into failure: inout ValidationFailure) {
        if currency != caseCurrency { failure.add("currency", "must be the case currency \(caseCurrency)") }
        if amountMinor <= 0 { failure.add("amount_minor", "must be greater than 0") }
        else if balanceMinor <= 0 { failure.add("amount_minor", "the case has no balance to pay") }
        else if amountMinor > balanceMinor { failure.add("amount_minor", "must not exceed the balance of \(balanceMinor)") }
    }
}
