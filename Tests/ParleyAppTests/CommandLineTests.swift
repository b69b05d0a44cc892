import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// The `parley` executable, built next to the test bundle.
func parleyBinary() -> String {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    while directory.path != "/" {
        let candidate = directory.appendingPathComponent("parley").path
        if FileManager.default.isExecutableFile(atPath: candidate), !candidate.hasSuffix(".xctest") { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return ".build/debug/parley"
}

/// Runs `parley` to completion; returns its exit status, standard output and standard error. A
/// command still running after `timeout` (a server that should have refused to start) is
/// stopped, and the test fails instead of hanging.
func runParley(_ arguments: [String], environment: [String: String], timeout: Duration = .seconds(60)) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: parleyBinary())
    process.arguments = arguments
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    if !waitUntil(timeout: timeout, pollingEvery: .milliseconds(20), { !process.isRunning }) {
        process.terminate()
        Issue.record("parley \(arguments.joined(separator: " ")) was still running after \(timeout)")
    }
    process.waitUntilExit()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (process.terminationStatus, stdout, stderr)
}

@Suite(.serialized) struct CommandLineTests {
    @Test func usersCreatePrintsAnIDAndAKeyThatWorks() throws {
        try withTemporaryDirectory { directory in
            let environment = ["PARLEY_DB": directory + "/p.db", "PARLEY_CONFIG": directory + "/none.json"]
            _ = writeFile(directory + "/none.json", "{}")
            let (status, output, _) = try runParley(["users", "create", "--name", "Ops", "--role", "admin"], environment: environment)
            #expect(status == 0)
            let printed = try JSONParser.parse(Array(output.utf8))
            #expect(printed["id"]?.string?.hasPrefix("usr_") == true)
            #expect(printed["api_key"]?.string?.hasPrefix("pk_") == true)
            let (badStatus, _, badError) = try runParley(["users", "create", "--name", "X", "--role", "boss"], environment: environment)
            #expect(badStatus != 0)
            #expect(badError.contains("--role"))
        }
    }

    /// A one-shot command's log lines reach standard error before it exits (they are buffered).
    @Test func migrateLogsTheMigrationsItApplied() throws {
        try withTemporaryDirectory { directory in
            let environment = ["PARLEY_DB": directory + "/p.db", "PARLEY_CONFIG": directory + "/none.json"]
            _ = writeFile(directory + "/none.json", "{}")
            let (status, output, error) = try runParley(["migrate"], environment: environment)
            #expect(status == 0)
            #expect(output.contains("applied migrations 0001-users-keys-audit") && output.contains("database is up to date"))
            #expect(error.contains("database migrated") && error.contains("0010-analytics-staged-rollups"))
            let (again, secondOutput, _) = try runParley(["migrate"], environment: environment)
            #expect(again == 0)
            #expect(secondOutput == "database is up to date\n")
        }
    }

    /// A backup reads its source as it is: a path that names nothing fails without creating it.
    @Test func backupCopiesAnExistingDatabaseAndNeverMakesOne() throws {
        try withTemporaryDirectory { directory in
            _ = writeFile(directory + "/none.json", "{}")
            var environment = ["PARLEY_DB": directory + "/missing.db", "PARLEY_CONFIG": directory + "/none.json"]
            let (missing, _, missingError) = try runParley(["backup", "--to", directory + "/copy.db"], environment: environment)
            #expect(missing == 1)
            #expect(missingError.contains("there is no database at " + directory + "/missing.db"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/missing.db"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/copy.db"))
            environment["PARLEY_DB"] = directory + "/p.db"
            #expect(try runParley(["users", "create", "--name", "Ops", "--role", "admin"], environment: environment).0 == 0)
            let (status, output, _) = try runParley(["backup", "--to", directory + "/copy.db"], environment: environment)
            #expect(status == 0)
            #expect(output.contains("backed up"))
            environment["PARLEY_DB"] = directory + "/copy.db"
            #expect(try runParley(["users", "create", "--name", "Second", "--role", "agent"], environment: environment).0 == 0)
        }
    }

    @Test func fieldErrorsArePrintedPlainly() throws {
        try withTemporaryDirectory { directory in
            _ = writeFile(directory + "/none.json", "{}")
            let environment = ["PARLEY_DB": directory + "/p.db", "PARLEY_CONFIG": directory + "/none.json"]
            let (status, _, error) = try runParley(["users", "create", "--name", "", "--role", "agent"], environment: environment)
            #expect(status != 0)
            #expect(error.contains("name: must not be empty"))
            #expect(!error.contains("ValidationFailure"))
        }
    }

