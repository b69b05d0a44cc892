/// The placement file's columns (contract §13), in their documented order.
public enum PlacementColumns {
    public static let all = [
        "creditor", "external_ref", "debtor_external_ref", "debtor_name", "phone", "email", "timezone", "jurisdiction",
        "currency", "principal_minor", "interest_minor", "fees_minor", "delinquent_since",
    ]
    /// Export adds these after the import columns.
    public static let exportExtra = ["status", "balance_minor", "segment"]
}

/// One valid row, ready to store.
public struct PlacementRow: Sendable {
    public let line: Int
    public let creditor: String
    public let externalRef: String
    public let debtorExternalRef: String
    public let debtorName: String
    public let phone: String?
    public let email: String?
    public let timezone: String
    public let jurisdiction: String
    public let currency: String
    public let principalMinor: Int64
    public let interestMinor: Int64
    public let feesMinor: Int64
    public let delinquentSince: CalendarDate
}

public struct RejectedRow: Sendable, Equatable {
    public let line: Int
    public let errors: [FieldError]
}

public struct ImportResult: Sendable {
    public var rows = 0
    public var createdDebtors = 0
    public var createdCases = 0
    public var unchanged = 0
    public var rejected: [RejectedRow] = []
    public var dryRun = false
    public var importID = ""
    public init() {}
}

/// What the store reports for a batch of valid rows.
public struct ImportCounts: Sendable, Equatable {
    public var createdDebtors = 0
    public var createdCases = 0
    public var unchanged = 0
    public init() {}
}

public protocol ImportStore: Sendable {
    /// Stores valid rows in transactions of about `batchSize` rows, each with one audit entry.
    /// Debtors are found by `debtor_external_ref` or created; a case whose `(creditor, external_ref)`
    /// exists is left as it is and counted unchanged. With `dryRun` every change is rolled back,
    /// and the counts are what a real run would report.
    func importRows(_ rows: [PlacementRow], importID: String, dryRun: Bool, actor: Actor, at: Instant,
                    makeID: @Sendable (String) -> String, segment: @Sendable (PlacementRow, Bool) -> Segment) throws -> ImportCounts
}
