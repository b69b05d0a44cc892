import Glibc
import ParleyCore
import ParleyTestSupport
import Testing

/// Behaviours every route relies on: bounded storage, safe idempotency, literal search.
@Suite struct HouseRulesAPITests {
    private func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    @Test func writingTensOfMegabytesKeepsTheWALBoundedWhileServing() throws {
        try withTestApp { app in
            let database = app.directory + "/parley.db"
            var largestWAL: Int64 = 0
            // 4 imports of 12,000 placements each, with long names so the rows weigh something.
            let padding = String(repeating: "x", count: 400)
            for file in 0..<4 {
                var csv = placementHeader
                for row in 0..<12_000 {
                    csv += "Acme,F\(file)-L\(row),F\(file)-D\(row),Name \(padding) \(row),,,UTC,US,USD,1000,0,0,2026-01-01\r\n"
                }
                let importer = APIClient(port: app.port, key: testAdminKey, timeoutSeconds: 120)
                let response = try importer.request("POST", "/v1/imports", body: Array(csv.utf8), contentType: "text/csv")
                #expect(response.status == 200)
                #expect(response["created_cases"]?.int64 == 12_000)
                largestWAL = max(largestWAL, fileSize(database + "-wal"))
            }
            #expect(fileSize(database) > 20_000_000, "main file is \(fileSize(database)) bytes")
            // The WAL holds at most the largest transaction plus the checkpoint threshold, and is cut back
            // to journal_size_limit (64 MiB) whenever it restarts; without checkpoints it would hold everything.
            #expect(largestWAL <= 64 * 1024 * 1024 + 4 * 1024 * 1024, "WAL reached \(largestWAL) bytes")
            let metrics = try app.admin.get("/metrics").text
            #expect(metrics.contains("parley_db_checkpoints_total{result=\"complete\"}"))
            #expect(metrics.contains("# TYPE parley_db_reader_waits_total counter"))
        }
    }

    @Test func aReplayCarriesTheFirstAnswersETagAndLocation() throws {
        try withTestApp { app in
            let key = [("Idempotency-Key", "debtor-once")]
            let first = try app.admin.post("/v1/debtors", #"{"name":"Ana","timezone":"UTC"}"#, headers: key)
            #expect(first.status == 201)
            let replay = try app.admin.post("/v1/debtors", #"{"name":"Ana","timezone":"UTC"}"#, headers: key)
            #expect(replay.status == 201)
            #expect(replay.body == first.body)
            #expect(replay.headers["ETag"] == first.headers["ETag"])
            #expect(replay.headers["Location"] == first.headers["Location"])
            #expect(replay.headers["Idempotent-Replayed"] == "true")
            let other = try app.admin.post("/v1/debtors", #"{"name":"Bo","timezone":"UTC"}"#, headers: key)
            #expect(other.status == 422)
            let list = try app.admin.get("/v1/debtors?q=Ana")
            guard case .array(let items)? = list["data"] else { Issue.record("no list"); return }
            #expect(items.count == 1)
        }
    }

    @Test func aRefusedRequestIsReplayedAndLeavesNothingBehind() throws {
        try withTestApp { app in
            let key = [("Idempotency-Key", "bad-case")]
            let body = #"{"debtor_id":"dbt_missing","creditor":"Acme","external_ref":"L-1","currency":"USD","principal_minor":100,"delinquent_since":"2026-01-01","jurisdiction":"US"}"#
            let first = try app.admin.post("/v1/cases", body, headers: key)
            #expect(first.status == 422)
            let replay = try app.admin.post("/v1/cases", body, headers: key)
            #expect(replay.status == 422)
            #expect(replay.headers["Idempotent-Replayed"] == "true")
        }
    }

    @Test func aSearchWithANulCharacterMatchesLiterally() throws {
        try withTestApp { app in
            #expect(try app.admin.post("/v1/debtors", #"{"name":"Ana","timezone":"UTC"}"#).status == 201)
            #expect(try app.admin.post("/v1/debtors", #"{"name":"Bo","timezone":"UTC"}"#).status == 201)
            let list = try app.admin.get("/v1/debtors?q=%00")
            #expect(list.status == 200)
            guard case .array(let items)? = list["data"] else { Issue.record("no list"); return }
            #expect(items.isEmpty)
        }
    }

    @Test func everyImportedDebtorAndCaseHasItsOwnAuditEntry() throws {
        try withTestApp { app in
            let csv = placementHeader + "Acme,L-1,D-1,Pat,,,UTC,US,USD,1000,0,0,2026-01-01\r\n"
            let response = try app.admin.request("POST", "/v1/imports", body: Array(csv.utf8), contentType: "text/csv")
            #expect(response["created_cases"]?.int64 == 1)
            let cases = try app.admin.get("/v1/cases")
            guard case .array(let items)? = cases["data"], let caseID = items.first?["id"]?.string,
                  let debtorID = items.first?["debtor_id"]?.string else { Issue.record("no case"); return }
            for (id, action) in [(caseID, "case.created"), (debtorID, "debtor.created")] {
                let audit = try app.admin.get("/v1/audit?entity_id=\(id)")
                guard case .array(let entries)? = audit["data"] else { Issue.record("no audit for \(id)"); continue }
                #expect(entries.contains { $0["action"]?.string == action }, "\(action)")
            }
            #expect(try app.admin.get("/v1/audit/verify")["ok"] == .bool(true))
        }
    }

    @Test func referencesAreReportedWithEveryOtherFieldError() throws {
        try withTestApp { app in
            let response = try app.admin.post("/v1/cases", #"{"debtor_id":"dbt_missing","assigned_to":"usr_missing","currency":"usd"}"#)
            #expect(response.status == 422)
            guard case .array(let errors)? = response["errors"] else { Issue.record("no errors"); return }
            let fields = Set(errors.compactMap { $0["field"]?.string })
            for field in ["debtor_id", "assigned_to", "creditor", "currency", "principal_minor"] {
                #expect(fields.contains(field), "\(field) missing from \(fields)")
            }
        }
    }

    /// Every list filtered by `case_id` answers a case the caller cannot see, or that does not
    /// exist, with 404, as the case's own routes do.
    @Test func everyListFilteredByAnUnseenCaseIs404() throws {
        try withTestApp { app in
            let (_, agent) = try app.admin.createUser(role: "agent", team: "north")
            let (_, supervisor) = try app.admin.createUser(role: "supervisor", team: "north")
            let foreign = try makeCase(app.admin, ref: "FOREIGN", team: "south")
            for list in ["/v1/messages", "/v1/feedback", "/v1/complaints", "/v1/compliance/alerts"] {
                #expect(try supervisor.get(list + "?case_id=case_nothing").status == 404, "\(list)")
                #expect(try supervisor.get(list + "?case_id=\(foreign)").status == 200, "\(list)")
            }
            for list in ["/v1/messages", "/v1/feedback", "/v1/complaints"] {
                #expect(try agent.get(list + "?case_id=\(foreign)").status == 404, "\(list)")
            }
        }
    }

    @Test func protocolErrorsCarryARequestID() throws {
        try withTestApp { app in
            let client = try RawClient(port: app.port)
            try client.send(Array("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
            let response = try client.readResponse(head: false)
            #expect(response.status == 400)
            #expect(response.headers["X-Request-Id"] != nil)
            #expect(response.headers["Content-Type"] == "application/problem+json")
        }
    }
}
