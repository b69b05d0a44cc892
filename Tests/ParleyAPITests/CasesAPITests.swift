import ParleyCore
import ParleyTestSupport
import Testing

/// Creates a debtor and a case through the API; returns the case id.
func makeCase(_ client: APIClient, ref: String = "L-778", assignedTo: String? = nil, team: String? = "collection") throws -> String {
    let debtor = try client.post("/v1/debtors", "{\"name\":\"Debtor \(ref)\",\"timezone\":\"Asia/Shanghai\"}")
    guard let debtorID = debtor["id"]?.string else { throw RawClient.Failure(description: "debtor: \(debtor.text)") }
    let assignee = assignedTo.map { "\"\($0)\"" } ?? "null"
    let teamJSON = team.map { "\"\($0)\"" } ?? "null"
    let created = try client.post("/v1/cases", """
        {"debtor_id":"\(debtorID)","creditor":"Acme Bank","external_ref":"\(ref)","currency":"CNY",
         "principal_minor":1250000,"interest_minor":30000,"fees_minor":5000,"delinquent_since":"2026-06-01",
         "jurisdiction":"CN","assigned_to":\(assignee),"team":\(teamJSON)}
        """)
    guard created.status == 201, let id = created["id"]?.string else { throw RawClient.Failure(description: "case: \(created.text)") }
    return id
}

@Suite struct CasesAPITests {
    /// A status change that moves the segment too answers the case as it then stands: its version
    /// and ETag are the ones a following PATCH must name.
    @Test func aTransitionAnswersTheVersionAFollowingPatchNeeds() throws {
        // Delinquent for less than 180 days: the rejected dispute, not the age, decides the segment.
        try withTestApp(clock: TestClock("2026-11-20T02:00:00Z").clock) { app in
            let id = try makeCase(app.admin)
            #expect(try app.admin.post("/v1/cases/\(id)/transitions", #"{"to":"disputed"}"#).status == 200)
            let reopened = try app.admin.post("/v1/cases/\(id)/transitions", #"{"to":"open","reason":"dispute withdrawn"}"#)
            #expect(reopened.status == 200)
            let current = try app.admin.get("/v1/cases/\(id)")
            #expect(current["segment"]?.string == "resistant")
            #expect(reopened["version"] == current["version"] && reopened["segment"] == current["segment"])
            #expect(reopened.headers["ETag"] == current.headers["ETag"])
            let etag = try #require(reopened.headers["ETag"])
            #expect(try app.admin.request("PATCH", "/v1/cases/\(id)", json: #"{"priority":"high"}"#, headers: [("If-Match", etag)]).status == 200)
        }
    }

    @Test func createShowsTheBalanceBreakdownAndDebtorSummary() throws {
        try withTestApp { app in
            let id = try makeCase(app.admin)
            let response = try app.admin.get("/v1/cases/\(id)")
            #expect(response.status == 200)
            #expect(response["status"]?.string == "open")
            #expect(response["balance"]?["balance_minor"]?.int64 == 1_285_000)
            #expect(response["balance"]?["paid_minor"]?.int64 == 0)
            #expect(response["debtor"]?["timezone"]?.string == "Asia/Shanghai")
            #expect(response["segment"]?.string != nil)
            #expect(response.headers["ETag"] == "\"1\"")
        }
    }

    @Test func creationErrorsNameTheFields() throws {
        try withTestApp { app in
            let missing = try app.admin.post("/v1/cases", #"{"debtor_id":"dbt_nope","creditor":"A","external_ref":"X","currency":"XXX","principal_minor":-5,"delinquent_since":"2030-01-01","jurisdiction":"China"}"#)
            #expect(missing.status == 422)
            guard case .array(let errors)? = missing["errors"] else { Issue.record("no errors"); return }
            #expect(Set(errors.compactMap { $0["field"]?.string }) == ["debtor_id", "currency", "principal_minor", "delinquent_since", "jurisdiction"])
            #expect(try app.admin.post("/v1/cases", #"{"debtor_id":"d","principal_minor":1.5}"#).status == 400)
            #expect(try app.admin.post("/v1/cases", #"{"debtor_id":"d","principal_minor":"100"}"#).status == 400)
            _ = try makeCase(app.admin, ref: "DUP")
            let debtorID = try #require(try app.admin.get("/v1/debtors?limit=1")["data"].flatMap { v -> String? in
                if case .array(let items) = v { return items.first?["id"]?.string }
                return nil
            })
            let duplicate = try app.admin.post("/v1/cases", """
                {"debtor_id":"\(debtorID)","creditor":"Acme Bank","external_ref":"DUP","currency":"CNY","principal_minor":1,
                 "delinquent_since":"2026-01-01","jurisdiction":"CN"}
                """)
            #expect(duplicate.status == 409)
        }
    }

