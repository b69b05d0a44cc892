import Foundation
@testable import ParleyApp
import ParleyTestSupport
import Testing

/// The log sink writes out every line once, in order, across flushes that reuse its two buffers.
@Suite struct LogSinkTests {
    @Test func everyLineIsWrittenOnceInOrderAcrossFlushes() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/log"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            try #require(fd >= 0)
            let sink = LogSink(fd: fd)
            var expected: [UInt8] = []
            for round in 0..<5 {
                // Enough lines in some rounds to pass the 64 KiB mark (a flush from the sink's queue).
                for line in 0..<(round % 2 == 0 ? 3 : 400) {
                    let text = Array("round \(round) line \(line) \(String(repeating: "x", count: 200))\n".utf8)
                    sink.write(text, urgent: false)
                    expected += text
                }
                sink.flush()
            }
            sink.flush()
            close(fd)
            let written = try #require(FileManager.default.contents(atPath: path))
            #expect(written.count == expected.count)
            #expect(Array(written) == expected)
        }
    }
}
