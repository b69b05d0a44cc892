import ParleyCore

/// Every word the debtor pages show, for one language. Each language is one file that fills this
/// table (`English.swift`, `SimplifiedChinese.swift`); the compiler refuses a table with a text
/// missing. A new language is a new file and its name in `all`.
struct PageStrings: Sendable {
    /// The `<html lang>` value.
    let htmlLang: String
    /// Whether a debtor's `language` tag (lower-cased) asks for this table.
    let matches: @Sendable (String) -> Bool
    /// Currency symbols as this language writes them; other currencies show their code.
    let currencySymbols: [String: String]
    let date: @Sendable (CalendarDate) -> String
    let dateTime: @Sendable (_ date: String, _ time: String) -> String

    // Layout
    let privateNotice: @Sendable (_ name: String) -> String
    let linkValidUntil: @Sendable (_ date: String) -> String

    // Statement
    let statementTitle: String
    let accountWith: @Sendable (_ creditor: String, _ reference: String) -> String
    let figuresAsOf: @Sendable (_ when: String) -> String
    let balanceHeading: String
    let principal: String
    let interest: String
    let fees: String
    let paid: String
    let waived: String
    let outstanding: String
    let planHeading: String
    let planStatus: @Sendable (PlanStatus) -> String
    let noPlan: String
    let installmentNumber: String
    let dueDate: String
    let amount: String
    let state: String
    let installmentPaid: String
    let installmentNextDue: String
    let installmentMissed: String
    let installmentLater: String
    let installmentPartlyPaid: @Sendable (_ paid: String) -> String
    let promisesHeading: String
    let promise: @Sendable (_ amount: String, _ date: String) -> String
    let noPromises: String
    let disputeHeading: String
    let disputeNone: String
    let disputeOpen: @Sendable (_ date: String) -> String
    let disputeUpheld: @Sendable (_ date: String) -> String
    let disputeRejected: @Sendable (_ date: String) -> String
    let howToDisputeHeading: String
    /// The dispute instructions, naming the agency's channels that are set.
    let howToDispute: @Sendable (AgencyContact) -> String

    // Agency contact
    let contactHeading: String
    let phone: String
    let email: String
    let address: String
    let hours: String
    let contactMissing: String

    // Feedback form
    let feedbackTitle: String
    let feedbackIntro: String
    let ratingCommunication: String
    let ratingAttitude: String
    let ratingResolution: String
    let ratingScale: String
    let npsLabel: String
    let npsNoAnswer: String
    let commentLabel: String
    let submit: String
    let errorSummary: String
    let ratingRequired: String
    let npsInvalid: String
    let commentTooLong: String
    let thankYouTitle: String
    let thankYouText: String
    let followUpText: String

    // Notices
    let notFoundTitle: String
    let notFoundText: String
    let statementGoneTitle: String
    let statementGoneText: String
    let feedbackGoneTitle: String
    let feedbackGoneText: String
    /// The 410 page of a survey already answered (a reload of the thank-you page posts again).
    let feedbackAnsweredTitle: String
    let feedbackAnsweredText: String
    let badRequestTitle: String
    let badRequestText: String
    let tooManyTitle: String
    let tooManyText: @Sendable (_ seconds: Int) -> String
    let serverErrorTitle: String
    let serverErrorText: String

    /// Every language, most specific first; the last one is the fallback.
    static let all: [PageStrings] = [.simplifiedChinese, .english]

    /// The table for a debtor's `language` (`zh-*` → Simplified Chinese, otherwise English).
    static func forLanguage(_ tag: String?) -> PageStrings {
        let lowered = (tag ?? "").lowercased()
        return all.first { $0.matches(lowered) } ?? .english
    }

    /// For pages without a debtor (an unknown token): the language of `Accept-Language` (RFC 9110
    /// §12.5.4) with the highest weight that the pages speak; the earlier range wins a tie, `q=0`
    /// excludes, and English is the default.
    static func forAcceptLanguage(_ header: String?) -> PageStrings {
        var best: (strings: PageStrings, weight: Double)?
        for part in (header ?? "").split(separator: ",") {
            let pieces = part.split(separator: ";").map { String($0).trimmingSpaces.lowercased() }
            guard let tag = pieces.first, let strings = all.first(where: { $0.matches(tag) }) else { continue }
            let weight = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            guard weight > 0, weight <= 1 else { continue }
            if weight > (best?.weight ?? 0) { best = (strings, weight) }
        }
        return best?.strings ?? .english
    }

    func money(_ minor: Int64, currency: String) -> String {
        MoneyText.format(minor, currency: currency, symbols: currencySymbols)
    }
}