    /// Without a webhook the outbox's directory is made at start-up; one that cannot be made stops it.
    @Test func anOutboxDirectoryThatCannotBeMadeStopsTheStart() throws {
        try withTemporaryDirectory { directory in
            _ = writeFile(directory + "/none.json", "{}")
            _ = writeFile(directory + "/file", "not a directory")
            let environment = ["PARLEY_DB": directory + "/p.db", "PARLEY_CONFIG": directory + "/none.json", "PARLEY_PORT": "0",
                               "PARLEY_OUTBOX_PATH": directory + "/file/outbox.jsonl"]
            let (status, _, error) = try runParley(["serve"], environment: environment, timeout: .seconds(20))
            #expect(status == 1)
            #expect(error.contains("cannot create directory " + directory + "/file for the message outbox"))
        }
    }

    /// An address that is not this machine's (TEST-NET-1) stops the start naming it and its settings.
    @Test func anAddressItCannotListenOnStopsTheStart() throws {
        try withTemporaryDirectory { directory in
            _ = writeFile(directory + "/none.json", "{}")
            let environment = ["PARLEY_DB": directory + "/p.db", "PARLEY_CONFIG": directory + "/none.json", "PARLEY_PORT": "0",
                               "PARLEY_HOST": "192.0.2.1", "PARLEY_OUTBOX_PATH": directory + "/outbox.jsonl"]
            let (status, _, error) = try runParley(["serve"], environment: environment, timeout: .seconds(20))
            #expect(status == 1)
            #expect(error.contains("cannot listen on 192.0.2.1:0") && error.contains("PARLEY_HOST"))
        }
    }

    @Test func aBadSettingStopsStartUpWithOneLine() throws {
        let (status, _, error) = try runParley(["serve"], environment: ["PARLEY_PORT": "nope", "PARLEY_CONFIG": "/dev/null/x"])
        #expect(status != 0)
        #expect(error.contains("PARLEY_PORT"))
        #expect(error.split(separator: "\n").count == 1)
    }

    @Test func serveBootstrapsTheAdminAndExitsZeroOnSIGTERM() throws {
        try withTemporaryDirectory { directory in
            _ = writeFile(directory + "/none.json", "{}")
            let environment = ["PARLEY_DB": directory + "/data/p.db", "PARLEY_PORT": "0", "PARLEY_CONFIG": directory + "/none.json",
                               "PARLEY_BOOTSTRAP_ADMIN_KEY": testAdminKey, "PARLEY_OUTBOX_PATH": directory + "/outbox.jsonl"]
            let (process, log, port) = try startServing(environment)
            #expect(log.contains("bootstrapped admin"))
            let admin = APIClient(port: port, key: testAdminKey)
            #expect(try admin.get("/v1/users").status == 200)
            process.terminate()  // SIGTERM
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)

            // On a database with users a bootstrap key is ignored, and the log says so.
            var again = environment
            again["PARLEY_BOOTSTRAP_ADMIN_KEY"] = "another-bootstrap-key-0002"
            let (second, secondLog, secondPort) = try startServing(again)
            #expect(secondLog.contains("PARLEY_BOOTSTRAP_ADMIN_KEY ignored"))
            #expect(try APIClient(port: secondPort, key: "another-bootstrap-key-0002").get("/v1/users").status == 401)
            second.terminate()
            second.waitUntilExit()
            #expect(second.terminationStatus == 0)
        }
    }

    /// Starts `parley serve` and reads its log until the "listening" line, which names the port the kernel picked.
    private func startServing(_ environment: [String: String]) throws -> (Process, String, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: parleyBinary())
        process.arguments = ["serve"]
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        try process.run()
        var log = ""
        var port: Int?
        while port == nil {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log += String(decoding: chunk, as: UTF8.self)
            for line in log.split(separator: "\n") where line.contains("\"msg\":\"listening\"") {
                if let value = try? JSONParser.parse(Array(line.utf8)), let text = value["port"]?.string { port = Int(text) }
            }
        }
        guard let port else {
            process.terminate()
            throw RawClient.Failure(description: "no listening line in: \(log)")
        }
        return (process, log, port)
    }
}
