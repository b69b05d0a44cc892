import Dispatch
import ParleyCore
import ParleySQLite
import ParleyTestSupport
import Synchronization
import Testing

/// Money on a CNY case of 1,285,000 (principal 1,250,000, interest 30,000, fees 5,000).
@Suite struct MoneyAPITests {
    static let now = "2026-11-20T02:00:00Z"  // 10:00 in Shanghai

    func pay(_ client: APIClient, _ caseID: String, _ amount: Int64, key: String, currency: String = "CNY") throws -> APIClient.Response {
        try client.post("/v1/cases/\(caseID)/payments", #"{"amount_minor":\#(amount),"currency":"\#(currency)","method":"bank_transfer"}"#,
                        headers: [("Idempotency-Key", key)])
    }

    /// Runs job `name` as of an instant; its result.
    func job(_ client: APIClient, _ name: String, asOf: String) throws -> JSONValue? {
        try client.post("/v1/jobs/\(name)/run", #"{"as_of":"\#(asOf)"}"#)["result"]
    }

    func balance(_ client: APIClient, _ caseID: String) throws -> Int64? {
        try client.get("/v1/cases/\(caseID)")["balance"]?["balance_minor"]?.int64
    }

    @Test func aPlanSplitsTheTotalExactlyAndPaymentsAllocateFeesInterestPrincipalOldestFirst() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeCase(app.admin)
            let plan = try app.admin.post("/v1/cases/\(caseID)/plans",
                                          #"{"installment_count":6,"frequency":"monthly","first_due_date":"2026-12-31"}"#)
            #expect(plan.status == 201)
            #expect(plan["status"]?.string == "active")
            guard case .array(let installments)? = plan["installments"] else { Issue.record("no installments"); return }
            #expect(installments.compactMap { $0["amount_minor"]?.int64 }.reduce(0, +) == 1_285_000)
            #expect(installments.compactMap { $0["due_date"]?.string } == ["2026-12-31", "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"])
            #expect(installments.first?["amount_minor"]?.int64 == 214_167)
            #expect(try app.admin.get("/v1/cases/\(caseID)")["status"]?.string == "plan")
            #expect(try app.admin.post("/v1/cases/\(caseID)/plans", #"{"installment_count":2,"frequency":"weekly","first_due_date":"2026-12-01"}"#).status == 409)

            #expect(try app.admin.post("/v1/cases/\(caseID)/payments", #"{"amount_minor":100,"currency":"CNY"}"#).status == 400)
            #expect(try pay(app.admin, caseID, 100, key: "usd", currency: "USD").status == 422)
            #expect(try pay(app.admin, caseID, 2_000_000, key: "too-much").status == 422)
            let payment = try pay(app.admin, caseID, 40_000, key: "p1")
            #expect(payment.status == 201)
            #expect(payment["allocation"]?["fees_minor"]?.int64 == 5_000)
            #expect(payment["allocation"]?["interest_minor"]?.int64 == 30_000)
            #expect(payment["allocation"]?["principal_minor"]?.int64 == 5_000)
            guard case .array(let shares)? = payment["allocation"]?["installments"] else { Issue.record("no shares"); return }
            #expect(shares.first?["seq"]?.int64 == 1 && shares.first?["amount_minor"]?.int64 == 40_000)
            #expect(try pay(app.admin, caseID, 40_000, key: "p1").body == payment.body)
            // The payment's Location reads it back.
            let location = try #require(payment.headers["Location"])
            #expect(try app.admin.get(location)["id"] == payment["id"])
            #expect(try balance(app.admin, caseID) == 1_245_000)
            let statement = try app.admin.get("/v1/cases/\(caseID)/statement")
            #expect(statement["next_due_date"]?.string == "2026-12-31")
            #expect(statement["next_due_minor"]?.int64 == 174_167)
            #expect(statement["plan"]?["status"]?.string == "active")
            guard case .array(let paid)? = statement["payments"] else { Issue.record("no payments"); return }
            #expect(paid.count == 1)
        }
    }

