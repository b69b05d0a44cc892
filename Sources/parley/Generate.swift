import ArgumentParser
import Glibc
import ParleyApp
import ParleyCore
import ParleySQLite
import ParleyStore

/// `parley generate`: a fresh database with a generated world, for benchmarks.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a generated world (users, debtors, cases and their history) into a new database.")
    @Option(help: "Number of cases.") var cases: Int
    @Option(help: "Mean number of communications per case.") var communicationsPerCase = 5
    @Option(help: "The database file to create; it must not exist.") var db: String
    @Option(help: "Seed: the same seed makes the same world.") var seed: UInt64 = 1
    @Option(help: "The present, RFC 3339 (default: now); the history ends there.") var now: String?
    @Option(help: "Days of history before the present.") var days = 365

    func validate() throws {
        guard cases >= 0, communicationsPerCase >= 0, days > 0 else { throw ValidationError("counts must not be negative") }
        if let now, Instant(rfc3339: now) == nil { throw ValidationError("--now must be an RFC 3339 instant") }
        if access(db, F_OK) == 0 { throw ValidationError("--db \(db) exists; generation needs a new file") }
    }

    func run() throws {
        let database = try DatabasePool(configuration: DatabaseConfiguration(path: db))
        var settings = WorldGenerator.Settings(cases: cases, communicationsPerCase: communicationsPerCase, seed: seed,
                                               now: now.flatMap { Instant(rfc3339: $0) } ?? WallClock.system.now())
        settings.days = days
        var generator = WorldGenerator(settings)
        let summary = try generator.run(database: database) { written in
            if written % 100_000 == 0 { FileHandleStderr.write("generated \(written) cases\n") }
        }
        let fields = summary.counts.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number(String($0.value))) }
        print(JSONValue.object(fields + [("seconds", .number(String(summary.seconds))),
                                         ("rollup_seconds", .number(String(summary.rollupSeconds)))]).compact)
    }
}
