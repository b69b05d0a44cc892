import ParleyCore
import ParleyTestSupport
import Testing

/// A small known world, every figure asserted exactly.
@Suite struct AnalyticsAPITests {
    @Test func theOverviewAndTrendAreExact() throws {
        let time = TestClock("2026-11-20T02:00:00Z")
        try withTestApp(clock: time.clock) { app in
            let admin = app.admin
            let a = try makeCase(admin, ref: "A")                // team collection
            let b = try makeCase(admin, ref: "B", team: nil)     // no team
            func call(_ caseID: String, _ at: String, _ outcome: String) throws {
                let logged = try admin.post("/v1/cases/\(caseID)/communications",
                                            #"{"channel":"phone","direction":"outbound","outcome":"\#(outcome)","occurred_at":"\#(at)"}"#)
                #expect(logged.status == 201)
            }
            try call(a, "2026-11-19T02:00:00Z", "no_answer")
            try call(a, "2026-11-19T03:00:00Z", "connected_rpc")
            try call(b, "2026-11-19T02:00:00Z", "busy")
            try call(b, "2026-11-18T19:00:00Z", "no_answer")   // 03:00 in Shanghai: outside contact hours
            try promisesAndPayments(admin, a, b)
            #expect(try admin.post("/v1/jobs/promise_monitor/run", #"{"as_of":"2026-11-28T02:00:00Z"}"#)["result"]?["kept"]?.int64 == 1)
            for (caseID, scores, nps) in [(a, "5,4,3", 10), (b, "1,2,3", 5)] {
                let token = try #require(try admin.post("/v1/cases/\(caseID)/surveys", "{}")["token"]?.string)
                let parts = scores.split(separator: ",")
                #expect(try app.client(key: nil).post("/v1/public/feedback", """
                    {"token":"\(token)","scores":{"communication":\(parts[0]),"attitude":\(parts[1]),"resolution":\(parts[2])},"nps":\(nps)}
                    """).status == 201)
            }
            #expect(try admin.post("/v1/complaints", #"{"case_id":"\#(b)","channel":"phone","category":"other","description":"x"}"#).status == 201)

            let overview = try admin.get("/v1/analytics/overview?from=2026-11-01&to=2026-12-01&currency=CNY")
            #expect(overview.status == 200)
            guard case .array(let groups)? = overview["groups"], let all = groups.first else { Issue.record("\(overview.text)"); return }
            #expect(groups.count == 1)
            #expect(all["cases"]?.int64 == 2)
            #expect(all["placed_minor"]?.int64 == 2_570_000)
            #expect(all["collected_minor"]?.int64 == 100_000)
            #expect(all["recovery_rate"] == .number("0.038911"))
            #expect(all["contact_rate"] == .number("0.5"))
            #expect(all["rpc_rate"] == .number("0.25"))
            #expect(all["ptp_kept_rate"] == .number("0.5"))
            #expect(all["plan_completion_rate"] == .null)
            #expect(all["csat"] == .number("3"))
            #expect(all["csat_by_dimension"]?["communication"] == .number("3"))
            #expect(all["nps"] == .number("0"))
            #expect(all["complaints_per_1000_cases"] == .number("500"))
            // The debtors have no phone on record: every call breaks channel_consent, and one contact_hours.
            #expect(all["compliance_violations"]?.int64 == 5)

            let byTeam = try admin.get("/v1/analytics/overview?from=2026-11-01&to=2026-12-01&currency=CNY&group_by=team")
            guard case .array(let teams)? = byTeam["groups"] else { Issue.record("\(byTeam.text)"); return }
            #expect(teams.count == 2)
            let collection = teams.first { $0["key"]?.string == "collection" }
            #expect(collection?["collected_minor"]?.int64 == 100_000)
            #expect(collection?["nps"] == .number("100"))
            let none = teams.first { $0["key"] == .null }
            #expect(none?["complaints_per_1000_cases"] == .number("1000"))
            #expect(none?["contact_rate"] == .number("0"))

            let empty = try admin.get("/v1/analytics/overview?from=2026-11-01&to=2026-12-01&currency=USD")
            #expect(empty["groups"] == .array([]))

            let trend = try admin.get("/v1/analytics/trend?metric=collected_minor&interval=day&from=2026-11-19&to=2026-11-21&currency=CNY")
            guard case .array(let points)? = trend["points"] else { Issue.record("\(trend.text)"); return }
            #expect(points.map { $0["period_start"]?.string } == ["2026-11-19", "2026-11-20"])
            #expect(points.map { $0["value"]?.int64 } == [0, 100_000])
            let rpc = try admin.get("/v1/analytics/trend?metric=rpc_rate&interval=week&from=2026-11-16&to=2026-11-30")
            guard case .array(let weeks)? = rpc["points"] else { Issue.record("\(rpc.text)"); return }
            #expect(weeks.map { $0["period_start"]?.string } == ["2026-11-16", "2026-11-23"])
            #expect(weeks.first?["value"] == .number("0.25"))
            #expect(weeks.last?["value"] == .null)
        }
    }

    /// Rollups kept by the triggers equal the figures computed from the rows, through every kind
    /// of write: contacts (backdated, before the case existed), payments and a reversal, promises
    /// resolved, feedback, complaints, and cases moving to another agent, team and segment.
    @Test func rollupsFollowEveryWrite() throws {
        let time = TestClock("2026-11-20T02:00:00Z")
        try withTestApp(clock: time.clock) { app in
            let admin = app.admin
            let (agentID, _) = try admin.createUser(role: "agent")
            let a = try makeCase(admin, ref: "A")
            let b = try makeCase(admin, ref: "B", assignedTo: agentID, team: nil)
            func contact(_ caseID: String, _ at: String, _ outcome: String, channel: String = "phone", direction: String = "outbound") throws {
                let logged = try admin.post("/v1/cases/\(caseID)/communications", """
                    {"channel":"\(channel)","direction":"\(direction)","outcome":"\(outcome)","occurred_at":"\(at)"}
                    """)
                #expect(logged.status == 201, "\(logged.text)")
            }
            // Out of order, several a day, gaps of a day and of weeks.
            try contact(a, "2026-11-19T02:00:00Z", "no_answer")
            try contact(a, "2026-11-01T03:00:00Z", "connected_rpc")
            try contact(a, "2026-11-10T03:00:00Z", "busy")
            try contact(a, "2026-11-10T05:00:00Z", "connected_third_party")
            try contact(a, "2026-11-05T05:00:00Z", "connected_rpc")
            try contact(b, "2026-10-20T02:00:00Z", "sent", channel: "sms")
            try contact(b, "2026-11-19T02:00:00Z", "connected_rpc", direction: "inbound")
            try contact(b, "2026-11-18T19:00:00Z", "no_answer")
            try promisesAndPayments(admin, a, b)
            #expect(try admin.post("/v1/jobs/promise_monitor/run", #"{"as_of":"2026-11-28T02:00:00Z"}"#).status == 200)
            for caseID in [a, b] {
                let token = try #require(try admin.post("/v1/cases/\(caseID)/surveys", "{}")["token"]?.string)
                #expect(try app.client(key: nil).post("/v1/public/feedback", """
                    {"token":"\(token)","scores":{"communication":4,"attitude":2,"resolution":5},"nps":\(caseID == a ? 9 : 3)}
                    """).status == 201)
            }
            #expect(try admin.post("/v1/complaints", #"{"case_id":"\#(b)","channel":"phone","category":"other","description":"x"}"#).status == 201)
            // An import adds its cases to the rollups in bulk (a dry run adds nothing), as one case at a time would.
            let placements = placementHeader
                + "Acme,IMP-1,D-1,Li Lei,+8613800000001,,Asia/Shanghai,CN,CNY,120000,0,0,2026-05-01\r\n"
                + "Acme,IMP-2,D-2,Han Mei,+8613800000002,,Asia/Shanghai,CN,CNY,80000,500,100,2026-05-01\r\n"
                + "Bolt,IMP-3,D-3,Pat Doe,+12125550123,,America/New_York,US,USD,99000,0,0,2026-05-01\r\n"
            for dryRun in [true, false] {
                let imported = try admin.request("POST", "/v1/imports?dry_run=\(dryRun)", body: Array(placements.utf8), contentType: "text/csv")
                #expect(imported.status == 200, "\(imported.text)")
                #expect(try analyticsRollupMismatches(app.app.database, today: CalendarDate(year: 2026, month: 11, day: 20)!) == [])
            }

            // A case created later, with contacts dated before it existed.
            time.set("2026-12-03T02:00:00Z")
            let c = try makeCase(admin, ref: "C", team: "recovery")
            try contact(c, "2026-11-30T02:00:00Z", "connected_rpc")
            try contact(c, "2026-12-02T02:00:00Z", "no_answer")
            // Moves: agent and team, segment override, unassignment.
            #expect(try admin.patch("/v1/cases/\(a)", "{\"assigned_to\":\"\(agentID)\",\"team\":\"recovery\"}").status == 200)
            #expect(try admin.patch("/v1/cases/\(b)", #"{"segment_override":"resistant","assigned_to":null}"#).status == 200)
            #expect(try admin.patch("/v1/cases/\(c)", #"{"segment_override":"high_risk"}"#).status == 200)
            try contact(a, "2026-12-02T04:00:00Z", "connected_rpc")
            #expect(try analyticsRollupMismatches(app.app.database, today: CalendarDate(year: 2026, month: 12, day: 3)!) == [])
            #expect(try analyticsRollupMismatches(app.app.database, today: CalendarDate(year: 2026, month: 11, day: 30)!) == [])
        }
    }

    @Test func rightsAndValidation() throws {
        try withTestApp { app in
            let (_, agent) = try app.admin.createUser(role: "agent")
            let (_, analyst) = try app.admin.createUser(role: "analyst")
            #expect(try agent.get("/v1/analytics/overview").status == 403)
            #expect(try analyst.get("/v1/analytics/overview").status == 200)
            let bad = try analyst.get("/v1/analytics/overview?from=2026-12-01&to=2026-11-01&group_by=planet&currency=XX")
            #expect(bad.status == 422)
            guard case .array(let errors)? = bad["errors"] else { Issue.record("no errors"); return }
            #expect(Set(errors.compactMap { $0["field"]?.string }) == ["to", "group_by", "currency"])
            #expect(try analyst.get("/v1/analytics/trend?metric=mood").status == 422)
        }
    }
}

/// Both cases promise 50,000 due 2026-11-25; `a` pays 100,000; `b` pays 50,000, reversed.
func promisesAndPayments(_ admin: APIClient, _ a: String, _ b: String) throws {
    for caseID in [a, b] {
        #expect(try admin.post("/v1/cases/\(caseID)/promises", #"{"amount_minor":50000,"due_date":"2026-11-25"}"#).status == 201)
    }
    #expect(try admin.post("/v1/cases/\(a)/payments", #"{"amount_minor":100000,"currency":"CNY"}"#,
                           headers: [("Idempotency-Key", "a1")]).status == 201)
    let bPayment = try admin.post("/v1/cases/\(b)/payments", #"{"amount_minor":50000,"currency":"CNY"}"#,
                                  headers: [("Idempotency-Key", "b1")])
    let bPaymentID = try #require(bPayment["id"]?.string)
    #expect(try admin.post("/v1/cases/\(b)/payments/\(bPaymentID)/reverse", #"{"reason":"bounced"}"#).status == 200)
}
