import ArgumentParser
import Dispatch
import Glibc
import Logging
import ParleyApp
import ParleyCore

/// `parley serve | migrate | users create | backup | generate`. Everything real lives in ParleyApp.
struct Parley: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parley: the debt-collection customer-service API.",
        subcommands: [Serve.self, Migrate.self, Users.self, Backup.self, Generate.self])
}

/// Loads the configuration or stops with one line naming every bad setting.
func loadConfiguration() throws -> AppConfiguration {
    do {
        return try AppConfiguration.load(environment: ProcessInfoEnvironment.current)
    } catch let invalid as AppConfiguration.Invalid {
        FileHandleStderr.write("parley: \(invalid.description)\n")
        throw ExitCode(2)
    }
}

func makeLogger(_ level: Logger.Level) -> Logger {
    LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
    var logger = Logger(label: "parley")
    logger.logLevel = level
    return logger
}

/// The logger of the one-shot commands: JSON lines on stderr, like the server's.
func consoleLogger(_ config: AppConfiguration) -> Logger { makeLogger(config.logLevel) }

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server until SIGTERM or SIGINT.")

    func run() throws {
        let config = try loadConfiguration()
        let logger = makeLogger(config.logLevel)
        let app: ParleyApplication
        do {
            app = try ParleyApplication(configuration: config, logger: logger,
                                        accessLog: JSONAccessLog(label: logger.label, level: config.logLevel))
        } catch {
            FileHandleStderr.write("parley: cannot start: \(error)\n")
            throw ExitCode(1)
        }
        if let admin = app.bootstrappedAdmin {
            logger.notice("bootstrapped admin user from PARLEY_BOOTSTRAP_ADMIN_KEY", metadata: ["user.id": "\(admin.id)"])
        } else if config.bootstrapAdminKey != nil {
            // An operator who set a key expects it to work: say why it does not.
            logger.notice("PARLEY_BOOTSTRAP_ADMIN_KEY ignored: the database already has users; keys are managed through /v1/users")
        }
        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        try app.start()
        stop.wait()
        logger.info("shutting down")
        app.shutdown()
        app.wait()
        LogSink.standardError.flush()
        _ = sources
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    func run() throws {
        let config = try loadConfiguration()
        let applied = try Composition(configuration: config, logger: consoleLogger(config)).appliedMigrations
        print(applied.isEmpty ? "database is up to date" : "applied migrations " + applied.joined(separator: ", ") + "; database is up to date")
    }
}

struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage users.", subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user and print its first API key.")
        @Option(help: "The user's name.") var name: String
        @Option(help: "agent, supervisor, compliance, analyst or admin.") var role: String
        @Option(help: "The user's team.") var team: String?

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be one of " + Role.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }

        func run() throws {
            let config = try loadConfiguration()
            guard let role = Role(rawValue: role) else { throw ValidationError("unknown role") }
            let composition = try Composition(configuration: config, logger: consoleLogger(config))
            let (user, key) = try composition.users.createFromConsole(NewUser(name: name, role: role, team: team))
            var writer = JSONWriter()
            writer.beginObject()
            writer.field("id", user.id)
            writer.field("api_key", key.apiKey)
            writer.endObject()
            print(writer.string)
        }
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database with SQLite's online backup API (safe while serving).",
        discussion: "The database is PARLEY_DB (or the config file's database_path); it is read as it is: never created or migrated.")
    @Option(help: "Destination file.") var to: String

    func run() throws {
        let config = try loadConfiguration()
        try DatabaseBackup.copy(config, to: to)
        print("backed up \(config.databasePath) to \(to)")
    }
}

enum ProcessInfoEnvironment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}

enum FileHandleStderr {
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

// Log lines are buffered (LogSink); whatever a command logged is written out however it ends,
// `exit` from a failed command included.
atexit { LogSink.standardError.flush() }
Parley.main()
