import Foundation
import Glibc
import Logging
import ParleyCore
import ParleyHTTP
import ParleySQLite
import ParleyStore

/// Opens the database (migrating it) and wires stores into services: the one composition that
/// `parley serve` and every other command of the binary use.
public struct Composition: Sendable {
    public let database: DatabasePool
    /// The migrations this opening applied (none when the database was up to date).
    public let appliedMigrations: [String]
    public let users: UserService
    public let debtors: DebtorService
    public let cases: CaseService
    public let imports: ImportService
    public let audit: AuditService
    public let compliance: ComplianceService
    public let communications: CommunicationService
    public let messages: MessageService
    public let money: MoneyService
    public let feedback: FeedbackService
    public let portal: PortalService
    public let complaints: ComplaintService
    public let analytics: AnalyticsService
    public let segments: SegmentService
    public let jobs: JobRunner
    let messageStore: SQLiteMessageStore

    /// Observers for `/metrics`; the one-shot commands need none.
    public struct Observers: Sendable {
        public var verdict: @Sendable (ComplianceVerdict) -> Void = { _ in }
        public var message: @Sendable (Message.Status, Bool) -> Void = { _, _ in }
        public var job: @Sendable (String, Bool) -> Void = { _, _ in }
        public var money: @Sendable (AuditAction) -> Void = { _ in }
        public init() {}
    }

    public init(configuration: AppConfiguration, logger: Logger, clock: WallClock = .system, observers: Observers = Observers()) throws {
        try Self.createParentDirectory(of: configuration.databasePath, for: "the database")
        if configuration.messageWebhookURL == nil {
            // Without a webhook every message goes to the outbox: a directory that cannot be made
            // stops the start, rather than failing each message later.
            try Self.createParentDirectory(of: configuration.outboxPath, for: "the message outbox (PARLEY_OUTBOX_PATH)")
        }
        var databaseConfiguration = DatabaseConfiguration(path: configuration.databasePath)
        databaseConfiguration.synchronousFull = configuration.databaseSynchronousFull
        databaseConfiguration.maxBytes = configuration.databaseMaxBytes
        // A request waiting for its turn to write lets the handler pool run another meanwhile.
        databaseConfiguration.waits = WaitObserver(willWait: HandlerThreads.willWait, didWait: HandlerThreads.didWait)
        databaseConfiguration.onCheckpoint = { [logger] result in
            if result.isComplete {
                logger.debug("checkpoint", metadata: ["mode": "\(result.mode)", "frames": "\(result.logFrames)"])
            } else {
                logger.warning("checkpoint incomplete", metadata: [
                    "mode": "\(result.mode)", "status": "\(result.status)",
                    "log_frames": "\(result.logFrames)", "checkpointed_frames": "\(result.checkpointedFrames)",
                ])
            }
        }
        database = try DatabasePool(configuration: databaseConfiguration)
        if !Connection.libraryIsConfigured {
            logger.warning("SQLite was initialised before Parley could turn its memory statistics off; every allocation takes a process-wide lock")
        }
        if !database.writerRunsAboveProcess {
            logger.debug("the database writer thread cannot be raised above the process; request threads run at a lower priority instead")
        }
        let applied = try Schema.migrate(database)
        appliedMigrations = applied
        if !applied.isEmpty { logger.info("database migrated", metadata: ["migrations": "\(applied.joined(separator: ","))"]) }

        let ids = IDGenerator(clock: clock)
        users = UserService(store: SQLiteUserStore(database: database), ids: ids, clock: clock)
        let caseStore = SQLiteCaseStore(database: database)
        let debtorStore = SQLiteDebtorStore(database: database)
        let communicationStore = SQLiteCommunicationStore(database: database)
        // Every case change reaches the segment service after it is written.
        let changes = CaseChangeFeed()
        cases = CaseService(store: caseStore, ids: ids, clock: clock, changes: changes)
        imports = ImportService(store: SQLiteImportStore(database: database), ids: ids, clock: clock)
        debtors = DebtorService(store: debtorStore, ids: ids, clock: clock, changes: changes)
        audit = AuditService(store: SQLiteAuditStore(database: database))
        compliance = try ComplianceService(
            policyStore: SQLiteCompliancePolicyStore(database: database), alertStore: SQLiteComplianceAlertStore(database: database),
            communications: communicationStore, cases: caseStore, debtors: debtorStore, clock: clock, onVerdict: observers.verdict)
        let segments = SegmentService(store: SQLiteSegmentStore(database: database), compliance: compliance, cases: cases, clock: clock)
        self.segments = segments
        changes.listen { [logger] subject in
            do { try segments.refresh(subject) } catch {
                logger.error("segment refresh failed", metadata: ["error": "\(error)"])
            }
        }
        let transactor = SQLiteTransactor(database: database)
        communications = CommunicationService(
            store: communicationStore, cases: cases, caseStore: caseStore, compliance: compliance,
            transactor: transactor, ids: ids, clock: clock, changes: changes)
        let moneyStore = SQLiteMoneyStore(database: database)
        let money = MoneyService(store: moneyStore, cases: cases, caseStore: caseStore, compliance: compliance,
                                 transactor: transactor, ids: ids, clock: clock, changes: changes, onEvent: observers.money)
        self.money = money
        portal = PortalService(store: SQLitePortalStore(database: database), cases: cases, caseStore: caseStore, debtors: debtorStore,
                               money: money, ids: ids, clock: clock, publicURL: configuration.publicURL, agency: configuration.agency)
        let messageStore = SQLiteMessageStore(database: database)
        self.messageStore = messageStore
        messages = MessageService(templates: SQLiteTemplateStore(database: database), store: messageStore, cases: cases,
                                  debtors: debtorStore, compliance: compliance, portal: portal, transactor: transactor,
                                  ids: ids, clock: clock)
        let dispatcher = MessageDispatcher(
            store: messageStore, communications: communicationStore, compliance: compliance, cases: cases,
            delivery: Self.delivery(configuration), transactor: transactor, ids: ids, money: moneyStore,
            onOutcome: { [logger] message, attempted in
                observers.message(message.status, attempted)
                Self.log(message, attempted: attempted, logger)
            })
        feedback = FeedbackService(store: SQLiteFeedbackStore(database: database), cases: cases, communications: communicationStore,
                                   compliance: compliance, limiter: RateLimiter(limit: configuration.publicRateLimitPerMinute),
                                   ids: ids, clock: clock, changes: changes)
        let complaints = ComplaintService(store: SQLiteComplaintStore(database: database), cases: cases, ids: ids, clock: clock,
                                          changes: changes)
        self.complaints = complaints
        analytics = AnalyticsService(store: SQLiteAnalyticsStore(database: database))
        let reminders = ReminderJob(money: moneyStore, messages: messages, cases: caseStore, compliance: compliance)
        // With the schedule off (interval 0) every job runs on demand only.
        let scheduled = configuration.dispatchIntervalSeconds > 0
        let hourly: Double = scheduled ? 3_600 : 0
        jobs = JobRunner(jobs: [
            Job(name: "dispatch", interval: Double(configuration.dispatchIntervalSeconds)) { try dispatcher.run(asOf: $0) },
            Job(name: "reminders", interval: hourly) { try reminders.run(asOf: $0) },
            Job(name: "plan_monitor", interval: hourly) { try money.runPlanMonitor(asOf: $0) },
            Job(name: "promise_monitor", interval: hourly) { try money.runPromiseMonitor(asOf: $0) },
            Job(name: "complaint_sla", interval: hourly) { try complaints.runSLA(asOf: $0) },
            Job(name: "segments", interval: scheduled ? 86_400 : 0) { try segments.refreshAll(asOf: $0) },
        ], clock: clock, onRun: observers.job)
    }

