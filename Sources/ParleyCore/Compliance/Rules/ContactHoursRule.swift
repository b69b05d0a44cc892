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
        // Before the window opens it opens later today (in an autumn overlap the wall time may come
        // twice: the first one still ahead); after it closes, tomorrow (whatever the offset then).
        let next = windowStarts(on: today, in: zone).first { $0 > context.at }
            ?? windowStarts(on: today.adding(days: 1), in: zone)[0]
        let window = ContactHours.text(minute: hours.startMinute) + "–" + ContactHours.text(minute: hours.endMinute)
        let message = "\(context.channel.rawValue) contact is allowed only \(window) debtor-local time "
            + "(\(context.debtorTimeZone)); it is \(LocalTime.wallClockText(of: context.at, in: zone)) there"
        return [Violation(rule: name, message: message, nextAllowedAt: next)]
    }

    private func windowStarts(on date: CalendarDate, in zone: TimeZone) -> [Instant] {
        LocalTime.instants(localDate: date, hour: hours.startMinute / 60, minute: hours.startMinute % 60, in: zone)
    }
}
