import Synchronization

/// Makes prefixed ULIDs (`case_01JD…`): 48 bits of milliseconds then 80 random bits, Crockford
/// base32, so ids sort by creation time. Within one millisecond the random part is incremented,
/// so ids made by one generator are strictly increasing (what cursor pagination relies on).
public final class IDGenerator: Sendable {
    private let clock: WallClock
    private let state = Mutex<(millis: Int64, high: UInt16, low: UInt64)>((0, 0, 0))
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public init(clock: WallClock = .system) { self.clock = clock }

    /// A new id of the type the caller expects (`let id: CaseID = ids.make("case")`).
    public func make<Entity>(_ prefix: String) -> Identifier<Entity> { Identifier(make(prefix)) }

    public func make(_ prefix: String) -> String {
        let now = clock.now().millisecondsSinceEpoch
        let (millis, high, low) = state.withLock { state -> (Int64, UInt16, UInt64) in
            if now > state.millis {
                var generator = SystemRandomNumberGenerator()
                state = (now, UInt16.random(in: 0...UInt16.max, using: &generator) & 0x7FFF,
                         UInt64.random(in: 0...UInt64.max, using: &generator))
            } else {
                // Same (or earlier: clock stepped back) millisecond: keep the last time, bump the randomness.
                let (next, overflow) = state.low.addingReportingOverflow(1)
                state.low = next
                if overflow { state.high &+= 1 }
            }
            return state
        }
        return prefix + "_" + Self.encode(millis: millis, high: high, low: low)
    }

    public static func encode(millis: Int64, high: UInt16, low: UInt64) -> String {
        // 128 bits: 48 time | 16 high random | 64 low random → 26 base32 characters.
        let hi = (UInt64(millis) << 16) | UInt64(high)
        var out = [UInt8](repeating: 0, count: 26)
        var value = (hi, low)
        for index in stride(from: 25, through: 0, by: -1) {
            let digit = Int(value.1 & 31)
            out[index] = alphabet[digit]
            value.1 = (value.1 >> 5) | ((value.0 & 31) << 59)
            value.0 >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }
}
