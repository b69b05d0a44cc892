/// Mutates seed inputs the way fuzzers do: flips, inserts of bytes that matter to the grammar
/// under test, deletions, duplications and splices of one seed into another.
public struct Mutator: Sendable {
    /// Bytes worth inserting: the grammar's delimiters, digits, and a few hostile values.
    let interesting: [UInt8]

    public init(interesting: [UInt8]) { self.interesting = interesting }

    public func mutate(_ input: [UInt8], corpus: [[UInt8]], random: inout FuzzRandom) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(4) {
            let position = bytes.isEmpty ? 0 : random.below(bytes.count + 1)
            switch random.below(7) {
            case 0 where !bytes.isEmpty:
                let at = min(position, bytes.count - 1)
                bytes[at] ^= UInt8(1 << random.below(8))
            case 1:
                bytes.insert(interesting[random.below(interesting.count)], at: position)
            case 2 where !bytes.isEmpty:
                let at = min(position, bytes.count - 1)
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(8)))
            case 3 where !bytes.isEmpty:
                let at = min(position, bytes.count - 1)
                let piece = Array(bytes[at..<min(bytes.count, at + 1 + random.below(16))])
                bytes.insert(contentsOf: piece, at: random.below(bytes.count + 1))
            case 4:
                let other = corpus[random.below(corpus.count)]
                guard !other.isEmpty else { continue }
                let start = random.below(other.count)
                bytes.insert(contentsOf: other[start..<min(other.count, start + 1 + random.below(64))], at: position)
            case 5 where !bytes.isEmpty:
                let at = min(position, bytes.count - 1)
                bytes[at] = UInt8(truncatingIfNeeded: random.next())
            default:
                // Numbers are where parsers overflow: drop in a large or odd one.
                let numbers = ["0", "00", "-1", "18446744073709551616", "9999999999", "1e3", "0x10", "+5", " 7"]
                bytes.insert(contentsOf: Array(numbers[random.below(numbers.count)].utf8), at: position)
            }
        }
        return bytes
    }
}
