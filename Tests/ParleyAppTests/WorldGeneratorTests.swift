import ParleyApp
import ParleyCore
import ParleySQLite
import ParleyStore
import ParleyTestSupport
import Testing

/// `parley generate`'s world: the counts it promises, and analytics over it where the rollups
/// (built in one pass after the rows) equal the figures computed from the rows.
@Suite struct WorldGeneratorTests {
    @Test func aSmallWorldHasItsRowsAndRollupsThatMatchTheRows() throws {
        try withTemporaryDirectory { directory in
            let database = try DatabasePool(configuration: DatabaseConfiguration(path: directory + "/world.db"))
            let now = try #require(Instant(rfc3339: "2026-11-30T12:00:00Z"))
            var settings = WorldGenerator.Settings(cases: 3_000, communicationsPerCase: 5, seed: 42, now: now)
            settings.casesPerTransaction = 700
            var generator = WorldGenerator(settings)
            let summary = try generator.run(database: database)
            #expect(summary.counts["case"] == 3_000)
            #expect(summary.counts["debtor"] == 3_000)
            let communications = try #require(summary.counts["communication"])
            #expect(communications > 12_000 && communications < 18_000)
            for table in ["payment", "promise", "plan", "feedback", "complaint", "alert"] {
                #expect((summary.counts[table] ?? 0) > 0, "no \(table) rows")
            }
            #expect(try analyticsRollupMismatches(database, today: now.utcDate) == [])
        }
    }

    @Test func theSameSeedMakesTheSameWorld() throws {
        try withTemporaryDirectory { directory in
            let now = try #require(Instant(rfc3339: "2026-11-30T12:00:00Z"))
            var totals: [[String: Int64]] = []
            for name in ["a", "b"] {
                let database = try DatabasePool(configuration: DatabaseConfiguration(path: directory + "/" + name + ".db"))
                var generator = WorldGenerator(WorldGenerator.Settings(cases: 500, communicationsPerCase: 3, seed: 9, now: now))
                totals.append(try generator.run(database: database).counts)
            }
            #expect(totals[0] == totals[1])
        }
    }
}
