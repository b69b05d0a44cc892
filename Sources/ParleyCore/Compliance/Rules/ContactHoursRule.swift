import Foundation

/// `contact_hours`: phone, sms and visits only inside the debtor-local window.
struct ContactHoursRule: ComplianceRule {
    let hours: ContactHours
    var name: ComplianceRuleName { .contactHours }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        guard context.channel.followsContactHours else { return [] }
        let zone = context.timeZone
        let timeOfDay = LocalTime.millisecondOfDay(of: context.at, in: zone)
        guard !hours.contains(millisecondOfDay: timeOfDay) else { return [] }
        let today = LocalTime.localDate(of: context.at, in: zone)
        // Before the window opens it opens later today; after it closes, tomorrow (whatever the offset then).
        let startToday = windowStart(on: today, in: zone)
        let next = startToday > context.at ? startToday : windowStart(on: today.adding(days: 1), in: zone)
        let window = ContactHours.text(minute: hours.startMinute) + "–" + ContactHours.text(minute: hours.endMinute)
        let message = "\(context.channel.rawValue) contact is allowed only \(window) debtor-local time "
            + "(\(context.debtorTimeZone)); it is \(LocalTime.wallClockText(of: context.at, in: zone)) there"
        return [Violation(rule: name, message: message, nextAllowedAt: next)]
    }

    private func windowStart(on date: CalendarDate, in zone: TimeZone) -> Instant {
        LocalTime.instant(localDate: date, hour: hours.startMinute / 60, minute: hours.startMinute % 60, in: zone)
    }
}
