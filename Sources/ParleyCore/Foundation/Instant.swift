import Glibc

/// A UTC instant with millisecond precision, the only representation of time in Parley.
/// On the wire it is RFC 3339 with `Z`; in SQLite it is INTEGER milliseconds since the epoch.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    /// 9999-12-31T23:59:59.999Z, the last instant RFC 3339 can write (its years have four digits).
    public static let latestWritable = Instant(millisecondsSinceEpoch: 253_402_300_799_999)

    public func adding(seconds: Int64) -> Instant { Instant(millisecondsSinceEpoch: millisecondsSinceEpoch + seconds * 1_000) }
    public func adding(days: Int64) -> Instant { adding(seconds: days * 86_400) }

    /// RFC 3339 UTC: `2026-11-29T06:00:00Z`, with `.sss` only when the milliseconds are not zero.
    public var description: String { rfc3339 }

    public var rfc3339: String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.rfc3339MaxCount) { scratch in
            let count = writeRFC3339(to: scratch.baseAddress!)
            return String(decoding: UnsafeBufferPointer(start: scratch.baseAddress!, count: count), as: UTF8.self)
        }
    }

    /// The most bytes `writeRFC3339` writes (a year beyond 9999 has more than four digits).
    public static let rfc3339MaxCount = 40

    /// Writes the RFC 3339 text as ASCII bytes at `out` (room for `rfc3339MaxCount`) and returns
    /// how many: integer civil-date arithmetic, no intermediate strings (instants are written for
    /// every row of every list).
    public func writeRFC3339(to out: UnsafeMutablePointer<UInt8>) -> Int {
        let millis = ((millisecondsSinceEpoch % 1_000) + 1_000) % 1_000
        let seconds = (millisecondsSinceEpoch - millis) / 1_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let date = CalendarDate(daysSinceEpoch: days)
        var at = 0
        func digits(_ value: Int, _ count: Int) {
            var rest = value
            var index = at + count - 1
            while index >= at {
                out[index] = UInt8(0x30 + rest % 10)
                rest /= 10
                index -= 1
            }
            at += count
        }
        func byte(_ ascii: Unicode.Scalar) {
            out[at] = UInt8(ascii: ascii)
            at += 1
        }
        if date.year > 9999 || date.year < 0 {
            for digit in String(date.year).utf8 { out[at] = digit; at += 1 }  // beyond RFC 3339; never produced by the API
        } else {
            digits(date.year, 4)
        }
        byte("-")
        digits(date.month, 2)
        byte("-")
        digits(date.day, 2)
        byte("T")
        digits(secondOfDay / 3_600, 2)
        byte(":")
        digits(secondOfDay % 3_600 / 60, 2)
        byte(":")
        digits(secondOfDay % 60, 2)
        if millis != 0 {
            byte(".")
            digits(Int(millis), 3)
        }
        byte("Z")
        return at
    }

    static func pad2(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Parses RFC 3339 (`Z` or a numeric offset, optional fraction); nil when malformed.
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        guard b.count >= 20, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let date = CalendarDate(iso: String(decoding: b[0..<10], as: UTF8.self)),
              let hour = Self.digits(b, 11, 2), let minute = Self.digits(b, 14, 2), let second = Self.digits(b, 17, 2),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var millis: Int64 = 0
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100
            let start = index
            while index < b.count, b[index] >= 0x30, b[index] <= 0x39 {
                millis += Int64(b[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < b.count else { return nil }
        var offsetSeconds: Int64 = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, b[index + 3] == UInt8(ascii: ":"),
                  let oh = Self.digits(b, index + 1, 2), let om = Self.digits(b, index + 4, 2), oh < 24, om < 60
            else { return nil }
            offsetSeconds = (oh * 3_600 + om * 60) * (b[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let seconds = date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        self.millisecondsSinceEpoch = seconds * 1_000 + millis
    }

    static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int64? {
        guard start + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[start..<start + count] {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }

    /// The UTC calendar date of this instant.
    public var utcDate: CalendarDate {
        let seconds = millisecondsSinceEpoch >= 0 ? millisecondsSinceEpoch / 1_000 : (millisecondsSinceEpoch - 999) / 1_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return CalendarDate(daysSinceEpoch: days)
    }
}

/// A source of the current instant; services take one so tests can fix time.
public struct WallClock: Sendable {
    public let now: @Sendable () -> Instant

    public init(now: @escaping @Sendable () -> Instant) { self.now = now }

    /// The system's real-time clock.
    public static let system = WallClock {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(millisecondsSinceEpoch: Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000)
    }
}
