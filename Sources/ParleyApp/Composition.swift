import Glibc
import Logging
import ParleyCore
import ParleySQLite
import ParleyStore

/// Opens the database (migrating it) and wires stores into services: the one composition that
/// `parley serve` and every other command of the binary use.
public struct Composition: Sendable {
    public let database: DatabasePool
    public let users: UserService
    public let debtors: DebtorService
    public let cases: CaseService
    public let imports: ImportService
    public let audit: AuditService
    public let compliance: ComplianceService
    public let communications: CommunicationService

    public init(configuration: AppConfiguration, logger: Logger, clock: WallClock = .system,
                onVerdict: @escaping @Sendable (ComplianceVerdict) -> Void = { _ in }) throws {
        try Self.createParentDirectory(of: configuration.databasePath)
        var databaseConfiguration = DatabaseConfiguration(path: configuration.databasePath)
        databaseConfiguration.synchronousFull = configuration.databaseSynchronousFull
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
        let applied = try Schema.migrator.migrate(database)
        if !applied.isEmpty { logger.info("database migrated", metadata: ["migrations": "\(applied.joined(separator: ","))"]) }

        let ids = IDGenerator(clock: clock)
        users = UserService(store: SQLiteUserStore(database: database), ids: ids, clock: clock)
        let caseStore = SQLiteCaseStore(database: database)
        let debtorStore = SQLiteDebtorStore(database: database)
        let communicationStore = SQLiteCommunicationStore(database: database)
        cases = CaseService(store: caseStore, ids: ids, clock: clock)
        imports = ImportService(store: SQLiteImportStore(database: database), ids: ids, clock: clock)
        debtors = DebtorService(store: debtorStore, ids: ids, clock: clock)
        audit = AuditService(store: SQLiteAuditStore(database: database))
        compliance = try ComplianceService(
            policyStore: SQLiteCompliancePolicyStore(database: database), alertStore: SQLiteComplianceAlertStore(database: database),
            communications: communicationStore, cases: caseStore, debtors: debtorStore, clock: clock, onVerdict: onVerdict)
        communications = CommunicationService(
            store: communicationStore, cases: cases, caseStore: caseStore, compliance: compliance,
            transactor: SQLiteTransactor(database: database), ids: ids, clock: clock)
    }

    /// `data/parley.db` on a fresh checkout: make `data/` rather than fail.
    static func createParentDirectory(of path: String) throws {
        var components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        guard !components.isEmpty else { return }
        var current = path.hasPrefix("/") ? "" : "."
        if components.first == "" { components = components.dropFirst() }
        for component in components where !component.isEmpty {
            current += "/" + component
            if mkdir(current, 0o750) != 0 && errno != EEXIST {
                throw StartupError(message: "cannot create directory \(current) for the database")
            }
        }
    }

    public struct StartupError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

}
