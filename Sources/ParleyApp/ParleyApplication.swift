import Glibc
import Logging
import ParleyAPI
import ParleyCore
import ParleyHTTP
import ParleySQLite
import ParleyStore

/// The composition root: opens the database, migrates it, wires stores into services and
/// services into the API, and runs the HTTP server. `parley serve` and the end-to-end tests
/// start exactly this.
public final class ParleyApplication: Sendable {
    public static let version = "0.1.0"
    /// Nice levels the request threads run below the process when the database writer thread
    /// could not be raised above it (Docs/http-server.md).
    static let requestThreadNiceness: Int32 = 5

    public let configuration: AppConfiguration
    public let database: DatabasePool
    public let metrics: MetricsRegistry
    private let server: HTTPServer
    private let logger: Logger
    /// The admin created from `PARLEY_BOOTSTRAP_ADMIN_KEY` on an empty database, if any.
    public let bootstrappedAdmin: User?
    private let jobs: JobRunner

    /// `accessLog` writes the per-request lines (the `parley` command passes its JSON writer);
    /// without one they go through `logger`.
    public init(configuration: AppConfiguration, logger: Logger, clock: WallClock = .system,
                accessLog: (any AccessLogWriter)? = nil) throws {
        self.configuration = configuration
        self.logger = logger
        if !MallocArenas.limit() { logger.warning("could not cap glibc's malloc arenas; memory may grow with the handler threads") }
        let metrics = MetricsRegistry()
        self.metrics = metrics
        let composition = try Composition(configuration: configuration, logger: logger, clock: clock,
                                          observers: Self.observers(metrics))
        jobs = composition.jobs
        database = composition.database
        try composition.releaseStaleClaims(logger: logger)
        bootstrappedAdmin = try configuration.bootstrapAdminKey.flatMap { try composition.users.bootstrapAdmin(key: $0) }
        let services = APIServices(
            users: composition.users, debtors: composition.debtors, cases: composition.cases, imports: composition.imports,
            communications: composition.communications, compliance: composition.compliance, messages: composition.messages,
            money: composition.money, feedback: composition.feedback, portal: composition.portal, complaints: composition.complaints,
            analytics: composition.analytics, segments: composition.segments,
            jobs: composition.jobs, audit: composition.audit,
            health: HealthService(version: Self.version, probe: SQLiteHealthProbe(database: database), clock: clock),
            idempotency: SQLiteIdempotencyStore(database: database),
            metrics: metrics, clock: clock, metricsRequireKey: configuration.metricsRequireKey,
            maxImportBytes: configuration.maxImportBytes)
        let responder = ParleyRouter.make(services: services, logger: logger, accessLog: accessLog)
        var http = configuration.http
        // The database writer runs every write: above the request threads, raised or they lowered.
        if !database.writerRunsAboveProcess { http.requestThreadNiceness = Self.requestThreadNiceness }
        do {
            server = try HTTPServer(configuration: http, responder: responder, logger: logger, accessLog: accessLog, metrics: metrics)
        } catch let error as ListenError {
            throw Composition.StartupError(message: "\(error) (host and port: PARLEY_HOST, PARLEY_PORT)")
        }
        let server = server
        let database = database
        metrics.gauge("parley_http_open_connections", help: "Open client connections.") { Double(server.openConnections) }
        Self.registerDatabaseMetrics(metrics, database)
    }

