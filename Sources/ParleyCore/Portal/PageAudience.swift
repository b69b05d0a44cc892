/// Who reads a debtor page: the debtor's name, language tag and time zone, nothing else.
public struct PageAudience: Sendable, Equatable {
    public let debtorName: String
    /// The debtor's `language` as stored (`zh-CN`, `en`, …), nil when unknown.
    public let language: String?
    /// IANA zone; dates and times on the pages are shown in it.
    public let timezone: String

    public init(debtorName: String, language: String?, timezone: String) {
        self.debtorName = debtorName
        self.language = language
        self.timezone = timezone
    }

    /// The debtor-local date of `instant`.
    public func localDate(of instant: Instant) -> CalendarDate {
        LocalTime.localDate(of: instant, in: LocalTime.zone(named: timezone))
    }

    /// `HH:MM` of the debtor's wall clock at `instant`.
    public func localTime(of instant: Instant) -> String {
        LocalTime.wallClockText(of: instant, in: LocalTime.zone(named: timezone))
    }
}
