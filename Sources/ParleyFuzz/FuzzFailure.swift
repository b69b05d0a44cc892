/// An input that broke a property the fuzzer checks, with what broke.
public struct FuzzFailure: Error, CustomStringConvertible, Sendable {
    public let property: String
    public let input: [UInt8]

    public init(_ property: String, input: [UInt8]) {
        self.property = property
        self.input = input
    }

    public var description: String { "\(property) (input of \(input.count) bytes)" }
}

/// One fuzz target: seeds to start from, how to mutate them, and the properties one input must keep.
public protocol FuzzTarget: Sendable {
    var corpus: [[UInt8]] { get }
    var mutator: Mutator { get }
    func check(_ input: [UInt8], random: inout FuzzRandom) throws(FuzzFailure)
}

extension FuzzTarget {
    /// Runs `iterations` inputs from `seed` (or until `deadline`, a monotonic instant in
    /// nanoseconds), each a mutation of a seed or of a recent input; returns how many ran.
    public func run(seed: UInt64, iterations: Int = .max, until deadline: UInt64 = .max,
                    now: () -> UInt64 = { 0 }) throws(FuzzFailure) -> Int {
        var random = FuzzRandom(seed: seed)
        var recent = corpus
        var count = 0
        while count < iterations, count % 64 != 0 || now() < deadline {
            let base = recent[random.below(recent.count)]
            let input = mutator.mutate(base, corpus: corpus, random: &random)
            try check(input, random: &random)
            if recent.count < 512 { recent.append(input) } else { recent[random.below(recent.count)] = input }
            count += 1
        }
        return count
    }
}
