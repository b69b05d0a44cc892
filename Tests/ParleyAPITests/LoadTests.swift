import Foundation
import ParleyCore
import ParleyTestSupport
import Synchronization
import Testing

/// Many keep-alive clients at once on mixed traffic (case reads, contacts, compliance checks,
/// payments): no 5xx, no broken connection, and every write acknowledged with 2xx is stored and
/// reconciles afterwards. `PARLEY_LOAD_CLIENTS` and `PARLEY_LOAD_SECONDS` scale it (defaults: 200
/// clients for 20 s; `make soak` runs the long version against the release server).
@Suite struct LoadTests {
    /// What the clients saw and had acknowledged, per case.
    struct Tally {
        var byStatus: [Int: Int] = [:]
        var failures: [String] = []
        var communications: [String: Int] = [:]
        var paid: [String: Int64] = [:]
    }

    @Test func mixedTrafficFromManyClientsLosesNothing() throws {
        let environment = ProcessInfo.processInfo.environment
        let clients = environment["PARLEY_LOAD_CLIENTS"].flatMap(Int.init) ?? 200
        let seconds = environment["PARLEY_LOAD_SECONDS"].flatMap(Double.init) ?? 20
        try withTestApp { app in
            let cases = try (0..<20).map { try makeUSCase(app.admin, ref: "LOAD-\($0)") }
            let tally = Mutex(Tally())
            let deadline = Date().addingTimeInterval(seconds)
            let port = app.port
            let group = DispatchGroup()
            for client in 0..<clients {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    var local = Tally()
                    Self.run(client: client, cases: cases, port: port, until: deadline, into: &local)
                    tally.withLock { total in
                        total.byStatus.merge(local.byStatus, uniquingKeysWith: +)
                        total.failures += local.failures
                        total.communications.merge(local.communications, uniquingKeysWith: +)
                        total.paid.merge(local.paid, uniquingKeysWith: +)
                    }
                }
            }
            #expect(group.wait(timeout: .now() + seconds + 60) == .success, "clients still running a minute after the deadline")
            let seen = tally.withLock { $0 }
            #expect(seen.failures.isEmpty, "\(seen.failures.prefix(5))")
            #expect(seen.byStatus.keys.allSatisfy { $0 < 500 }, "statuses: \(seen.byStatus)")
            #expect((seen.byStatus[201] ?? 0) > 0 && (seen.byStatus[200] ?? 0) > 0, "statuses: \(seen.byStatus)")
            // Every acknowledged write is there, and the money reconciles.
            for caseID in cases {
                let stored = try app.admin.allItems("/v1/cases/\(caseID)/communications")
                #expect(stored.count == seen.communications[caseID, default: 0])
                let payments = try app.admin.allItems("/v1/cases/\(caseID)/payments")
                #expect(payments.count == Int(seen.paid[caseID, default: 0]))
                let balance = try app.admin.get("/v1/cases/\(caseID)")["balance"]
                #expect(balance?["paid_minor"]?.int64 == seen.paid[caseID, default: 0])
            }
            #expect(try app.admin.get("/v1/audit/verify")["ok"] == .bool(true))
        }
    }

    /// One client: a keep-alive connection, a request at a time, until the deadline.
    static func run(client: Int, cases: [String], port: Int, until deadline: Date, into tally: inout Tally) {
        var random = SystemRandomNumberGenerator()
        var connection: RawClient?
        var sequence = 0
        while Date() < deadline {
            sequence += 1
            let caseID = cases[Int.random(in: 0..<cases.count, using: &random)]
            let roll = Int.random(in: 0..<100, using: &random)
            let (method, path, body, extra): (String, String, String?, String) = switch roll {
            case 0..<40: ("GET", "/v1/cases/\(caseID)", nil, "")
            case 40..<70: ("POST", "/v1/cases/\(caseID)/communications",
                           #"{"channel":"phone","direction":"outbound","outcome":"no_answer","occurred_at":"2026-11-20T15:00:00Z"}"#, "")
            case 70..<85: ("POST", "/v1/compliance/check", #"{"case_id":"\#(caseID)","channel":"phone"}"#, "")
            default: ("POST", "/v1/cases/\(caseID)/payments", #"{"amount_minor":1,"currency":"USD","method":"card"}"#,
                      "Idempotency-Key: load-\(client)-\(sequence)\r\n")
            }
            var head = "\(method) \(path) HTTP/1.1\r\nHost: load\r\nAuthorization: Bearer \(testAdminKey)\r\n" + extra
            if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
            do {
                if connection == nil { connection = try RawClient(port: port, timeoutSeconds: 30) }
                try connection!.send(head + "\r\n" + (body ?? ""))
                let response = try connection!.readResponse()
                tally.byStatus[response.status, default: 0] += 1
                if response.headers["Connection"]?.lowercased() == "close" { connection = nil }
                guard (200..<300).contains(response.status) else { continue }
                if path.hasSuffix("/communications") { tally.communications[caseID, default: 0] += 1 }
                if path.hasSuffix("/payments") { tally.paid[caseID, default: 0] += 1 }
            } catch {
                tally.failures.append("client \(client): \(error)")
                return
            }
        }
    }
}
