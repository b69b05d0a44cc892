import Foundation
import Synchronization

/// Debtor-local calendar arithmetic over UTC instants, correct across DST changes.
///
/// Offsets come from the system tz database through Foundation's `TimeZone`; everything else is
/// integer arithmetic on `Instant` milliseconds.
public enum LocalTime {
    /// The zone named `identifier`. Debtor zones are validated on write (`Validators.isTimeZone`),
    /// so an unknown name can only come from a damaged row; UTC is the deliberate fallback so a
    /// compliance answer is still produced rather than none.
    public static func zone(named identifier: String) -> TimeZone {
        if let known = zones.withLock({ $0[identifier] }) { return known }
        let zone = TimeZone(identifier: identifier) ?? .gmt
        zones.withLock { cache in if cache.count < 1_000 { cache[identifier] = zone } }
        return zone
    }

    /// Zones by name: looking one up in the tz database costs more than a whole compliance rule.
    private static let zones = Mutex<[String: TimeZone]>([:])

    /// The zone's offset from UTC at `instant`, in seconds.
    public static func offsetSeconds(at instant: Instant, in zone: TimeZone) -> Int64 {
        offsetSeconds(atEpochSeconds: floorDivide(instant.millisecondsSinceEpoch, 1_000), in: zone)
    }

    /// The debtor-local calendar date of `instant`.
    public static func localDate(of instant: Instant, in zone: TimeZone) -> CalendarDate {
        CalendarDate(daysSinceEpoch: floorDivide(localMilliseconds(of: instant, in: zone), 86_400_000))
    }

    /// Milliseconds since local midnight (0 ..< 86 400 000 on an ordinary day).
    public static func millisecondOfDay(of instant: Instant, in zone: TimeZone) -> Int64 {
        let local = localMilliseconds(of: instant, in: zone)
        return local - floorDivide(local, 86_400_000) * 86_400_000
    }

    /// The instant the debtor's wall clock shows `hour:minute` on `localDate`.
    ///
    /// The offset is guessed from the wall time itself and then checked at the answer, because it
    /// may change in between. In an autumn overlap the earlier instant wins; in a spring gap the
    /// wall time does not exist and the instant the clocks jump past it is returned: the first
    /// instant whose wall time is later (02:30 on the spring change in New York: 03:00 EDT).
    public static func instant(localDate: CalendarDate, hour: Int, minute: Int, in zone: TimeZone) -> Instant {
        instants(localDate: localDate, hour: hour, minute: minute, in: zone)[0]
    }

    /// Every instant the debtor's wall clock shows `hour:minute` on `localDate`, earliest first: two
    /// in an autumn overlap, one otherwise (in a spring gap, the instant the clocks jump past it).
    public static func instants(localDate: CalendarDate, hour: Int, minute: Int, in zone: TimeZone) -> [Instant] {
        let wall = localDate.daysSinceEpoch * 86_400 + Int64(hour) * 3_600 + Int64(minute) * 60
        // Real zones change offset at most once in two days, so these see both sides of any change.
        let before = offsetSeconds(atEpochSeconds: wall - 86_400, in: zone)
        let at = offsetSeconds(atEpochSeconds: wall, in: zone)
        let after = offsetSeconds(atEpochSeconds: wall + 86_400, in: zone)
        // The same offset on both sides: no change within a day of the wall time, nearly always.
        if before == at, at == after { return [Instant(millisecondsSinceEpoch: (wall - at) * 1_000)] }
        let offsets = Set([before, at, after])
        let candidates = offsets.map { wall - $0 }
        let consistent = candidates.filter { offsetSeconds(atEpochSeconds: $0, in: zone) == wall - $0 }.sorted()
        guard consistent.isEmpty, let earliest = candidates.min(), let latest = candidates.max() else {
            return (consistent.isEmpty ? [wall] : consistent).map { Instant(millisecondsSinceEpoch: $0 * 1_000) }
        }
        return [Instant(millisecondsSinceEpoch: jump(after: earliest, atOrBefore: latest, in: zone) * 1_000)]
    }

    /// The second the offset changes in `(after, atOrBefore]`, where it is the offset at `after`
    /// before and the offset at `atOrBefore` from then on (a spring gap's two readings of a wall
    /// time bracket the jump): a binary search over at most a day of seconds.
    private static func jump(after: Int64, atOrBefore: Int64, in zone: TimeZone) -> Int64 {
        let later = offsetSeconds(atEpochSeconds: atOrBefore, in: zone)
        var low = after, high = atOrBefore
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offsetSeconds(atEpochSeconds: middle, in: zone) == later { high = middle } else { low = middle }
        }
        return high
    }

    /// Local midnight starting the debtor-local day that contains `instant`.
    public static func startOfLocalDay(containing instant: Instant, in zone: TimeZone) -> Instant {
        Self.instant(localDate: localDate(of: instant, in: zone), hour: 0, minute: 0, in: zone)
    }

    /// Local midnight ending the debtor-local day that contains `instant`.
    public static func startOfNextLocalDay(after instant: Instant, in zone: TimeZone) -> Instant {
        Self.instant(localDate: localDate(of: instant, in: zone).adding(days: 1), hour: 0, minute: 0, in: zone)
    }

    /// `HH:MM` of the debtor's wall clock, for messages.
    public static func wallClockText(of instant: Instant, in zone: TimeZone) -> String {
        let minutes = millisecondOfDay(of: instant, in: zone) / 60_000
        return Instant.pad2(minutes / 60) + ":" + Instant.pad2(minutes % 60)
    }

    private static func localMilliseconds(of instant: Instant, in zone: TimeZone) -> Int64 {
        instant.millisecondsSinceEpoch + offsetSeconds(at: instant, in: zone) * 1_000
    }

    private static func offsetSeconds(atEpochSeconds seconds: Int64, in zone: TimeZone) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }
}
