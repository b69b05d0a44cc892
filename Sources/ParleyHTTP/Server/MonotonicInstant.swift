import Glibc

/// A point on the monotonic clock, in whole milliseconds.
///
/// The event loop reads the clock once per wake-up and hands that instant to each connection's
/// state machine, which never reads a clock itself: tests hand it whatever instant they like.
struct MonotonicInstant: Comparable, Hashable, Sendable, CustomStringConvertible {
    var milliseconds: Int64

    init(milliseconds: Int64) { self.milliseconds = milliseconds }

    static func now() -> MonotonicInstant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return MonotonicInstant(milliseconds: Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool { lhs.milliseconds < rhs.milliseconds }

    static func + (lhs: MonotonicInstant, milliseconds: Int64) -> MonotonicInstant {
        MonotonicInstant(milliseconds: lhs.milliseconds + milliseconds)
    }

    static func + (lhs: MonotonicInstant, duration: Duration) -> MonotonicInstant { lhs + duration.milliseconds }

    var description: String { "\(milliseconds) ms" }
}
