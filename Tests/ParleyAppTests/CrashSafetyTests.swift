import Dispatch
import Foundation
import Glibc
import ParleyCore
import ParleyTestSupport
import Synchronization
import Testing

/// Clients write communications and payments at full speed; the server is killed with SIGKILL at a
/// random moment and restarted on the same database. Every write acknowledged with a 2xx before the
/// kill must be there, every balance must equal what was placed minus the payments on record, and
/// the audit chain must verify. `PARLEY_CRASH_ROUNDS` sets the rounds (2 by default).
@Suite(.serialized) struct CrashSafetyTests {
    struct Acknowledged: Sendable {
        var communications: [(caseID: String, id: String)] = []
        var payments: [(caseID: String, id: String, amount: Int64)] = []
    }

    @Test func everyAcknowledgedWriteSurvivesSIGKILL() throws {
        let rounds = Int(ProcessInfo.processInfo.environment["PARLEY_CRASH_ROUNDS"] ?? "") ?? 2
        try withTemporaryDirectory { directory in
            _ = writeFile(directory + "/none.json", "{}")
            let environment = [
                "PARLEY_DB": directory + "/p.db", "PARLEY_PORT": "0", "PARLEY_CONFIG": directory + "/none.json",
                "PARLEY_BOOTSTRAP_ADMIN_KEY": testAdminKey, "PARLEY_DISPATCH_INTERVAL_SECONDS": "0",
                "PARLEY_OUTBOX_PATH": directory + "/outbox.jsonl",
            ]
            var (server, port) = try startServer(environment)
            var cases: [String] = []
            for index in 0..<8 { cases.append(try makeEmailCase(APIClient(port: port, key: testAdminKey), ref: "K-\(index)")) }
            var generator = SystemRandomNumberGenerator()
            for round in 0..<rounds {
                let acknowledged = Mutex(Acknowledged())
                let stop = Atomic<Bool>(false)
                let group = DispatchGroup()
                for worker in 0..<4 {
                    let client = APIClient(port: port, key: testAdminKey, timeoutSeconds: 5)
                    let allCases = cases
                    DispatchQueue.global().async(group: group) {
                        var sequence = 0
                        while !stop.load(ordering: .relaxed) {
                            sequence += 1
                            let caseID = allCases[(worker + sequence) % allCases.count]
                            if sequence % 2 == 0 {
                                guard let response = try? client.post("/v1/cases/\(caseID)/payments", #"{"amount_minor":1,"currency":"GBP"}"#,
                                                                        headers: [("Idempotency-Key", "r\(round)-w\(worker)-\(sequence)")]) else { continue }
                                if response.status == 201, let id = response["id"]?.string {
                                    acknowledged.withLock { $0.payments.append((caseID, id, 1)) }
                                }
                            } else {
                                guard let response = try? client.post("/v1/cases/\(caseID)/communications", """
                                    {"channel":"email","direction":"outbound","outcome":"sent","occurred_at":"2026-11-01T10:00:00Z"}
                                    """) else { continue }
                                if response.status == 201, let id = response["id"]?.string {
                                    acknowledged.withLock { $0.communications.append((caseID, id)) }
                                }
                            }
                        }
                    }
                }
                // Let the writers get going (a busy machine is slow to start), then kill at a random moment.
                waitUntil(timeout: .seconds(20), pollingEvery: .milliseconds(50)) {
                    acknowledged.withLock { $0.communications.count >= 5 && $0.payments.count >= 5 }
                }
                usleep(UInt32.random(in: 100_000...800_000, using: &generator))
                kill(server.processIdentifier, SIGKILL)
                server.waitUntilExit()
                stop.store(true, ordering: .relaxed)
                group.wait()

                (server, port) = try startServer(environment)
                let admin = APIClient(port: port, key: testAdminKey, timeoutSeconds: 30)
                let seen = acknowledged.withLock { $0 }
                #expect(!seen.communications.isEmpty && !seen.payments.isEmpty, "round \(round) wrote nothing before the kill")
                for (caseID, id) in seen.communications {
                    #expect(try admin.get("/v1/cases/\(caseID)/communications/\(id)").status == 200, "communication \(id) lost")
                }
                for caseID in cases {
                    let onRecord = try admin.allItems("/v1/cases/\(caseID)/payments")
                    let recorded = Set(onRecord.compactMap { $0["id"]?.string })
                    for payment in seen.payments where payment.caseID == caseID {
                        #expect(recorded.contains(payment.id), "payment \(payment.id) lost")
                    }
                    let paid = onRecord.compactMap { $0["amount_minor"]?.int64 }.reduce(0, +)
                    let balance = try admin.get("/v1/cases/\(caseID)")["balance"]
                    #expect(balance?["paid_minor"]?.int64 == paid)
                    #expect(balance?["balance_minor"]?.int64 == 500_000 - paid)
                }
                #expect(try admin.get("/v1/audit/verify")["ok"] == .bool(true))
            }
            server.terminate()
            server.waitUntilExit()
            #expect(server.terminationStatus == 0)
        }
    }
}
