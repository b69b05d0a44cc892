import ParleyCore
import ParleySQLite
import ParleyStore
import ParleyTestSupport

/// A fresh database, migrated as the app migrates it, in a temporary directory, with the real
/// SQLite stores over it. Builders make small valid records with only what a test cares about.
struct StoreFixture {
    let pool: DatabasePool
    let cases: SQLiteCaseStore
    let debtors: SQLiteDebtorStore
    let communications: SQLiteCommunicationStore
    let audit: SQLiteAuditStore
    let money: SQLiteMoneyStore
    let complaints: SQLiteComplaintStore
    let feedback: SQLiteFeedbackStore
    let messages: SQLiteMessageStore

    static let actor = Principal(userID: "usr_admin", role: .admin, team: nil)
    static let t0 = Instant(millisecondsSinceEpoch: 1_800_000_000_000)

    /// `stoppingBefore`: a database as an earlier release left it, to test a migration over it.
    static func with(stoppingBefore migration: String? = nil, _ body: (StoreFixture) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            let pool = try DatabasePool(configuration: DatabaseConfiguration(path: directory + "/store.db"))
            _ = try Schema.migrate(pool, stoppingBefore: migration)
            try body(StoreFixture(
                pool: pool, cases: SQLiteCaseStore(database: pool), debtors: SQLiteDebtorStore(database: pool),
                communications: SQLiteCommunicationStore(database: pool), audit: SQLiteAuditStore(database: pool),
                money: SQLiteMoneyStore(database: pool), complaints: SQLiteComplaintStore(database: pool),
                feedback: SQLiteFeedbackStore(database: pool), messages: SQLiteMessageStore(database: pool)))
        }
    }

    /// Milliseconds after `t0`.
    static func at(_ offset: Int64) -> Instant { Instant(millisecondsSinceEpoch: t0.millisecondsSinceEpoch + offset) }

    // MARK: Builders

    static func makeDebtor(_ id: DebtorID, name: String = "Debtor", externalRef: String? = nil, phones: [String] = [],
                           emails: [String] = []) -> Debtor {
        Debtor(id: id, externalRef: externalRef, name: name, timezone: "Europe/London", language: nil,
               phones: phones.map { Phone(number: $0, type: .mobile, consentCalls: true, consentSMS: true) },
               emails: emails.map { Email(address: $0, optedOut: false) }, address: nil, nationalID: nil,
               restrictions: Restrictions(), version: 1, createdAt: t0, updatedAt: t0)
    }

    static func makeCase(_ id: CaseID, debtor: DebtorID, creditor: String = "Acme", externalRef: String? = nil,
                         status: CaseStatus = .open, segment: Segment = .wait_and_see, assignedTo: String? = nil,
                         team: String? = nil, principal: Int64 = 10_000, createdAt: Instant = t0) -> DebtCase {
        DebtCase(id: id, debtorID: debtor, creditor: creditor, externalRef: externalRef ?? "ref-" + id.rawValue, currency: "GBP",
                 balance: Balance(principalMinor: principal, interestMinor: 0, feesMinor: 0, ledger: LedgerTotals()),
                 delinquentSince: CalendarDate(year: 2026, month: 1, day: 15)!, jurisdiction: "GB", assignedTo: assignedTo,
                 team: team, priority: .normal, tags: [], status: status, statusBefore: nil, closeReason: nil, segment: segment,
                 segmentOverride: nil, version: 1, createdAt: createdAt, updatedAt: createdAt)
    }

    // MARK: Inserting through the stores

    @discardableResult
    func insertDebtor(_ id: DebtorID, name: String = "Debtor", externalRef: String? = nil, phones: [String] = [],
                      emails: [String] = []) throws -> Debtor {
        let debtor = Self.makeDebtor(id, name: name, externalRef: externalRef, phones: phones, emails: emails)
        try debtors.insert(debtor, audit: AuditRecord(action: .debtorCreated, entity: "debtor", entityID: id), actor: Self.actor)
        return debtor
    }

    @discardableResult
    func insertCase(_ debtCase: DebtCase) throws -> DebtCase {
        try cases.insert(debtCase, audit: AuditRecord(action: .caseCreated, entity: "case", entityID: debtCase.id), actor: Self.actor)
        return debtCase
    }

    /// A debtor with one open case, the common starting point.
    @discardableResult
    func insertDebtorWithCase(_ caseID: CaseID = "case_1", debtor: DebtorID = "dbt_1") throws -> DebtCase {
        try insertDebtor(debtor)
        return try insertCase(Self.makeCase(caseID, debtor: debtor))
    }

    func count(_ sql: SQL, _ arguments: [any SQLBindable] = []) throws -> Int64 {
        try pool.read { try $0.queryFirst(sql, arguments) { $0.int(0) } } ?? -1
    }
}

/// Every page of a keyset walk, following `nextAfter` until it is nil.
func walkPages<Item>(limit: Int, _ fetch: (PageRequest) throws -> Page<Item>) throws -> [[Item]] {
    var pages: [[Item]] = []
    var after: String?
    repeat {
        let page = try fetch(PageRequest(limit: limit, after: after))
        pages.append(page.items)
        after = page.nextAfter
        if pages.count > 10_000 { break }
    } while after != nil
    return pages
}
