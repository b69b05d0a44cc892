import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct SegmentsAPITests {
    func segment(_ client: APIClient, _ caseID: String) throws -> String? {
        try client.get("/v1/cases/\(caseID)")["segment"]?.string
    }

    @Test func everySegmentIsReachedThroughEventsAndStoredOnTheCase() throws {
        let time = TestClock("2026-11-20T02:00:00Z")
        try withTestApp(clock: time.clock) { app in
            let admin = app.admin
            let willing = try makeCase(admin, ref: "WILLING")
            #expect(try segment(admin, willing) == "wait_and_see")
            #expect(try admin.post("/v1/cases/\(willing)/payments", #"{"amount_minor":1000,"currency":"CNY"}"#,
                                   headers: [("Idempotency-Key", "w1")]).status == 201)
            #expect(try segment(admin, willing) == "high_willingness")
            let assessment = try admin.get("/v1/cases/\(willing)/assessment")
            #expect(assessment["segment"]?.string == "high_willingness")
            #expect(assessment["segment_source"]?.string == "rules")
            #expect(assessment["protected"] == .bool(false))
            guard case .array(let factors)? = assessment["factors"] else { Issue.record("no factors"); return }
            #expect(factors.contains { $0["name"]?.string == "days_past_due" })
            guard case .array(let actions)? = assessment["recommended_actions"] else { Issue.record("no actions"); return }
            #expect(!actions.isEmpty)

            let resistant = try makeCase(admin, ref: "RESISTANT")
            #expect(try admin.post("/v1/cases/\(resistant)/communications", """
                {"channel":"phone","direction":"outbound","outcome":"refused","occurred_at":"2026-11-20T01:00:00Z"}
                """).status == 201)
            #expect(try segment(admin, resistant) == "resistant")

            let risky = try makeCase(admin, ref: "RISKY")
            for due in ["2026-11-21", "2026-11-22"] {
                #expect(try admin.post("/v1/cases/\(risky)/promises", #"{"amount_minor":1000,"due_date":"\#(due)"}"#).status == 201)
            }
            _ = try admin.post("/v1/jobs/promise_monitor/run", #"{"as_of":"2026-11-26T02:00:00Z"}"#)
            #expect(try segment(admin, risky) == "high_risk")
            let list = items(try admin.get("/v1/cases?segment=high_risk"))
            #expect(list.compactMap { $0["id"]?.string } == [risky])

            // A restriction protects the case and bankruptcy makes it high risk at once.
            let debtorID = try #require(try admin.get("/v1/cases/\(willing)")["debtor_id"]?.string)
            #expect(try admin.patch("/v1/debtors/\(debtorID)", #"{"restrictions":{"bankruptcy":true}}"#).status == 200)
            #expect(try segment(admin, willing) == "high_risk")
            let protected = try admin.get("/v1/cases/\(willing)/assessment")
            #expect(protected["protected"] == .bool(true))
            guard case .array(let reasons)? = protected["protected_reasons"] else { Issue.record("no reasons"); return }
            #expect(reasons.contains(.string("bankruptcy")))
        }
    }

    @Test func aSupervisorOverrideWinsAndIsShownAsSuch() throws {
        try withTestApp { app in
            let caseID = try makeCase(app.admin)
            let (_, supervisor) = try app.admin.createUser(role: "supervisor")
            #expect(try supervisor.patch("/v1/cases/\(caseID)", #"{"segment_override":"resistant"}"#).status == 200)
            let assessment = try supervisor.get("/v1/cases/\(caseID)/assessment")
            #expect(assessment["segment"]?.string == "resistant")
            #expect(assessment["segment_source"]?.string == "override")
            let playbooks = try supervisor.get("/v1/playbooks")
            #expect(playbooks.status == 200)
            #expect(playbooks["high_risk"] != nil)
            #expect(playbooks["high_willingness"] != nil)
            let (_, agent) = try app.admin.createUser(role: "agent")
            #expect(try agent.get("/v1/playbooks").status == 200)
            #expect(try agent.get("/v1/cases/\(caseID)/assessment").status == 404)
        }
    }

    @Test func theDailyJobMovesCasesThatTimeAloneMoves() throws {
        let time = TestClock("2026-11-20T02:00:00Z")
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeCase(app.admin)
            #expect(try app.admin.post("/v1/cases/\(caseID)/payments", #"{"amount_minor":1000,"currency":"CNY"}"#,
                                       headers: [("Idempotency-Key", "p")]).status == 201)
            #expect(try segment(app.admin, caseID) == "high_willingness")
            let run = try app.admin.post("/v1/jobs/segments/run", #"{"as_of":"2026-12-25T02:00:00Z"}"#)
            #expect(run["result"]?["moved"]?.int64 == 1)
            #expect(try segment(app.admin, caseID) == "wait_and_see")
        }
    }
}
