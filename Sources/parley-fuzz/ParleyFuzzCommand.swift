import Glibc
import ParleyFuzz

/// `parley-fuzz http|csv [seconds] [seed]`: runs a seeded fuzz target for a while; on a broken
/// property prints it with the seed (rerun with that seed to reproduce), saves the input and exits 1.
@main
struct ParleyFuzzCommand {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        let targets: [String: any FuzzTarget] = ["http": HTTPParserFuzz(), "csv": CSVFuzz()]
        guard let name = arguments.first, let target = targets[name] else {
            print("usage: parley-fuzz http|csv [seconds] [seed]")
            exit(2)
        }
        let seconds = arguments.dropFirst().first.flatMap { UInt64($0) } ?? 60
        var seed = arguments.dropFirst(2).first.flatMap { UInt64($0) } ?? UInt64(time(nil))
        let deadline = monotonicNanoseconds() + seconds * 1_000_000_000
        var total = 0
        // Rounds of 10,000 inputs, each from its own seed, so a failure is reproduced in one round.
        while monotonicNanoseconds() < deadline {
            do {
                total += try target.run(seed: seed, iterations: 10_000, until: deadline, now: monotonicNanoseconds)
            } catch {
                let path = "fuzz-failure-\(name)-\(seed).bin"
                if let file = fopen(path, "wb") {
                    _ = error.input.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
                    fclose(file)
                }
                print("parley-fuzz \(name): \(error.property)\n  seed \(seed); input saved to \(path)")
                exit(1)
            }
            seed &+= 1
        }
        print("parley-fuzz \(name): \(total) inputs in \(seconds) s, no property broken")
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
