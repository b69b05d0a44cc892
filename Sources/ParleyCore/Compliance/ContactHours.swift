/// A debtor-local daily contact window, half-open: `start` is allowed, `end` is not.
public struct ContactHours: Sendable, Equatable {
    /// Minutes after local midnight, 0 ..< 1440.
    public var startMinute: Int
    /// Minutes after local midnight, after `startMinute`; 1440 means "until midnight".
    public var endMinute: Int

    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    public init(start: (hour: Int, minute: Int), end: (hour: Int, minute: Int)) {
        self.init(startMinute: start.hour * 60 + start.minute, endMinute: end.hour * 60 + end.minute)
    }

    /// Whether a wall-clock time (milliseconds after local midnight) lies inside the window.
    public func contains(millisecondOfDay: Int64) -> Bool {
        Int64(startMinute) * 60_000 <= millisecondOfDay && millisecondOfDay < Int64(endMinute) * 60_000
    }

    /// `08:00`, the policy document's form.
    public static func text(minute: Int) -> String {
        Instant.pad2(Int64(minute / 60)) + ":" + Instant.pad2(Int64(minute % 60))
    }

    /// Parses `HH:MM` (00:00 … 24:00); nil when malformed.
    public static func minute(from text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              let hour = Instant.digits(bytes, 0, 2), let minute = Instant.digits(bytes, 3, 2),
              minute < 60, hour < 24 || (hour == 24 && minute == 0)
        else { return nil }
        return Int(hour * 60 + minute)
    }
}
