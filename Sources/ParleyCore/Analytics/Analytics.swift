/// What the analytics group by (contract §12).
public enum AnalyticsGrouping: String, Sendable, CaseIterable {
    case none, segment, agent, team, creditor
}

/// The question: a UTC date range [from, to), a currency (nil: every currency, one group set each)
/// and a grouping.
public struct AnalyticsQuery: Sendable, Equatable {
    public var from: CalendarDate
    public var to: CalendarDate
    public var currency: String?
    public var groupBy: AnalyticsGrouping
    public init(from: CalendarDate, to: CalendarDate, currency: String?, groupBy: AnalyticsGrouping) {
        self.from = from
        self.to = to
        self.currency = currency
        self.groupBy = groupBy
    }
    public var fromInstant: Instant { from.startInstantUTC }
    public var toInstant: Instant { to.startInstantUTC }
}

/// Integer counts and sums for one group, as the store aggregates them; rates are derived from
/// these in one place (`AnalyticsFigures`), null when their denominator is zero.
public struct AnalyticsCounts: Sendable, Equatable {
    public var cases: Int64 = 0
    public var placedMinor: Int64 = 0
    public var collectedMinor: Int64 = 0
    public var recoveredMinor: Int64 = 0
    public var casesAttempted: Int64 = 0
    public var casesConnected: Int64 = 0
    public var phoneAttempts: Int64 = 0
    public var phoneRPC: Int64 = 0
    public var promisesKept: Int64 = 0
    public var promisesBroken: Int64 = 0
    public var plansCompleted: Int64 = 0
    public var plansBroken: Int64 = 0
    public var feedbackCount: Int64 = 0
    public var scoreCommunication: Int64 = 0
    public var scoreAttitude: Int64 = 0
    public var scoreResolution: Int64 = 0
    public var npsAnswers: Int64 = 0
    public var promoters: Int64 = 0
    public var detractors: Int64 = 0
    public var complaints: Int64 = 0
    public var violations: Int64 = 0
    public init() {}
}

/// One group's figures as the API shows them.
public struct AnalyticsFigures: Sendable, Equatable {
    public let key: String?
    public let currency: String
    public let counts: AnalyticsCounts

    public init(key: String?, currency: String, counts: AnalyticsCounts) {
        self.key = key
        self.currency = currency
        self.counts = counts
    }

    static func ratio(_ part: Int64, _ whole: Int64) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }

    public var recoveryRate: Double? { Self.ratio(counts.recoveredMinor, counts.placedMinor) }
    public var contactRate: Double? { Self.ratio(counts.casesConnected, counts.casesAttempted) }
    public var rpcRate: Double? { Self.ratio(counts.phoneRPC, counts.phoneAttempts) }
    public var ptpKeptRate: Double? { Self.ratio(counts.promisesKept, counts.promisesKept + counts.promisesBroken) }
    public var planCompletionRate: Double? { Self.ratio(counts.plansCompleted, counts.plansCompleted + counts.plansBroken) }
    public var csatCommunication: Double? { Self.ratio(counts.scoreCommunication, counts.feedbackCount) }
    public var csatAttitude: Double? { Self.ratio(counts.scoreAttitude, counts.feedbackCount) }
    public var csatResolution: Double? { Self.ratio(counts.scoreResolution, counts.feedbackCount) }
    /// The mean of the three scores over every answer.
    public var csat: Double? {
        Self.ratio(counts.scoreCommunication + counts.scoreAttitude + counts.scoreResolution, counts.feedbackCount * 3)
    }
    /// % promoters (9–10) − % detractors (0–6), −100…100.
    public var nps: Double? {
        counts.npsAnswers == 0 ? nil : Double(counts.promoters - counts.detractors) * 100 / Double(counts.npsAnswers)
    }
    public var complaintsPer1000Cases: Double? { counts.cases == 0 ? nil : Double(counts.complaints) * 1_000 / Double(counts.cases) }
}

public enum TrendMetric: String, Sendable, CaseIterable {
    case collectedMinor = "collected_minor", csat, complaints
    case rpcRate = "rpc_rate"
}

public enum TrendInterval: String, Sendable, CaseIterable { case day, week, month }

/// One bucket of a trend: its first day and the counts behind the value.
public struct TrendPoint: Sendable, Equatable {
    public let periodStart: CalendarDate
    public let numerator: Int64
    public let denominator: Int64
    public init(periodStart: CalendarDate, numerator: Int64, denominator: Int64) {
        self.periodStart = periodStart
        self.numerator = numerator
        self.denominator = denominator
    }
}

public protocol AnalyticsStore: Sendable {
    /// Counts per (currency, group key) for the cases matching the query.
    func overview(_ query: AnalyticsQuery) throws -> [(currency: String, key: String?, counts: AnalyticsCounts)]
    /// Per bucket: the metric's numerator and denominator (denominator 1 for plain sums).
    func trend(_ metric: TrendMetric, interval: TrendInterval, from: CalendarDate, to: CalendarDate, currency: String?) throws -> [TrendPoint]
}

/// Analytics (contract §12), read-only, for supervisors, compliance, analysts and admins.
public struct AnalyticsService: Sendable {
    private let store: any AnalyticsStore
    public init(store: any AnalyticsStore) { self.store = store }

    public static func validate(from: CalendarDate?, to: CalendarDate?, into failure: inout ValidationFailure) {
        if let from, let to, from >= to { failure.add("to", "must be after from") }
        if let from, let to, to.daysSinceEpoch - from.daysSinceEpoch > 3_660 { failure.add("to", "the range may span at most ten years") }
    }

    public func overview(_ query: AnalyticsQuery, by actor: Principal) throws -> [AnalyticsFigures] {
        try actor.require(.analytics)
        return try store.overview(query).map { AnalyticsFigures(key: $0.key, currency: $0.currency, counts: $0.counts) }
    }

    /// A trend bucket's value: an integer sum for money and complaints, a ratio otherwise.
    public enum TrendValue: Sendable, Equatable {
        case count(Int64)
        case rate(Double?)
    }

    /// Each bucket's value: a sum for money and complaints, a ratio (null on a zero denominator) otherwise.
    public func trend(_ metric: TrendMetric, interval: TrendInterval, from: CalendarDate, to: CalendarDate, currency: String?,
                      by actor: Principal) throws -> [(CalendarDate, TrendValue)] {
        try actor.require(.analytics)
        return try store.trend(metric, interval: interval, from: from, to: to, currency: currency).map { point in
            switch metric {
            case .collectedMinor, .complaints: (point.periodStart, .count(point.numerator))
            case .csat: (point.periodStart, .rate(AnalyticsFigures.ratio(point.numerator, point.denominator * 3)))
            case .rpcRate: (point.periodStart, .rate(AnalyticsFigures.ratio(point.numerator, point.denominator)))
            }
        }
    }
}