    @Test func everyAllowedTransitionAndASampleOfForbiddenOnes() throws {
        try withTestApp { app in
            let allowed: [(String, [String])] = [
                ("open", ["contacted", "promise", "plan", "disputed", "legal", "closed"]),
                ("contacted", ["promise", "plan", "disputed", "legal", "closed"]),
                ("promise", ["plan", "contacted", "disputed", "legal", "closed"]),
                ("plan", ["contacted", "disputed", "legal", "closed"]),
                ("legal", ["open", "disputed", "closed"]),
            ]
            var counter = 0
            for (from, targets) in allowed {
                for target in targets {
                    counter += 1
                    let id = try makeCase(app.admin, ref: "T\(counter)")
                    if from != "open" {
                        let setup = try app.admin.post("/v1/cases/\(id)/transitions", "{\"to\":\"\(from)\"}")
                        #expect(setup.status == 200, "open → \(from)")
                    }
                    let moved = try app.admin.post("/v1/cases/\(id)/transitions", "{\"to\":\"\(target)\",\"reason\":\"other\"}")
                    #expect(moved.status == 200, "\(from) → \(target): \(moved.text)")
                    #expect(moved["status"]?.string == target)
                }
            }
            let id = try makeCase(app.admin, ref: "F1")
            let selfMove = try app.admin.post("/v1/cases/\(id)/transitions", #"{"to":"open"}"#)
            #expect(selfMove.status == 409)
            #expect(selfMove["allowed"] == .array(["contacted", "promise", "plan", "disputed", "legal", "closed"].map(JSONValue.string)))
            #expect(try app.admin.post("/v1/cases/\(id)/transitions", #"{"to":"paid"}"#).status == 409)
            #expect(try app.admin.post("/v1/cases/\(id)/transitions", #"{"to":"closed"}"#).status == 422)
            let tooLong = "{\"to\":\"contacted\",\"reason\":\"" + String(repeating: "r", count: 2_001) + "\"}"
            #expect(try app.admin.post("/v1/cases/\(id)/transitions", tooLong).status == 422)
            let other = try makeCase(app.admin, ref: "F2")
            // A close reason is one of its names exactly; a dispute needs a reason that says something.
            #expect(try app.admin.post("/v1/cases/\(other)/transitions", #"{"to":"closed","reason":" settled "}"#).status == 422)
            #expect(try app.admin.post("/v1/cases/\(other)/transitions", #"{"to":"disputed","reason":"   "}"#).status == 422)
            #expect(try app.admin.post("/v1/cases/\(id)/transitions", #"{"to":"flying"}"#).status == 422)
            #expect(try app.admin.post("/v1/cases/\(id)/transitions", #"{"to":"closed","reason":"written_off"}"#).status == 200)
            let fromClosed = try app.admin.post("/v1/cases/\(id)/transitions", #"{"to":"open"}"#)
            #expect(fromClosed.status == 409)
            #expect(fromClosed["allowed"] == .array([]))  // listed even when there is no way out
        }
    }

    /// Rights and visibility come before the body: whatever is sent, a caller without the right
    /// hears 403 and an agent on someone else's case 404.
    @Test func rightsAndVisibilityAreCheckedBeforeTheBody() throws {
        try withTestApp { app in
            let (_, analyst) = try app.admin.createUser(role: "analyst")
            let (_, agent) = try app.admin.createUser(role: "agent", team: "west")
            let caseID = try makeCase(app.admin, ref: "RB-1", team: "east")
            let debtorID = try #require(try app.admin.get("/v1/cases/\(caseID)")["debtor_id"]?.string)
            for body in ["{}", "{bad"] {
                #expect(try analyst.post("/v1/cases/\(caseID)/transitions", body).status == 403, "\(body)")
                #expect(try analyst.post("/v1/cases/\(caseID)/disputes", body).status == 403, "\(body)")
                #expect(try analyst.patch("/v1/debtors/\(debtorID)", body).status == 403, "\(body)")
                #expect(try agent.post("/v1/cases/\(caseID)/transitions", body).status == 404, "\(body)")
                #expect(try agent.post("/v1/cases/\(caseID)/disputes", body).status == 404, "\(body)")
                #expect(try agent.patch("/v1/cases/\(caseID)", body).status == 403, "\(body)")  // agents change no case fields
            }
        }
    }

    @Test func agentsSeeOnlyTheirOwnCasesAndCannotEscalate() throws {
        try withTestApp { app in
            let (agentID, agent) = try app.admin.createUser(role: "agent", team: "east")
            let mine = try makeCase(app.admin, ref: "MINE", assignedTo: agentID, team: nil)
            let team = try makeCase(app.admin, ref: "TEAM", team: "east")
            let other = try makeCase(app.admin, ref: "OTHER", team: "west")
            #expect(try agent.get("/v1/cases/\(mine)").status == 200)
            #expect(try agent.get("/v1/cases/\(team)").status == 200)
            #expect(try agent.get("/v1/cases/\(other)").status == 404)
            #expect(try agent.get("/v1/cases/\(other)/timeline").status == 404)
            let list = try agent.get("/v1/cases")
            guard case .array(let items)? = list["data"] else { Issue.record("no data"); return }
            #expect(Set(items.compactMap { $0["id"]?.string }) == [mine, team])
            #expect(try agent.post("/v1/cases/\(mine)/transitions", #"{"to":"contacted"}"#).status == 200)
            #expect(try agent.post("/v1/cases/\(mine)/transitions", #"{"to":"legal"}"#).status == 403)
            #expect(try agent.patch("/v1/cases/\(mine)", #"{"priority":"high"}"#).status == 403)
            #expect(try agent.post("/v1/cases", "{}").status == 403)
        }
    }

    @Test func patchAssignsAndOverridesTheSegmentWithETags() throws {
        try withTestApp { app in
            let (agentID, _) = try app.admin.createUser(role: "agent")
            let supervisor = try app.admin.createUser(role: "supervisor").client
            let id = try makeCase(app.admin)
            let patched = try supervisor.patch("/v1/cases/\(id)",
                "{\"assigned_to\":\"\(agentID)\",\"priority\":\"high\",\"tags\":[\"vip\"],\"segment_override\":\"resistant\"}",
                headers: [("If-Match", "\"1\"")])
            #expect(patched.status == 200)
            #expect(patched["assigned_to"]?.string == agentID)
            #expect(patched["segment"]?.string == "resistant")
            #expect(patched["segment_source"]?.string == "override")
            #expect(try supervisor.patch("/v1/cases/\(id)", #"{"priority":"low"}"#, headers: [("If-Match", "\"1\"")]).status == 412)
            #expect(try supervisor.patch("/v1/cases/\(id)", #"{"assigned_to":"usr_nobody"}"#).status == 422)
            // Only someone who works cases, and is still active, takes one.
            let (analystID, _) = try app.admin.createUser(role: "analyst")
            #expect(try supervisor.patch("/v1/cases/\(id)", "{\"assigned_to\":\"\(analystID)\"}").status == 422)
            let (leaverID, _) = try app.admin.createUser(role: "agent")
            let keptByLeaver = try makeCase(app.admin, ref: "KEPT", assignedTo: leaverID)
            #expect(try app.admin.patch("/v1/users/\(leaverID)", #"{"active":false}"#).status == 200)
            // Sent again unchanged, the assignee is no new assignment: the rest of the PATCH applies.
            #expect(try supervisor.patch("/v1/cases/\(keptByLeaver)", "{\"assigned_to\":\"\(leaverID)\",\"priority\":\"high\"}").status == 200)
            let refused = try supervisor.patch("/v1/cases/\(id)", "{\"assigned_to\":\"\(leaverID)\"}")
            #expect(refused["errors"]?.compact == #"[{"field":"assigned_to","message":"must name an active agent, supervisor or admin"}]"#)
            let filtered = try app.admin.get("/v1/cases?assigned_to=\(agentID)&segment=resistant")
            guard case .array(let items)? = filtered["data"] else { Issue.record("no data"); return }
            #expect(items.count == 1)
            #expect(try app.admin.get("/v1/cases?status=bogus").status == 422)
            // An empty free-text filter filters nothing.
            guard case .array(let unfiltered)? = try app.admin.get("/v1/cases?assigned_to=&team=&debtor_id=")["data"] else {
                Issue.record("no data"); return
            }
            #expect(unfiltered.count == 2)
            #expect(try app.admin.get("/v1/cases?status=").status == 422)
        }
    }

    @Test func disputesBlockAndResolveBothWays() throws {
        try withTestApp { app in
            let supervisor = try app.admin.createUser(role: "supervisor").client
            let first = try makeCase(app.admin, ref: "D1")
            let dispute = try app.admin.post("/v1/cases/\(first)/disputes", #"{"reason":"I already paid this"}"#)
            #expect(dispute.status == 201)
            let disputeID = try #require(dispute["id"]?.string)
            #expect(try app.admin.get(try #require(dispute.headers["Location"]))["status"]?.string == "open")
            #expect(try app.admin.get("/v1/cases/\(first)/disputes/dsp_missing").status == 404)
            #expect(try app.admin.get("/v1/cases/\(first)")["status"]?.string == "disputed")
            #expect(try app.admin.post("/v1/cases/\(first)/disputes", #"{"reason":"again"}"#).status == 409)
            let rejected = try supervisor.post("/v1/cases/\(first)/disputes/\(disputeID)/resolve", #"{"outcome":"rejected","note":"paper trail shows debt"}"#)
            #expect(rejected.status == 200)
            #expect(rejected["status"]?.string == "rejected")
            #expect(try app.admin.get("/v1/cases/\(first)")["status"]?.string == "open")
            #expect(try supervisor.post("/v1/cases/\(first)/disputes/\(disputeID)/resolve", #"{"outcome":"upheld"}"#).status == 409)

            let second = try makeCase(app.admin, ref: "D2")
            let secondDispute = try #require(try app.admin.post("/v1/cases/\(second)/disputes", #"{"reason":"not mine"}"#)["id"]?.string)
            #expect(try supervisor.post("/v1/cases/\(second)/disputes/\(secondDispute)/resolve", #"{"outcome":"maybe"}"#).status == 422)
            #expect(try supervisor.post("/v1/cases/\(second)/disputes/\(secondDispute)/resolve", #"{"outcome":"upheld"}"#).status == 200)
            #expect(try app.admin.get("/v1/cases/\(second)")["status"]?.string == "closed")

            let timeline = try app.admin.get("/v1/cases/\(first)/timeline")
            guard case .array(let events)? = timeline["data"] else { Issue.record("no events"); return }
            // Every status move is on the timeline, whatever made it, next to the dispute's own items.
            #expect(events.compactMap { $0["kind"]?.string } == ["created", "dispute_opened", "transition", "dispute_resolved", "transition"])
            #expect(events.compactMap { $0["summary"]?.string }.filter { $0.hasPrefix("Status") }
                == ["Status open → disputed: I already paid this", "Status disputed → open: dispute rejected"])
            let disputes = try app.admin.get("/v1/cases/\(first)/disputes")
            guard case .array(let list)? = disputes["data"] else { Issue.record("no disputes"); return }
            #expect(list.count == 1)
            // The dispute's audit trail holds its opening and its resolution; the case's, both moves.
            #expect(items(try app.admin.get("/v1/audit?entity_id=\(disputeID)")).compactMap { $0["action"]?.string }
                == ["dispute.opened", "dispute.resolved"])
            #expect(items(try app.admin.get("/v1/audit?entity_id=\(first)")).compactMap { $0["action"]?.string }
                .filter { $0 == "case.transitioned" }.count == 2)

            // Leaving `disputed` by a transition settles the dispute: its resolution is recorded too.
            let third = try makeCase(app.admin, ref: "D3")
            #expect(try app.admin.post("/v1/cases/\(third)/transitions", #"{"to":"disputed","reason":"x"}"#).status == 200)
            #expect(try supervisor.post("/v1/cases/\(third)/transitions", #"{"to":"closed","reason":"other"}"#).status == 200)
            let thirdEvents = items(try app.admin.get("/v1/cases/\(third)/timeline")).compactMap { $0["kind"]?.string }
            #expect(thirdEvents == ["created", "dispute_opened", "transition", "dispute_resolved", "transition"])
            let settled = items(try app.admin.get("/v1/cases/\(third)/disputes"))
            let settledID = try #require(settled.first?["id"]?.string)
            #expect(settled.first?["status"]?.string == "upheld")
            #expect(items(try app.admin.get("/v1/audit?entity_id=\(settledID)")).compactMap { $0["action"]?.string }
                == ["dispute.opened", "dispute.resolved"])
        }
    }

