import ParleyCore
import Testing

@Suite struct MoneyTextTests {
    /// As Simplified Chinese pages write symbols.
    static let chinese = ["CNY": "¥", "USD": "US$", "JPY": "JP¥"]

    @Test func zeroAndOneMinorUnit() {
        #expect(MoneyText.format(0, currency: "CNY") == "¥0.00")
        #expect(MoneyText.format(0, currency: "JPY") == "¥0")
        #expect(MoneyText.format(1, currency: "CNY") == "¥0.01")
        #expect(MoneyText.format(1, currency: "USD") == "$0.01")
        #expect(MoneyText.format(1, currency: "JPY") == "¥1")
        #expect(MoneyText.format(1, currency: "KWD") == "0.001 KWD")
        #expect(MoneyText.format(10, currency: "CNY") == "¥0.10")
        #expect(MoneyText.format(-1, currency: "CNY") == "-¥0.01")
    }

    @Test func groupingAndLargeAmounts() {
        #expect(MoneyText.format(1_285_000, currency: "CNY") == "¥12,850.00")
        #expect(MoneyText.format(123_456, currency: "USD") == "$1,234.56")
        #expect(MoneyText.format(100_000, currency: "USD") == "$1,000.00")
        #expect(MoneyText.format(99_999, currency: "USD") == "$999.99")
        #expect(MoneyText.format(123_456_789_012, currency: "CNY") == "¥1,234,567,890.12")
        #expect(MoneyText.format(Int64.max, currency: "USD") == "$92,233,720,368,547,758.07")
        #expect(MoneyText.format(Int64.min, currency: "USD") == "-$92,233,720,368,547,758.08")
    }

    @Test func currenciesWithoutOrWithThreeMinorDigits() {
        #expect(MoneyText.format(1_234_567, currency: "JPY") == "¥1,234,567")
        #expect(MoneyText.format(999, currency: "KRW") == "999 KRW")
        #expect(MoneyText.format(1_234_567, currency: "KWD") == "1,234.567 KWD")
        #expect(MoneyText.minorDigits(of: "JPY") == 0)
        #expect(MoneyText.minorDigits(of: "BHD") == 3)
        #expect(MoneyText.minorDigits(of: "CNY") == 2)
    }

    @Test func symbolsPerLanguageAndCodesForTheRest() {
        #expect(MoneyText.format(1_285_000, currency: "CNY", symbols: Self.chinese) == "¥12,850.00")
        #expect(MoneyText.format(123_456, currency: "USD", symbols: Self.chinese) == "US$1,234.56")
        #expect(MoneyText.format(1_235, currency: "JPY", symbols: Self.chinese) == "JP¥1,235")
        #expect(MoneyText.format(123_456, currency: "SGD", symbols: Self.chinese) == "1,234.56 SGD")
    }
}
