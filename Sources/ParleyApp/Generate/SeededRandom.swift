import ParleyCore

/// The generator's randomness: SplitMix64, whose output depends only on its seed, so a generated
/// world can be made again exactly.
public struct SeededRandom: RandomNumberGenerator {
    private var base: SplitMix64
    public init(seed: UInt64) { base = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { base.next() }

    /// true with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// An index drawn by the given weights.
    mutating func pick(_ weights: [Double]) -> Int {
        var r = Double.random(in: 0..<weights.reduce(0, +), using: &self)
        for (index, weight) in weights.enumerated() {
            if r < weight { return index }
            r -= weight
        }
        return weights.count - 1
    }
}
