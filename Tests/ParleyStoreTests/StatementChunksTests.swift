@testable import ParleyStore
import Testing

@Suite struct StatementChunksTests {
    @Test func fullChunksThenDescendingPowersOfTwo() {
        let lengths = { (count: Int, size: Int) in Array(0..<count).statementChunks(upTo: size).map(\.count) }
        #expect(lengths(0, 50) == [])
        #expect(lengths(1, 50) == [1])
        #expect(lengths(50, 50) == [50])
        #expect(lengths(137, 50) == [50, 50, 32, 4, 1])
        #expect(lengths(63, 64) == [32, 16, 8, 4, 2, 1])
        // Every element once, in order.
        #expect(Array(0..<137).statementChunks(upTo: 50).flatMap { $0 } == Array(0..<137))
    }
}
