import ParleyCore

/// The fuzzer's randomness: SplitMix64, whose whole state is one seed, so a failing input can be
/// reproduced from the seed the fuzzer prints.
public struct FuzzRandom: RandomNumberGenerator, Sendable {
    private var base: SplitMix64

    public init(seed: UInt64) { base = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { base.next() }

    /// A value in `0..<bound` (bound > 0).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
