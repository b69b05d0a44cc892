@testable import ParleyApp
import Testing

@Suite struct MallocArenasTests {
    /// glibc takes the cap (mallopt answers success), so the handler threads share few arenas.
    @Test func glibcAcceptsTheArenaCap() {
        #expect(MallocArenas.limit())
    }
}