    @Test func timelinePagesWalkEveryEventOnceInOrder() throws {
        try withTestApp { app in
            let id = try makeCase(app.admin)
            // Contacts logged after the fact land before the case's creation; the timeline reads them
            // from their own rows, and the pages walk across them and the stored events alike.
            for at in ["2026-01-02T10:00:00Z", "2026-01-01T10:00:00Z"] {
                let contact = #"{"channel":"phone","direction":"outbound","outcome":"no_answer","occurred_at":""# + at + #""}"#
                #expect(try app.admin.post("/v1/cases/\(id)/communications", contact).status == 201)
            }
            for target in ["contacted", "promise", "plan", "contacted", "legal", "open"] {
                #expect(try app.admin.post("/v1/cases/\(id)/transitions", "{\"to\":\"\(target)\"}").status == 200)
            }
            var kinds: [String] = []
            var times: [String] = []
            var cursor: String?
            repeat {
                let page = try app.admin.get("/v1/cases/\(id)/timeline?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == 200)
                guard case .array(let items)? = page["data"] else { Issue.record("no data"); return }
                #expect(items.count <= 2)
                kinds += items.compactMap { $0["kind"]?.string }
                times += items.compactMap { $0["at"]?.string }
                cursor = page["next_cursor"]?.string
            } while cursor != nil
            // (Each contact also broke a rule when it was recorded: its alert is an event of that instant.)
            #expect(kinds == ["communication", "communication", "created", "compliance_alert", "compliance_alert"]
                    + Array(repeating: "transition", count: 6))
            // An instant on a whole second is written without a fraction ("…:40Z" after "…:40.003Z" as text).
            let comparable = times.map { $0.contains(".") ? $0 : String($0.dropLast()) + ".000Z" }
            #expect(comparable == comparable.sorted())
            #expect(try app.admin.get("/v1/cases/\(id)/timeline?limit=0").status == 422)
            #expect(try app.admin.get("/v1/cases/\(id)/timeline?cursor=bm9wZQ").status == 422)
        }
    }

    @Test func statementShowsNothingInternal() throws {
        try withTestApp { app in
            let (agentID, _) = try app.admin.createUser(name: "Agent Smith", role: "agent")
            let id = try makeCase(app.admin, assignedTo: agentID)
            let statement = try app.admin.get("/v1/cases/\(id)/statement")
            #expect(statement.status == 200)
            #expect(statement["creditor"]?.string == "Acme Bank")
            #expect(statement["balance"]?["balance_minor"]?.int64 == 1_285_000)
            #expect(statement["how_to_dispute"]?.string?.isEmpty == false)
            #expect(statement["plan"] == .null)
            #expect(!statement.text.contains(agentID))
            #expect(!statement.text.contains("segment"))
            #expect(!statement.text.contains("Agent Smith"))
        }
    }
}
