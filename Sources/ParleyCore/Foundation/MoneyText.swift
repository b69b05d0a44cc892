/// Amounts in minor units written for people: `¥12,850.00`, `$1,234.56`, `¥1,235` for JPY.
/// Integer arithmetic only; the currency's minor digits come from a small table (ISO 4217).
public enum MoneyText {
    static let symbols: [String: String] = ["CNY": "¥", "USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "HKD": "HK$"]
    static let zeroDecimal: Set<String> = ["JPY", "KRW", "VND", "CLP", "ISK"]

    public static func minorDigits(of currency: String) -> Int { zeroDecimal.contains(currency) ? 0 : 2 }

    public static func format(_ minor: Int64, currency: String) -> String {
        let digits = minorDigits(of: currency)
        let negative = minor < 0
        let magnitude = minor.magnitude
        let scale: UInt64 = digits == 0 ? 1 : 100
        let whole = String(magnitude / scale)
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        var text = grouped
        if digits == 2 {
            let cents = magnitude % scale
            text += "." + (cents < 10 ? "0" : "") + String(cents)
        }
        let symbol = symbols[currency]
        return (negative ? "-" : "") + (symbol.map { $0 + text } ?? text + " " + currency)
    }
}
