import ParleyFuzz
import Testing

/// A bounded run of each fuzz target on fixed seeds (the long runs are `make fuzz`), and checks
/// that the properties they assert do catch what they are meant to.
@Suite struct FuzzTests {
    @Test(arguments: [1, 2, 3] as [UInt64]) func httpParserKeepsItsPropertiesOnMutatedRequests(seed: UInt64) throws {
        #expect(try HTTPParserFuzz().run(seed: seed, iterations: 1_500) == 1_500)
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func csvReaderKeepsItsPropertiesOnMutatedFiles(seed: UInt64) throws {
        #expect(try CSVFuzz().run(seed: seed, iterations: 3_000) == 3_000)
    }

    @Test func theSplitPropertyHoldsForPipelinedAndChunkedRequests() throws {
        var random = FuzzRandom(seed: 9)
        for input in HTTPParserFuzz().corpus { try HTTPParserFuzz().check(input, random: &random) }
    }

    @Test func aRequestCutShortIsReportedIncompleteNotDropped() throws {
        let fuzz = HTTPParserFuzz()
        let input = Array("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc".utf8)
        let outcome = try fuzz.outcomes(input, splits: [input.count])
        #expect(outcome == [.incomplete])
        let smuggled = Array("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc".utf8)
        #expect(try fuzz.outcomes(smuggled, splits: [smuggled.count]) == [.error(400)])
    }
}