    @Test func payingEverythingMakesTheCasePaidAndAReversalRestoresItExactly() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeCase(app.admin)
            _ = try app.admin.post("/v1/cases/\(caseID)/plans", #"{"installment_count":2,"frequency":"weekly","first_due_date":"2026-11-27"}"#)
            let before = try app.admin.get("/v1/cases/\(caseID)")["balance"]
            let full = try pay(app.admin, caseID, 1_285_000, key: "all")
            #expect(full.status == 201)
            #expect(try app.admin.get("/v1/cases/\(caseID)")["status"]?.string == "paid")
            let plans = items(try app.admin.get("/v1/cases/\(caseID)/plans"))
            #expect(plans.first?["status"]?.string == "completed")
            let (_, agent) = try app.admin.createUser(role: "agent")
            let paymentID = try #require(full["id"]?.string)
            #expect(try agent.post("/v1/cases/\(caseID)/payments/\(paymentID)/reverse", #"{"reason":"bounced"}"#).status == 403)
            let reversed = try app.admin.post("/v1/cases/\(caseID)/payments/\(paymentID)/reverse", #"{"reason":"bounced"}"#)
            #expect(reversed.status == 200)
            #expect(reversed["status"]?.string == "reversed")
            #expect(try app.admin.post("/v1/cases/\(caseID)/payments/\(paymentID)/reverse", #"{"reason":"again"}"#).status == 409)
            let after = try app.admin.get("/v1/cases/\(caseID)")
            #expect(after["balance"] == before)
            #expect(after["status"]?.string == "plan")
            #expect(items(try app.admin.get("/v1/cases/\(caseID)/plans")).first?["status"]?.string == "active")
            #expect(try app.admin.get("/v1/audit/verify")["ok"] == .bool(true))
            let metrics = try app.admin.get("/metrics").text
            #expect(metrics.contains("parley_money_events_total{event=\"payment.recorded\"} 1"))
            #expect(metrics.contains("parley_money_events_total{event=\"payment.reversed\"} 1"))
            #expect(metrics.contains("parley_money_events_total{event=\"plan.completed\"} 1"))
        }
    }

