/// Amounts in minor units written for people: `¥12,850.00`, `$1,234.56`, `¥1,235` for JPY.
/// Integer arithmetic only; the currency's minor digits come from ISO 4217, the symbol from a
/// table the caller may give per language (the debtor pages do; staff texts use `symbols`).
public enum MoneyText {
    /// Symbols for staff-facing texts (messages, timeline summaries).
    public static let symbols: [String: String] = ["CNY": "¥", "USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "HKD": "HK$"]
    /// ISO 4217 currencies without minor units, and those with three.
    static let zeroDecimal: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    static let threeDecimal: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

    public static func minorDigits(of currency: String) -> Int {
        if zeroDecimal.contains(currency) { return 0 }
        return threeDecimal.contains(currency) ? 3 : 2
    }

    public static func format(_ minor: Int64, currency: String) -> String {
        format(minor, currency: currency, symbols: symbols)
    }

    /// `minor` in `currency` with the symbol `symbols` gives it, else the code after the number
    /// (`1,234.56 SGD`). Grouped by thousands with `,`, minor digits after `.`.
    public static func format(_ minor: Int64, currency: String, symbols: [String: String]) -> String {
        let digits = minorDigits(of: currency)
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        // The magnitude of Int64.min still fits in UInt64, so no amount can trap here.
        let magnitude = minor.magnitude
        var text = grouped(String(magnitude / scale))
        if digits > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        let sign = minor < 0 ? "-" : ""
        if let symbol = symbols[currency] { return sign + symbol + text }
        return sign + text + " " + currency
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ whole: String) -> String {
        var out = ""
        for (index, character) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}
