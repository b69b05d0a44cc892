/// A calendar date without a time zone (`YYYY-MM-DD`), proleptic Gregorian.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...Self.daysIn(year: year, month: month)).contains(day) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: String) {
        var text = text
        guard let date = text.withUTF8({ CalendarDate(isoBytes: $0) }) else { return nil }
        self = date
    }

    /// Parses exactly `YYYY-MM-DD` from UTF-8 bytes (a stored date, read without a `String`).
    public init?(isoBytes b: UnsafeBufferPointer<UInt8>) {
        func digits(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in b[start..<start + count] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = digits(0, 4), let m = digits(5, 2), let d = digits(8, 2)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// From days since 1970-01-01 (Howard Hinnant's civil_from_days).
    public init(daysSinceEpoch: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        month = Int(m)
        day = Int(d)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var daysSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public var description: String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.isoCount) { scratch in
            let count = writeISO(to: scratch.baseAddress!)
            return String(decoding: UnsafeBufferPointer(start: scratch.baseAddress!, count: count), as: UTF8.self)
        }
    }

    /// The most bytes `writeISO` writes (a year beyond 9999 has more than four digits).
    public static let isoCount = 30

    /// Writes `YYYY-MM-DD` as ASCII at `out` (room for `isoCount`) and returns how many bytes:
    /// no intermediate strings (a date is written for every row of a case list).
    public func writeISO(to out: UnsafeMutablePointer<UInt8>) -> Int {
        var at = 0
        func digits(_ value: Int, _ count: Int) {
            var rest = value
            for index in stride(from: at + count - 1, through: at, by: -1) {
                out[index] = UInt8(0x30 + rest % 10)
                rest /= 10
            }
            at += count
        }
        if (0...9999).contains(year) {
            digits(year, 4)
        } else {
            // Dates made by day arithmetic are not range-checked; the API's inputs keep them inside.
            for digit in String(year).utf8 { out[at] = digit; at += 1 }
        }
        out[at] = UInt8(ascii: "-")
        at += 1
        digits(month, 2)
        out[at] = UInt8(ascii: "-")
        at += 1
        digits(day, 2)
        return at
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + Int64(days)) }

    /// Same day `months` later, clamped to the month's end, anchored on `anchorDay`
    /// (Jan 31 → Feb 28/29 → Mar 31).
    public func adding(months: Int, anchorDay: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12
        let newMonth = total % 12 + 1
        let newDay = min(anchorDay, Self.daysIn(year: newYear, month: newMonth))
        return CalendarDate(year: newYear, month: newMonth, day: newDay)!  // day clamped into range above
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Midnight UTC at the start of this date.
    public var startInstantUTC: Instant { Instant(millisecondsSinceEpoch: daysSinceEpoch * 86_400_000) }
}