    /// A payment made before a settlement plan bounces after the plan closed the case as settled:
    /// the case returns to `plan`, the settlement waiver is reversed, and the balance owes it again.
    @Test func reversingAPaymentFromBeforeASettlementReopensTheSettledCase() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeCase(app.admin)
            let early = try pay(app.admin, caseID, 85_000, key: "early")
            #expect(early.status == 201)
            let plan = try app.admin.post("/v1/cases/\(caseID)/plans",
                                          #"{"installment_count":1,"frequency":"monthly","first_due_date":"2026-12-20","total_minor":1100000}"#)
            #expect(plan["status"]?.string == "active")
            #expect(try pay(app.admin, caseID, 1_100_000, key: "plan").status == 201)
            let settled = try app.admin.get("/v1/cases/\(caseID)")
            #expect(settled["status"]?.string == "closed" && settled["close_reason"]?.string == "settled")
            #expect(settled["balance"]?["waived_minor"]?.int64 == 100_000)

            let earlyID = try #require(early["id"]?.string)
            #expect(try app.admin.post("/v1/cases/\(caseID)/payments/\(earlyID)/reverse", #"{"reason":"bounced"}"#).status == 200)
            let after = try app.admin.get("/v1/cases/\(caseID)")
            #expect(after["status"]?.string == "plan" && after["close_reason"] == .null)
            #expect(after["balance"]?["waived_minor"]?.int64 == 0)
            #expect(after["balance"]?["balance_minor"]?.int64 == 185_000)
            let waivers = items(try app.admin.get("/v1/cases/\(caseID)/adjustments"))
            #expect(waivers.map { $0["status"]?.string } == ["reversed"])
            let timeline = items(try app.admin.get("/v1/cases/\(caseID)/timeline?limit=200"))
            #expect(timeline.contains { $0["kind"]?.string == "transition" && $0["summary"]?.string?.contains("closed → plan") == true })
            #expect(try app.admin.get("/v1/audit/verify")["ok"] == .bool(true))
        }
    }

    /// The same when the bounced payment went to an earlier plan that broke: the settlement of the
    /// later plan is what the reversal takes back.
    @Test func reversingAPaymentOfABrokenPlanReopensALaterSettlement() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeCase(app.admin)
            _ = try app.admin.post("/v1/cases/\(caseID)/plans", #"{"installment_count":2,"frequency":"monthly","first_due_date":"2026-11-25"}"#)
            let early = try pay(app.admin, caseID, 100_000, key: "to-plan-1")
            #expect(early["allocation"]?["installments"]?.compact == #"[{"seq":1,"amount_minor":100000}]"#)
            #expect(try job(app.admin, "plan_monitor", asOf: "2026-11-30T16:30:00Z")?["broken"]?.int64 == 1)
            let settlement = try app.admin.post("/v1/cases/\(caseID)/plans",
                                                #"{"installment_count":1,"frequency":"monthly","first_due_date":"2026-12-20","total_minor":1100000}"#)
            #expect(settlement["status"]?.string == "active")
            #expect(try pay(app.admin, caseID, 1_100_000, key: "to-plan-2").status == 201)
            #expect(try app.admin.get("/v1/cases/\(caseID)")["close_reason"]?.string == "settled")

            let earlyID = try #require(early["id"]?.string)
            #expect(try app.admin.post("/v1/cases/\(caseID)/payments/\(earlyID)/reverse", #"{"reason":"bounced"}"#).status == 200)
            let after = try app.admin.get("/v1/cases/\(caseID)")
            #expect(after["status"]?.string == "plan" && after["close_reason"] == .null)
            #expect(after["balance"]?["waived_minor"]?.int64 == 0 && after["balance"]?["balance_minor"]?.int64 == 185_000)
            #expect(items(try app.admin.get("/v1/cases/\(caseID)/adjustments")).map { $0["status"]?.string } == ["reversed"])
            let plans = items(try app.admin.get("/v1/cases/\(caseID)/plans")).map { $0["status"]?.string }
            #expect(plans == ["broken", "completed"])
            #expect(try app.admin.get("/v1/audit/verify")["ok"] == .bool(true))
        }
    }

    @Test func concurrentPaymentsCountOnceEach() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeCase(app.admin)
            let statuses = Mutex<[Int]>([])
            let admin = app.admin
            DispatchQueue.concurrentPerform(iterations: 40) { index in
                // 20 distinct keys, then 20 requests sharing one key.
                let key = index < 20 ? "distinct-\(index)" : "shared"
                let status = (try? admin.post("/v1/cases/\(caseID)/payments", #"{"amount_minor":1000,"currency":"CNY"}"#,
                                              headers: [("Idempotency-Key", key)]).status) ?? 0
                statuses.withLock { $0.append(status) }
            }
            let all = statuses.withLock { $0 }
            #expect(all.allSatisfy { $0 == 201 || $0 == 409 }, "\(all)")
            #expect(try balance(app.admin, caseID) == 1_285_000 - 21 * 1_000)
            #expect(items(try app.admin.get("/v1/cases/\(caseID)/payments?limit=200")).count == 21)
        }
    }

    /// An agent's settlement plan of 1,000,000 on the 1,285,000 case: beyond the 10 % policy, it
    /// waits for the supervisor returned with it.
    func waitingSettlement(_ app: TestApp, installments: Int, frequency: String) throws
        -> (caseID: String, planID: String, agent: APIClient, supervisor: APIClient) {
        let (agentID, agent) = try app.admin.createUser(role: "agent")
        let (_, supervisor) = try app.admin.createUser(role: "supervisor")
        let caseID = try makeCase(app.admin, assignedTo: agentID)
        let plan = try agent.post("/v1/cases/\(caseID)/plans", #"""
            {"installment_count":\#(installments),"frequency":"\#(frequency)","first_due_date":"2026-12-15","total_minor":1000000}
            """#)
        #expect(plan.status == 201)
        #expect(plan["status"]?.string == "pending_approval")
        return (caseID, try #require(plan["id"]?.string), agent, supervisor)
    }

    @Test func aSettlementBeyondPolicyWaitsForASupervisor() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let (caseID, planID, agent, supervisor) = try waitingSettlement(app, installments: 3, frequency: "monthly")
            #expect(try agent.post("/v1/cases/\(caseID)/plans/\(planID)/approve", "{}").status == 403)
            let approved = try supervisor.post("/v1/cases/\(caseID)/plans/\(planID)/approve", "{}")
            #expect(approved["status"]?.string == "active")
            #expect(try app.admin.get("/v1/cases/\(caseID)")["status"]?.string == "plan")
            // Paying the settlement total completes it, waives the rest and closes the case as settled.
            #expect(try pay(app.admin, caseID, 1_000_000, key: "settle").status == 201)
            let settled = try app.admin.get("/v1/cases/\(caseID)")
            #expect(settled["status"]?.string == "closed")
            #expect(settled["balance"]?["balance_minor"]?.int64 == 0)
            #expect(settled["balance"]?["waived_minor"]?.int64 == 285_000)
            #expect(items(try app.admin.get("/v1/cases/\(caseID)/adjustments")).first?["kind"]?.string == "settlement_discount")
            // Reversing the payment takes the waiver back: the adjustment reads reversed, and completing
            // the plan again applies one new waiver, so the adjustments add up to the ledger.
            let paymentID = try #require(items(try app.admin.get("/v1/cases/\(caseID)/payments")).first?["id"]?.string)
            let reversed = try supervisor.post("/v1/cases/\(caseID)/payments/\(paymentID)/reverse", #"{"reason":"bounced"}"#)
            #expect(reversed.status == 200)
            #expect(try app.admin.get("/v1/cases/\(caseID)")["status"]?.string == "plan")
            let afterReversal = items(try app.admin.get("/v1/cases/\(caseID)/adjustments"))
            #expect(afterReversal.map { $0["status"]?.string } == ["reversed"])
            #expect(try pay(app.admin, caseID, 1_000_000, key: "settle-again").status == 201)
            let again = items(try app.admin.get("/v1/cases/\(caseID)/adjustments"))
            #expect(again.map { $0["status"]?.string } == ["reversed", "applied"])
            let waived = again.filter { $0["status"]?.string == "applied" }.compactMap { $0["amount_minor"]?.int64 }.reduce(0, +)
            #expect(waived == (try app.admin.get("/v1/cases/\(caseID)")["balance"]?["waived_minor"]?.int64))
            let waiverID = try #require(afterReversal.first?["id"]?.string)
            guard case .array(let entries)? = try app.admin.get("/v1/audit?entity_id=\(waiverID)")["data"] else {
                Issue.record("no audit"); return
            }
            #expect(entries.compactMap { $0["action"]?.string }.sorted() == ["adjustment.applied", "adjustment.reversed"])
        }
    }

    /// A decision carries no fields: no body or `{}`, and one that is sent must be JSON.
    @Test func aDecisionsBodyIsNothingOrAJSONObject() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let (caseID, planID, _, supervisor) = try waitingSettlement(app, installments: 2, frequency: "weekly")
            let path = "/v1/cases/\(caseID)/plans/\(planID)/reject"
            #expect(try supervisor.request("POST", path, body: Array("hello".utf8), contentType: "text/plain").status == 415)
            #expect(try supervisor.request("POST", path, body: Array("<not json>".utf8), contentType: "application/json").status == 400)
            #expect(try supervisor.request("POST", path, json: "[]", contentType: "application/json").status == 400)
            #expect(try app.admin.get("/v1/cases/\(caseID)/plans/\(planID)")["status"]?.string == "pending_approval")
            // An empty body is no body, whatever its type says.
            let rejected = try supervisor.request("POST", path, body: [], contentType: "application/json")
            #expect(rejected.status == 200)
            #expect(rejected["status"]?.string == "rejected")
            #expect(try app.admin.request("POST", "/v1/jobs/plan_monitor/run", body: [], contentType: "application/json").status == 200)
        }
    }

    /// Payments go on while a plan waits: a plan the balance fell under, or on a case paid
    /// meanwhile, is not approved (and stays pending for the supervisor to reject).
    @Test func aWaitingPlanIsNotApprovedOnceTheBalanceNoLongerHoldsIt() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let (caseID, planID, _, supervisor) = try waitingSettlement(app, installments: 2, frequency: "weekly")
            #expect(try pay(app.admin, caseID, 285_001, key: "below-total").status == 201)
            let tooBig = try supervisor.post("/v1/cases/\(caseID)/plans/\(planID)/approve", "{}")
            #expect(tooBig.status == 422)
            guard case .array(let errors)? = tooBig["errors"] else { Issue.record("no errors"); return }
            #expect(errors.compactMap { $0["field"]?.string } == ["total_minor"])
            #expect(try app.admin.get("/v1/cases/\(caseID)/plans/\(planID)")["status"]?.string == "pending_approval")
            #expect(try pay(app.admin, caseID, 999_999, key: "the-rest").status == 201)
            #expect(try app.admin.get("/v1/cases/\(caseID)")["status"]?.string == "paid")
            #expect(try supervisor.post("/v1/cases/\(caseID)/plans/\(planID)/approve", "{}").status == 409)
            let rejected = try supervisor.post("/v1/cases/\(caseID)/plans/\(planID)/reject", "{}")
            #expect(rejected["status"]?.string == "rejected")
        }
    }

    @Test func adjustmentsWithinPolicyApplyAndBeyondItWait() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let (agentID, agent) = try app.admin.createUser(role: "agent")
            let (_, supervisor) = try app.admin.createUser(role: "supervisor")
            let caseID = try makeCase(app.admin, assignedTo: agentID)
            let waiver = try agent.post("/v1/cases/\(caseID)/adjustments", #"{"kind":"fee_waiver","amount_minor":5000,"reason":"goodwill"}"#)
            #expect(waiver.status == 201)
            #expect(waiver["status"]?.string == "applied")
            #expect(try balance(app.admin, caseID) == 1_280_000)
            let big = try agent.post("/v1/cases/\(caseID)/adjustments", #"{"kind":"interest_waiver","amount_minor":200000,"reason":"hardship"}"#)
            #expect(big["status"]?.string == "pending_approval")
            #expect(try balance(app.admin, caseID) == 1_280_000)
            let bigID = try #require(big["id"]?.string)
            let approved = try supervisor.post("/v1/cases/\(caseID)/adjustments/\(bigID)/approve", "{}")
            #expect(approved["status"]?.string == "applied")
            #expect(try balance(app.admin, caseID) == 1_080_000)
            #expect(try supervisor.post("/v1/cases/\(caseID)/adjustments/\(bigID)/reject", "{}").status == 409)
            let bad = try agent.post("/v1/cases/\(caseID)/adjustments", #"{"kind":"gift","amount_minor":0}"#)
            #expect(bad.status == 422)
            guard case .array(let errors)? = bad["errors"] else { Issue.record("no errors"); return }
            #expect(Set(errors.compactMap { $0["field"]?.string }) == ["kind", "amount_minor", "reason"])
        }
    }

    @Test func monitorsBreakPlansAndKeepOrBreakPromises() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let planned = try makeCase(app.admin, ref: "PLAN")
            _ = try app.admin.post("/v1/cases/\(planned)/plans", #"{"installment_count":3,"frequency":"weekly","first_due_date":"2026-11-25"}"#)
            // Due Nov 25 + 5 grace days: still fine on Nov 30, broken on Dec 1 (Shanghai dates).
            #expect(try job(app.admin, "plan_monitor", asOf: "2026-11-30T10:00:00Z")?["broken"]?.int64 == 0)
            let run = try app.admin.post("/v1/jobs/plan_monitor/run", #"{"as_of":"2026-11-30T16:30:00Z"}"#)
            #expect(run["result"]?["broken"]?.int64 == 1)
            #expect(try app.admin.get("/v1/cases/\(planned)")["status"]?.string == "contacted")
            #expect(items(try app.admin.get("/v1/cases/\(planned)/plans")).first?["status"]?.string == "broken")

            let kept = try makeCase(app.admin, ref: "KEPT")
            let broken = try makeCase(app.admin, ref: "BROKEN")
            for caseID in [kept, broken] {
                let promise = try app.admin.post("/v1/cases/\(caseID)/promises", #"{"amount_minor":50000,"due_date":"2026-11-25"}"#)
                #expect(promise.status == 201)
                #expect(try app.admin.get("/v1/cases/\(caseID)")["status"]?.string == "promise")
            }
            time.set("2026-11-21T02:00:00Z")
            #expect(try pay(app.admin, kept, 50_000, key: "kept").status == 201)
            // A run as of an earlier instant sees neither promises made after it nor later payments.
            #expect(try job(app.admin, "promise_monitor", asOf: "2026-11-20T01:00:00Z")?["kept"]?.int64 == 0)
            #expect(try job(app.admin, "promise_monitor", asOf: "2026-11-20T12:00:00Z")?["kept"]?.int64 == 0)
            #expect(items(try app.admin.get("/v1/cases/\(kept)/promises")).first?["status"]?.string == "pending")
            let monitor = try app.admin.post("/v1/jobs/promise_monitor/run", #"{"as_of":"2026-11-28T02:00:00Z"}"#)
            #expect(monitor["result"]?["kept"]?.int64 == 1)
            #expect(monitor["result"]?["broken"]?.int64 == 1)
            #expect(items(try app.admin.get("/v1/cases/\(kept)/promises")).first?["status"]?.string == "kept")
            #expect(items(try app.admin.get("/v1/cases/\(broken)/promises")).first?["status"]?.string == "broken")
            #expect(try app.admin.get("/v1/cases/\(broken)")["status"]?.string == "contacted")

            // The money that kept the promise bounces: the promise is judged again, and with its last
            // day (Nov 27) gone it is broken at the next run.
            let paymentID = try #require(items(try app.admin.get("/v1/cases/\(kept)/payments")).first?["id"]?.string)
            time.set("2026-11-29T02:00:00Z")
            #expect(try app.admin.post("/v1/cases/\(kept)/payments/\(paymentID)/reverse", #"{"reason":"bounced"}"#).status == 200)
            let reopened = items(try app.admin.get("/v1/cases/\(kept)/promises")).first
            #expect(reopened?["status"]?.string == "pending" && reopened?["resolved_at"] == .null)
            #expect(try job(app.admin, "promise_monitor", asOf: "2026-11-29T02:00:00Z")?["broken"]?.int64 == 1)
            #expect(items(try app.admin.get("/v1/cases/\(kept)/promises")).first?["status"]?.string == "broken")
            #expect(try app.admin.get("/v1/audit/verify")["ok"] == .bool(true))
        }
    }

    /// A CNY case of 300.00 whose debtor, in Shanghai, has one number consenting to sms (reminders go there).
    func makeSMSConsentingCNCase(_ client: APIClient, ref: String) throws -> String {
        let debtor = try client.post("/v1/debtors", """
            {"name":"王芳","timezone":"Asia/Shanghai","phones":[{"number":"+8613800138000","type":"mobile","consent":{"calls":true,"sms":true}}]}
            """)
        let debtorID = try #require(debtor["id"]?.string)
        let created = try client.post("/v1/cases", """
            {"debtor_id":"\(debtorID)","creditor":"Acme","external_ref":"\(ref)","currency":"CNY","principal_minor":30000,
             "delinquent_since":"2026-06-01","jurisdiction":"CN"}
            """)
        return try #require(created["id"]?.string)
    }

    /// A promise paid in full before its reminder goes out is not reminded of, even before the
    /// promise monitor has marked it kept.
    @Test func aPaidPromiseIsNotRemindedOf() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeSMSConsentingCNCase(app.admin, ref: "PR-1")
            #expect(try app.admin.post("/v1/cases/\(caseID)/promises", #"{"amount_minor":5000,"due_date":"2026-11-25"}"#).status == 201)
            #expect(try job(app.admin, "reminders", asOf: "2026-11-20T02:00:00Z")?["scheduled"]?.int64 == 2)
            #expect(try pay(app.admin, caseID, 5_000, key: "promised").status == 201)
            let run = try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-22T02:00:00Z"}"#)
            #expect(run["result"]?["suppressed"]?.int64 == 1)
            let moot = items(try app.admin.get("/v1/messages?case_id=\(caseID)&status=suppressed"))
            #expect(moot.map { $0["last_error"]?.string } == ["no longer due: its promise is paid"])
        }
    }

    /// A closed case is reminded of nothing, its pending promise included.
    @Test func aClosedCaseIsNotRemindedOf() throws {
        try withTestApp(clock: TestClock(Self.now).clock) { app in
            let caseID = try makeSMSConsentingCNCase(app.admin, ref: "PR-2")
            #expect(try app.admin.post("/v1/cases/\(caseID)/promises", #"{"amount_minor":5000,"due_date":"2026-11-25"}"#).status == 201)
            #expect(try app.admin.post("/v1/cases/\(caseID)/transitions", #"{"to":"closed","reason":"recalled"}"#).status == 200)
            #expect(try job(app.admin, "reminders", asOf: "2026-11-20T02:00:00Z")?["scheduled"]?.int64 == 0)
        }
    }

    /// A payment that leaves part of an instalment unpaid: the next run states the new amount, and
    /// the reminders made before it are suppressed rather than sent with the old one.
    @Test func aReminderStatesWhatIsUnpaidWhenItGoesOut() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeSMSConsentingCNCase(app.admin, ref: "R-2")
            _ = try app.admin.post("/v1/cases/\(caseID)/plans", #"{"installment_count":3,"frequency":"weekly","first_due_date":"2026-11-22"}"#)
            #expect(try job(app.admin, "reminders", asOf: "2026-11-20T02:00:00Z")?["scheduled"]?.int64 == 6)
            #expect(try pay(app.admin, caseID, 4_000, key: "part-of-first").status == 201)
            // Only instalment 1's day-of reminder is made again: its three-days-before time is past.
            #expect(try job(app.admin, "reminders", asOf: "2026-11-20T03:00:00Z")?["scheduled"]?.int64 == 1)
            let run = try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-22T02:00:00Z"}"#)
            #expect(run["result"]?["sent"]?.int64 == 1)
            #expect(run["result"]?["suppressed"]?.int64 == 2)
            let sent = items(try app.admin.get("/v1/messages?case_id=\(caseID)&status=sent"))
            #expect(sent.count == 1)
            let body = sent.first?["body"]?.string ?? ""
            #expect(body.contains("instalment 1 of ¥60.00"))
            let moot = items(try app.admin.get("/v1/messages?case_id=\(caseID)&status=suppressed"))
            #expect(moot.map { $0["last_error"]?.string } == Array(repeating: "no longer due: instalment 1 now has 6000 unpaid", count: 2))
        }
    }

    /// Reminders made before the amount was part of their key stand for the same reminders: a
    /// run after the upgrade makes none beside them, so nothing goes out twice.
    @Test func remindersMadeUnderTheFormerKeysAreNotMadeAgain() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeSMSConsentingCNCase(app.admin, ref: "R-3")
            _ = try app.admin.post("/v1/cases/\(caseID)/plans", #"{"installment_count":3,"frequency":"weekly","first_due_date":"2026-11-22"}"#)
            #expect(try job(app.admin, "reminders", asOf: "2026-11-20T02:00:00Z")?["scheduled"]?.int64 == 6)
            // installment:<plan>:<seq>:<unpaid>:<offset> → installment:<plan>:<seq>:<offset>, as they were written before.
            let pool = try DatabasePool(configuration: DatabaseConfiguration(path: app.directory + "/parley.db"))
            try pool.write { db in
                let keys = try db.query("SELECT id, reminder_key FROM message WHERE reminder_key IS NOT NULL") { ($0.string(0), $0.string(1)) }
                #expect(keys.count == 6)
                for (id, key) in keys {
                    var parts = key.split(separator: ":").map(String.init)
                    parts.remove(at: 3)
                    try db.run("UPDATE message SET reminder_key = ? WHERE id = ?", [parts.joined(separator: ":"), id])
                }
            }
            #expect(try job(app.admin, "reminders", asOf: "2026-11-20T03:00:00Z")?["scheduled"]?.int64 == 0)
            let run = try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-22T02:00:00Z"}"#)
            #expect(run["result"]?["sent"]?.int64 == 2)
            #expect(run["result"]?["suppressed"]?.int64 == 0)
        }
    }

    @Test func remindersAreScheduledOncePerInstalmentAndOffsetAtTenLocal() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeSMSConsentingCNCase(app.admin, ref: "R-1")
            _ = try app.admin.post("/v1/cases/\(caseID)/plans", #"{"installment_count":3,"frequency":"weekly","first_due_date":"2026-11-22"}"#)
            let run = try app.admin.post("/v1/jobs/reminders/run", #"{"as_of":"2026-11-20T02:00:00Z"}"#)
            #expect(run["result"]?["scheduled"]?.int64 == 6)
            #expect(try job(app.admin, "reminders", asOf: "2026-11-20T03:00:00Z")?["scheduled"]?.int64 == 0)
            let scheduled = items(try app.admin.get("/v1/messages?case_id=\(caseID)&status=scheduled&limit=200"))
            #expect(scheduled.count == 6)
            // 10:00 in Shanghai three days before Nov 22 is 02:00Z on Nov 19.
            #expect(scheduled.contains { $0["scheduled_for"]?.string == "2026-11-19T02:00:00Z" })
            #expect(scheduled.allSatisfy { $0["channel"]?.string == "sms" })
            #expect(scheduled.contains { ($0["body"]?.string ?? "").contains("¥100.00") })
            let dispatched = try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-20T02:00:00Z"}"#)
            #expect(dispatched["result"]?["sent"]?.int64 == 1)
            // Instalment 1 paid before its last reminder goes out: that reminder is suppressed, not sent.
            #expect(try pay(app.admin, caseID, 10_000, key: "first-instalment").status == 201)
            let later = try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-22T02:00:00Z"}"#)  // its day-of reminder
            #expect(later["result"]?["suppressed"]?.int64 == 1)
            #expect(later["result"]?["sent"]?.int64 == 0)
            let moot = items(try app.admin.get("/v1/messages?case_id=\(caseID)&status=suppressed"))
            #expect(moot.map { $0["last_error"]?.string } == ["no longer due: instalment 1 is paid"])
        }
    }
}
