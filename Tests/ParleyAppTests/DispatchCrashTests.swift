import Dispatch
import Foundation
import Glibc
import ParleyCore
import ParleyHTTP
import ParleyTestSupport
import Synchronization
import Testing

/// Starts `parley serve` and waits for its "listening" line; answers the process and its port.
/// The server's log goes to a file next to its database (no pipe: nothing to drain, nothing to
/// close twice), which is read until the line appears.
func startServer(_ environment: [String: String]) throws -> (Process, Int) {
    let directory = (environment["PARLEY_DB"] ?? "/tmp/parley.db").split(separator: "/").dropLast().joined(separator: "/")
    let logPath = "/" + directory + "/server-\(UInt64.random(in: 0...UInt64.max)).log"
    guard FileManager.default.createFile(atPath: logPath, contents: nil),
          let log = FileHandle(forWritingAtPath: logPath) else { throw RawClient.Failure(description: "cannot create \(logPath)") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: parleyBinary())
    process.arguments = ["serve"]
    process.environment = environment
    process.standardError = log
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    try log.close()
    var text = ""
    var port: Int?
    waitUntil(timeout: .seconds(30), pollingEvery: .milliseconds(20)) {
        text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        port = listeningPort(in: text)
        return port != nil || !process.isRunning
    }
    if let port { return (process, port) }
    if !process.isRunning { throw RawClient.Failure(description: "the server exited: \(text)") }
    process.terminate()
    throw RawClient.Failure(description: "the server did not start within 30 s")
}

/// The port in the server's "listening" log line, once it is there.
private func listeningPort(in log: String) -> Int? {
    for line in log.split(separator: "\n") where line.contains("\"msg\":\"listening\"") {
        if let value = try? JSONParser.parse(Array(line.utf8)), let port = value["port"]?.string.flatMap(Int.init) {
            return port
        }
    }
    return nil
}

/// A webhook that holds its first delivery until released, to catch the dispatcher mid-send.
final class HoldingReceiver: HTTPResponder {
    let firstArrived = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    private let keys = Mutex<[String]>([])

    func bodyLimit(for head: HTTPRequestHead) -> Int? { nil }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        let count = keys.withLock { keys in
            keys.append(request.headers["idempotency-key"] ?? "")
            return keys.count
        }
        if count == 1 {
            firstArrived.signal()
            _ = release.wait(timeout: .now() + 10)
        }
        return HTTPResponse(status: .ok)
    }

    var deliveries: [String] { keys.withLock { $0 } }
}

@Suite(.serialized) struct DispatchCrashTests {
    @Test func aServerKilledMidDeliveryLosesNoMessageAndRepeatsItWithTheSameID() throws {
        let receiver = HoldingReceiver()
        try withHTTPServer(responder: receiver) { hook in
            try withTemporaryDirectory { directory in
                _ = writeFile(directory + "/none.json", "{}")
                let environment = [
                    "PARLEY_DB": directory + "/p.db", "PARLEY_PORT": "0", "PARLEY_CONFIG": directory + "/none.json",
                    "PARLEY_BOOTSTRAP_ADMIN_KEY": testAdminKey, "PARLEY_DISPATCH_INTERVAL_SECONDS": "0",
                    "PARLEY_MESSAGE_WEBHOOK_URL": "http://127.0.0.1:\(hook.port)/hook",
                ]
                var (server, port) = try startServer(environment)
                var admin = APIClient(port: port, key: testAdminKey)
                let caseID = try makeEmailCase(admin)
                // E-mail has no contact window, so the message is allowed whatever the time of day.
                let queued = try admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"email","subject":"Hi","body":"Your plan"}"#)
                let messageID = try #require(queued["id"]?.string, "\(queued.text)")
                let client = admin
                DispatchQueue.global().async { _ = try? client.post("/v1/jobs/dispatch/run", "{}") }
                #expect(receiver.firstArrived.wait(timeout: .now() + 10) == .success)
                kill(server.processIdentifier, SIGKILL)
                server.waitUntilExit()
                receiver.release.signal()

                (server, port) = try startServer(environment)
                defer {
                    server.terminate()
                    server.waitUntilExit()
                }
                admin = APIClient(port: port, key: testAdminKey)
                #expect(try admin.get("/v1/messages/\(messageID)")["status"]?.string == "queued")
                let run = try admin.post("/v1/jobs/dispatch/run", "{}")
                #expect(run["result"]?["sent"]?.int64 == 1, "\(run.text)")
                #expect(try admin.get("/v1/messages/\(messageID)")["status"]?.string == "sent")
                #expect(receiver.deliveries == [messageID, messageID])
                #expect(try admin.get("/v1/audit/verify")["ok"] == .bool(true))
            }
        }
    }
}

func makeEmailCase(_ client: APIClient, ref: String = "E-1") throws -> String {
    let debtor = try client.post("/v1/debtors", """
        {"name":"Kim Lee","timezone":"Europe/London","emails":[{"address":"kim@example.com","opted_out":false}]}
        """)
    guard let debtorID = debtor["id"]?.string else { throw RawClient.Failure(description: "debtor: \(debtor.text)") }
    let created = try client.post("/v1/cases", """
        {"debtor_id":"\(debtorID)","creditor":"Acme","external_ref":"\(ref)","currency":"GBP","principal_minor":500000,
         "delinquent_since":"2026-06-01","jurisdiction":"GB"}
        """)
    guard let id = created["id"]?.string else { throw RawClient.Failure(description: "case: \(created.text)") }
    return id
}