    /// At server start-up: claims of a process that stopped mid-delivery are handed back, so those
    /// messages go out again (the one-shot commands never do this: a server may be running).
    public func releaseStaleClaims(logger: Logger) throws {
        let released = try messageStore.releaseAllClaims()
        if released > 0 { logger.warning("messages claimed by an earlier process are queued again", metadata: ["count": "\(released)"]) }
    }

    /// The webhook when one is configured, else the outbox file.
    static func delivery(_ configuration: AppConfiguration) -> any MessageDelivery {
        if let text = configuration.messageWebhookURL, let url = URL(string: text) { return WebhookDelivery(url: url) }
        return OutboxDelivery(path: configuration.outboxPath)
    }

    /// A delivery that failed or a message suppressed, for the operator looking for a message that
    /// did not go out (ids, attempts and the reason; no recipient or text).
    static func log(_ message: Message, attempted: Bool, _ logger: Logger) {
        var metadata: Logger.Metadata = ["message.id": "\(message.id)", "case.id": "\(message.caseID)",
                                         "attempts": "\(message.attempts)", "reason": "\(message.lastError ?? "")"]
        switch message.status {
        case .failed:
            logger.warning("message delivery failed for good", metadata: metadata)
        case .suppressed:
            if !message.violations.isEmpty { metadata["reason"] = "\(message.violations.map(\.rule.rawValue).joined(separator: ","))" }
            logger.info("message suppressed", metadata: metadata)
        case .queued where attempted, .scheduled where attempted:
            metadata["next_attempt_at"] = "\(message.nextAttemptAt.map { $0.rfc3339 } ?? "")"
            logger.notice("message delivery failed; it will be tried again", metadata: metadata)
        default:
            break
        }
    }

    /// `data/parley.db` on a fresh checkout: make `data/` rather than fail.
    static func createParentDirectory(of path: String, for purpose: String) throws {
        var components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        guard !components.isEmpty else { return }
        var current = path.hasPrefix("/") ? "" : "."
        if components.first == "" { components = components.dropFirst() }
        for component in components where !component.isEmpty {
            current += "/" + component
            if mkdir(current, 0o750) != 0 {
                // Already there is fine only as a directory (a file of that name is not one).
                var info = stat()
                guard errno == EEXIST, stat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw StartupError(message: "cannot create directory \(current) for \(purpose)")
                }
            }
        }
    }

    public struct StartupError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

}