    /// Counts verdicts, violations, message outcomes and job runs for `/metrics`.
    static func observers(_ metrics: MetricsRegistry) -> Composition.Observers {
        var observers = Composition.Observers()
        // Every contact is judged: its series are resolved once, here.
        let allowed = metrics.counter("parley_compliance_verdicts_total", [("result", "allowed")], help: "Compliance judgements by result.")
        let blocked = metrics.counter("parley_compliance_verdicts_total", [("result", "blocked")], help: "Compliance judgements by result.")
        let byRule = Dictionary(uniqueKeysWithValues: ComplianceRuleName.allCases.map { rule in
            (rule, metrics.counter("parley_compliance_violations_total", [("rule", rule.rawValue)],
                                  help: "Compliance rule violations found, by rule."))
        })
        observers.verdict = { verdict in
            metrics.increment(verdict.ok ? allowed : blocked)
            for violation in verdict.violations {
                if let series = byRule[violation.rule] { metrics.increment(series) }
            }
        }
        // Resolved up front and shown from the start at 0 (`counter`): an alert on the first failed
        // delivery has a series to watch before it happens.
        let byStatus = Dictionary(uniqueKeysWithValues: Message.Status.allCases.map { status in
            (status, metrics.counter("parley_messages_total", [("status", status.rawValue)], help: "Messages by the state a dispatch left them in."))
        })
        let delivered = metrics.counter("parley_message_delivery_attempts_total", [("result", "delivered")], help: "Delivery attempts by result.")
        let undelivered = metrics.counter("parley_message_delivery_attempts_total", [("result", "failed")], help: "Delivery attempts by result.")
        observers.message = { status, attempted in
            if let series = byStatus[status] { metrics.increment(series) }
            if attempted { metrics.increment(status == .sent ? delivered : undelivered) }
        }
        let moneyEvents: [AuditAction: MetricsRegistry.Series] = Dictionary(uniqueKeysWithValues: [
            AuditAction.paymentRecorded, .paymentReversed, .planProposed, .planCompleted, .planBroken, .promiseMade, .promiseKept,
            .promiseBroken, .promiseReopened, .adjustmentRequested, .adjustmentApproved,
        ].map { ($0, metrics.counter("parley_money_events_total", [("event", $0.rawValue)],
                                    help: "Payments, reversals and plan, promise and adjustment outcomes."))
        })
        observers.money = { action in
            if let series = moneyEvents[action] { metrics.increment(series) }
        }
        observers.job = { name, succeeded in
            metrics.increment("parley_job_runs_total", [("job", name), ("result", succeeded ? "ok" : "error")],
                              help: "Job runs by job and result.")
        }
        return observers
    }

    private static func registerDatabaseMetrics(_ metrics: MetricsRegistry, _ database: DatabasePool) {
        metrics.counter("parley_db_reader_waits_total", help: "Reads that waited for a free reader connection.") {
            [([], UInt64(database.readerWaits.load(ordering: .relaxed)))]
        }
        metrics.counter("parley_db_checkpoints_total", help: "WAL checkpoints by result.") {
            let stats = database.checkpointStatistics
            return [([("result", "complete")], stats.completed), ([("result", "partial")], stats.partial),
                    ([("result", "failed")], stats.failed)]
        }
        metrics.gauge("parley_db_wal_bytes", help: "Size of the write-ahead log file.") { Double(database.walBytes) }
        metrics.gauge("parley_db_wal_last_checkpoint_frames", help: "Frames in the WAL at the last checkpoint.") {
            Double(database.checkpointStatistics.lastLogFrames)
        }
    }

    /// The bound port (useful with port 0).
    public var port: Int { server.port }

    public func start() throws {
        try server.start()
        if configuration.dispatchIntervalSeconds > 0 {
            jobs.startSchedule { [logger] name, error in
                logger.error("scheduled job failed", metadata: ["job": "\(name)", "error": "\(error)"])
            }
        }
        logger.info("listening", metadata: ["host": "\(configuration.http.host)", "port": "\(server.port)"])
    }

    /// Graceful stop: no new connections, in-flight requests finish (bounded), then the WAL is checkpointed.
    public func shutdown() {
        jobs.stop()
        server.shutdown()
    }

    /// Waits for the server to stop, then checkpoints the database.
    public func wait() {
        server.wait()
        finishStopping()
    }

    /// Like `wait()`, but gives up after `timeout`: false (and no checkpoint) when the server is
    /// still running then. Tests use it so a server that fails to stop fails the test.
    public func wait(timeout: Duration) -> Bool {
        guard server.wait(timeout: timeout) else { return false }
        finishStopping()
        return true
    }

    private func finishStopping() {
        do { try database.checkpoint() } catch { logger.warning("checkpoint failed", metadata: ["error": "\(error)"]) }
        logger.info("stopped")
    }
}
