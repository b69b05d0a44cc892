import ParleyCore
import ParleySQLite
import ParleyStore

/// Makes a realistic world for benchmarks: users in teams, debtors, cases placed over the last
/// `days` days, and for each case its contacts, promises, payments, plans, survey answers and
/// complaints, as the API would have recorded them. The same seed makes the same world.
public struct WorldGenerator {
    public struct Settings: Sendable {
        public var cases: Int
        /// The mean; each case gets between 0 and twice this many.
        public var communicationsPerCase: Int
        public var seed: UInt64
        public var now: Instant
        public var days: Int = 365
        public var casesPerTransaction = 5_000
        public init(cases: Int, communicationsPerCase: Int, seed: UInt64, now: Instant) {
            self.cases = cases
            self.communicationsPerCase = communicationsPerCase
            self.seed = seed
            self.now = now
        }
    }

    public struct Summary: Sendable {
        public var counts: [String: Int64]
        /// All of it, and the part spent building the analytics rollups at the end.
        public var seconds: Double
        public var rollupSeconds: Double
    }

    static let day: Int64 = 86_400_000
    static let currencies: [(code: String, jurisdiction: String, timezone: String, weight: Double)] = [
        ("CNY", "CN", "Asia/Shanghai", 0.55), ("USD", "US", "America/New_York", 0.3), ("GBP", "GB", "Europe/London", 0.15),
    ]
    static let creditors = ["acme-bank", "blue-telecom", "city-utilities", "delta-card", "east-lending", "fair-finance",
                            "green-energy", "harbor-auto", "iris-retail", "jade-insurance", "kite-mobile", "lotus-credit"]
    static let creditorWeights: [Double] = [20, 15, 12, 10, 9, 8, 7, 6, 5, 4, 2, 2]

    let settings: Settings
    var random: SeededRandom
    var agents: [(id: String, team: String)] = []
    var supervisor = ""
    var serial: UInt64 = 0

    public init(_ settings: Settings) {
        self.settings = settings
        random = SeededRandom(seed: settings.seed)
    }

    /// A prefixed ULID for the instant, unique within this generator.
    mutating func id(_ prefix: String, at millis: Int64) -> String {
        serial &+= 1
        return prefix + "_" + IDGenerator.encode(millis: millis, high: UInt16(truncatingIfNeeded: random.next()) & 0x7FFF,
                                                  low: (random.next() & ~0xFFFFF) | (serial & 0xFFFFF))
    }

    /// Fills a new database: the rows go in before the analytics rollup triggers exist, then the
    /// remaining migrations build the rollups in one pass (much faster than row by row).
    public mutating func run(database: DatabasePool, progress: (Int) -> Void = { _ in }) throws -> Summary {
        let started = WallClock.system.now()
        try Schema.migrate(database, stoppingBefore: Schema.analyticsRollups)
        let writer = SQLiteWorldWriter(database: database)
        try writer.prepareForBulkLoad()
        try writer.insert(makeUsers())
        var done = 0
        while done < settings.cases {
            let count = min(settings.casesPerTransaction, settings.cases - done)
            var batch = WorldRows.Batch()
            for index in done..<(done + count) { addCase(index, to: &batch) }
            try writer.write(batch)
            done += count
            progress(done)
        }
        let written = WallClock.system.now()
        try Schema.migrate(database)
        try writer.finishBulkLoad()
        try database.checkpoint()
        let end = WallClock.system.now()
        return Summary(counts: try writer.counts(), seconds: Self.seconds(started, end), rollupSeconds: Self.seconds(written, end))
    }

    static func seconds(_ from: Instant, _ to: Instant) -> Double {
        Double(to.millisecondsSinceEpoch - from.millisecondsSinceEpoch) / 1_000
    }

    /// One agent per 5,000 cases (at least 5), twenty agents to a team (at least 2 teams), a
    /// supervisor per team and an admin.
    mutating func makeUsers() -> [WorldRows.User] {
        let start = settings.now.millisecondsSinceEpoch - Int64(settings.days + 30) * Self.day
        let agentCount = max(5, settings.cases / 5_000)
        let teamCount = max(2, agentCount / 20)
        var users: [WorldRows.User] = []
        for team in 0..<teamCount {
            let name = "team-" + String(team + 1)
            users.append(WorldRows.User(id: id("usr", at: start), name: "Supervisor " + String(team + 1), role: .supervisor,
                                        team: name, createdAt: start))
        }
        supervisor = users[0].id
        for agent in 0..<agentCount {
            let team = "team-" + String(agent % teamCount + 1)
            let user = WorldRows.User(id: id("usr", at: start), name: "Agent " + String(agent + 1), role: .agent, team: team, createdAt: start)
            agents.append((user.id, team))
            users.append(user)
        }
        users.append(WorldRows.User(id: id("usr", at: start), name: "Analyst", role: .analyst, team: nil, createdAt: start))
        return users
    }
}
