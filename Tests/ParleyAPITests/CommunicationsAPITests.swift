import Dispatch
import Synchronization
import ParleyCore
import ParleyTestSupport
import Testing

/// A US case whose debtor is in New York with consent for calls and sms.
func makeUSCase(_ client: APIClient, ref: String = "US-1", restrictions: String = "{}", assignedTo: String? = nil) throws -> String {
    let debtor = try client.post("/v1/debtors", """
        {"name":"Pat Doe","timezone":"America/New_York","restrictions":\(restrictions),
         "phones":[{"number":"+12125550100","type":"mobile","consent":{"calls":true,"sms":true}}],
         "emails":[{"address":"pat@example.com","opted_out":false}]}
        """)
    guard let debtorID = debtor["id"]?.string else { throw RawClient.Failure(description: "debtor: \(debtor.text)") }
    let assignee = assignedTo.map { "\"\($0)\"" } ?? "null"
    let created = try client.post("/v1/cases", """
        {"debtor_id":"\(debtorID)","creditor":"Acme Bank","external_ref":"\(ref)","currency":"USD",
         "principal_minor":100000,"delinquent_since":"2026-06-01","jurisdiction":"US","assigned_to":\(assignee)}
        """)
    guard created.status == 201, let id = created["id"]?.string else { throw RawClient.Failure(description: "case: \(created.text)") }
    return id
}

func logCall(_ client: APIClient, _ caseID: String, at: String, outcome: String = "no_answer", direction: String = "outbound",
             content: String? = nil, summary: String? = nil, channel: String = "phone") throws -> APIClient.Response {
    let contentJSON = content.map { "\"\($0)\"" } ?? "null"
    let summaryJSON = summary.map { "\"\($0)\"" } ?? "null"
    return try client.post("/v1/cases/\(caseID)/communications", """
        {"channel":"\(channel)","direction":"\(direction)","outcome":"\(outcome)","occurred_at":"\(at)",
         "duration_seconds":30,"summary":\(summaryJSON),"content":\(contentJSON)}
        """)
}


@Suite struct CommunicationsAPITests {
    /// A contact logged after the fact is judged by the disputes as they stood at its instant: one
    /// made before the dispute was opened is no violation, one made while it was open is, one made
    /// after it was resolved is not, and the check agrees for each instant.
    @Test func aLateLoggedContactIsJudgedByTheDisputeAsItStoodThen() throws {
        let time = TestClock("2026-11-20T15:00:00Z")  // 10:00 in New York
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeUSCase(app.admin, ref: "ASOF-1")
            time.set("2026-11-20T16:00:00Z")
            let dispute = try #require(try app.admin.post("/v1/cases/\(caseID)/disputes", #"{"reason":"not mine"}"#)["id"]?.string)
            time.set("2026-11-20T17:00:00Z")
            #expect(try app.admin.post("/v1/cases/\(caseID)/disputes/\(dispute)/resolve", #"{"outcome":"rejected"}"#).status == 200)
            time.set("2026-11-20T18:00:00Z")
            for (at, disputed) in [("2026-11-20T15:30:00Z", false), ("2026-11-20T16:00:00Z", true), ("2026-11-20T16:30:00Z", true),
                                   ("2026-11-20T17:00:00Z", false), ("2026-11-20T17:30:00Z", false)] {
                let contact = try app.admin.post("/v1/cases/\(caseID)/communications", """
                    {"channel":"phone","direction":"outbound","outcome":"no_answer","occurred_at":"\(at)"}
                    """)
                #expect(contact.status == 201)
                let rules = contact["compliance"]?["violations"].flatMap { value -> [String]? in
                    guard case .array(let items) = value else { return nil }
                    return items.compactMap { $0["rule"]?.string }
                } ?? []
                #expect(rules.contains("dispute_pending") == disputed, "\(at)")
                let check = try app.admin.post("/v1/compliance/check", #"{"case_id":"\#(caseID)","channel":"letter","at":"\#(at)"}"#)
                #expect(check["allowed"] == .bool(!disputed), "\(at)")
            }
        }
    }

    @Test func theEighthCallInSevenDaysIsRecordedAsAViolationWithItsAlert() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            // Seven attempts at 10:00 New York time (15:00Z) on consecutive days.
            for day in 10...16 {
                let logged = try logCall(app.admin, caseID, at: "2026-11-\(day)T15:00:00Z")
                #expect(logged.status == 201)
                #expect(logged["compliance"]?["ok"] == .bool(true), "\(logged.text)")
            }
            let eighth = try logCall(app.admin, caseID, at: "2026-11-16T18:00:00Z")
            #expect(eighth.status == 201)
            #expect(eighth["compliance"]?["ok"] == .bool(false))
            guard case .array(let violations)? = eighth["compliance"]?["violations"] else { Issue.record("no violations"); return }
            #expect(violations.map { $0["rule"]?.string } == ["call_frequency"])
            // The 7th most recent attempt (Nov 10, 15:00Z) + 7 days.
            #expect(violations.first?["next_allowed_at"]?.string == "2026-11-17T15:00:00Z")
            let alerts = items(try app.admin.get("/v1/compliance/alerts?status=open"))
            #expect(alerts.count == 1)
            #expect(alerts.first?["rule"]?.string == "call_frequency")
            #expect(alerts.first?["communication_id"]?.string == eighth["id"]?.string)
            let alertID = try #require(alerts.first?["id"]?.string)
            let resolved = try app.admin.post("/v1/compliance/alerts/\(alertID)/resolve", #"{"note":"coached the agent"}"#)
            #expect(resolved.status == 200)
            #expect(resolved["status"]?.string == "resolved")
            #expect(try app.admin.post("/v1/compliance/alerts/\(alertID)/resolve", "{}").status == 409)
            #expect(items(try app.admin.get("/v1/compliance/alerts?status=open")).isEmpty)
            let timeline = try app.admin.get("/v1/cases/\(caseID)/timeline?limit=200")
            #expect(items(timeline).filter { $0["kind"]?.string == "communication" }.count == 8)
            #expect(try app.admin.get("/v1/audit/verify")["ok"] == .bool(true))
        }
    }

    /// Calls logged all at once are judged and recorded one after another in the writer's
    /// transactions: each sees every call recorded before it, none a call recorded after it.
    @Test func callsLoggedAllAtOnceAreEachJudgedByTheOnesRecordedBeforeThem() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            let otherCaseID = try makeUSCase(app.admin, ref: "US-2")
            let admin = APIClient(port: app.port, key: testAdminKey, timeoutSeconds: 20)
            let verdicts = Mutex<[String: [Bool]]>([:])
            DispatchQueue.concurrentPerform(iterations: 48) { index in
                let target = index % 3 == 0 ? otherCaseID : caseID
                guard let logged = try? logCall(admin, target, at: "2026-11-20T15:00:00Z"), logged.status == 201,
                      case .bool(let ok)? = logged["compliance"]?["ok"] else {
                    Issue.record("a call was not logged")
                    return
                }
                verdicts.withLock { $0[target, default: []].append(ok) }
            }
            // Seven calls a week per case (16 and 32 logged): the first seven recorded pass.
            let found = verdicts.withLock { $0 }
            #expect(found[otherCaseID]?.filter { $0 }.count == 7)
            #expect(found[otherCaseID]?.count == 16)
            #expect(found[caseID]?.filter { $0 }.count == 7)
            #expect(found[caseID]?.count == 32)
            let alerts = items(try app.admin.get("/v1/compliance/alerts?status=open&limit=200"))
            #expect(alerts.count == 9 + 25)
        }
    }

    @Test func contactHoursAreJudgedInTheDebtorsTimeZoneAndTheContactIsStillStored() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            // 07:59:59 in New York (EST, UTC-5) is 12:59:59Z; 08:00:00 is 13:00:00Z.
            let early = try logCall(app.admin, caseID, at: "2026-11-20T12:59:59Z")
            #expect(early.status == 201)
            guard case .array(let violations)? = early["compliance"]?["violations"] else { Issue.record("no violations"); return }
            #expect(violations.first?["rule"]?.string == "contact_hours")
            #expect(violations.first?["next_allowed_at"]?.string == "2026-11-20T13:00:00Z")
            #expect(try logCall(app.admin, caseID, at: "2026-11-21T13:00:00Z")["compliance"]?["ok"] == .bool(true))
        }
    }

    /// CN: at most 6 unanswered attempts per number per debtor-local day, counted over every case
    /// of the debtor; contacts on other channels, other days, and a call that was answered do not
    /// count; a seventh attempt is a violation, and the block ends at the next Shanghai midnight.
    @Test func theSeventhUnansweredCallToANumberInADayIsAViolationAcrossTheDebtorsCases() throws {
        try withTestApp { app in
            let admin = app.admin
            let debtor = try admin.post("/v1/debtors", """
                {"name":"Li Lei","timezone":"Asia/Shanghai",
                 "phones":[{"number":"+8613800138000","type":"mobile","consent":{"calls":true,"sms":true}}]}
                """)
            let debtorID = try #require(debtor["id"]?.string, "\(debtor.text)")
            var cases: [String] = []
            for ref in ["CN-1", "CN-2"] {
                let created = try admin.post("/v1/cases", """
                    {"debtor_id":"\(debtorID)","creditor":"Acme","external_ref":"\(ref)","currency":"CNY",
                     "principal_minor":100000,"delinquent_since":"2026-06-01","jurisdiction":"CN"}
                    """)
                cases.append(try #require(created["id"]?.string, "\(created.text)"))
            }
            // The day before, and sms on the day: none of them counts.
            for minute in 10...15 {
                #expect(try logCall(admin, cases[0], at: "2026-11-19T03:\(minute):00Z").status == 201)
                #expect(try logCall(admin, cases[1], at: "2026-11-20T02:\(minute):00Z", outcome: "sent", channel: "sms").status == 201)
            }
            // An answered call, then six unanswered ones on 2026-11-20 (10:00–10:50 in Shanghai), alternating cases.
            #expect(try logCall(admin, cases[0], at: "2026-11-20T01:55:00Z", outcome: "connected_rpc")["compliance"]?["ok"] == .bool(true))
            for (n, minute) in [0, 10, 20, 30, 40, 50].enumerated() {
                let logged = try logCall(admin, cases[n % 2], at: "2026-11-20T02:\(minute == 0 ? "00" : String(minute)):00Z",
                                         outcome: n == 3 ? "voicemail" : "no_answer")
                #expect(logged["compliance"]?["ok"] == .bool(true), "call \(n + 1): \(logged.text)")
            }
            let seventh = try logCall(admin, cases[1], at: "2026-11-20T03:00:00Z")
            #expect(seventh.status == 201)
            guard case .array(let violations)? = seventh["compliance"]?["violations"] else { Issue.record("\(seventh.text)"); return }
            #expect(violations.map { $0["rule"]?.string } == ["call_frequency"])
            #expect(violations.first?["next_allowed_at"]?.string == "2026-11-20T16:00:00Z")
            let check = try admin.post("/v1/compliance/check", #"{"case_id":"\#(cases[0])","channel":"phone","at":"2026-11-20T04:00:00Z"}"#)
            #expect(check["allowed"] == .bool(false), "\(check.text)")
            let nextDay = try admin.post("/v1/compliance/check", #"{"case_id":"\#(cases[0])","channel":"phone","at":"2026-11-21T02:00:00Z"}"#)
            #expect(nextDay["allowed"] == .bool(true), "\(nextDay.text)")
        }
    }

    @Test func aConnectedContactMovesAnOpenCaseToContacted() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            _ = try logCall(app.admin, caseID, at: "2026-11-20T15:00:00Z", outcome: "no_answer")
            #expect(try app.admin.get("/v1/cases/\(caseID)")["status"]?.string == "open")
            let reached = try logCall(app.admin, caseID, at: "2026-11-20T16:00:00Z", outcome: "connected_rpc")
            #expect(reached.status == 201)
            #expect(try app.admin.get("/v1/cases/\(caseID)")["status"]?.string == "contacted")
            // US cooldown: no outbound call within 7 days after a conversation.
            let again = try logCall(app.admin, caseID, at: "2026-11-23T16:00:00Z")
            guard case .array(let violations)? = again["compliance"]?["violations"] else { Issue.record("no violations"); return }
            #expect(violations.map { $0["rule"]?.string } == ["conversation_cooldown"])
            #expect(violations.first?["next_allowed_at"]?.string == "2026-11-27T16:00:00Z")
        }
    }

    @Test func inboundContactsAreRecordedButNotJudged() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin, restrictions: #"{"cease_communication":true}"#)
            let inbound = try logCall(app.admin, caseID, at: "2026-11-20T03:00:00Z", outcome: "connected_rpc", direction: "inbound")
            #expect(inbound.status == 201)
            #expect(inbound["compliance"]?["evaluated"] == .bool(false))
            #expect(items(try app.admin.get("/v1/compliance/alerts")).isEmpty)
            let outbound = try logCall(app.admin, caseID, at: "2026-11-20T16:00:00Z")
            guard case .array(let violations)? = outbound["compliance"]?["violations"] else { Issue.record("no violations"); return }
            #expect(violations.contains { $0["rule"]?.string == "cease_communication" && $0["next_allowed_at"] == .null })
        }
    }

    @Test func prohibitedLanguageAndThirdPartyDisclosureAreViolations() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            let threat = try logCall(app.admin, caseID, at: "2026-11-20T15:00:00Z", outcome: "connected_rpc",
                                     content: "Pay now or the P-O-L-I-C-E will ARREST you")
            guard case .array(let first)? = threat["compliance"]?["violations"] else { Issue.record("no violations"); return }
            #expect(first.contains { $0["rule"]?.string == "prohibited_language" })
            let neighbour = try logCall(app.admin, caseID, at: "2026-11-27T16:00:00Z", outcome: "connected_third_party",
                                        summary: "Told the neighbour about the overdue balance of $1,250.00")
            guard case .array(let second)? = neighbour["compliance"]?["violations"] else { Issue.record("no violations"); return }
            #expect(second.contains { $0["rule"]?.string == "third_party_disclosure" })
        }
    }

    /// A number typed with spaces and dashes is the number on record: stored and counted as such.
    @Test func aNumberTypedWithSpacesIsTheNumberOnRecord() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            let logged = try app.admin.post("/v1/cases/\(caseID)/communications", """
                {"channel":"phone","direction":"outbound","outcome":"no_answer","occurred_at":"2026-11-20T15:00:00Z",
                 "to":" +1 212-555-0100 "}
                """)
            #expect(logged.status == 201)
            #expect(logged["to"]?.string == "+12125550100")
            #expect(logged["compliance"]?["ok"] == .bool(true))
            let check = try app.admin.post("/v1/compliance/check", #"{"case_id":"\#(caseID)","channel":"phone","to":"+1 (212) 555.0100","at":"2026-11-20T16:00:00Z"}"#)
            #expect(check["allowed"] == .bool(true))
        }
    }

    /// Contract §5: a connected contact moves an open case to contacted, a third party reached too.
    @Test func aThirdPartyReachedMovesAnOpenCaseToContacted() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            let unanswered = try logCall(app.admin, caseID, at: "2026-11-20T15:00:00Z", outcome: "no_answer")
            #expect(unanswered.status == 201)
            #expect(try app.admin.get("/v1/cases/\(caseID)")["status"]?.string == "open")
            let neighbour = try logCall(app.admin, caseID, at: "2026-11-20T16:00:00Z", outcome: "connected_third_party")
            #expect(neighbour.status == 201)
            #expect(try app.admin.get("/v1/cases/\(caseID)")["status"]?.string == "contacted")
        }
    }

    @Test func theRecordIsPermanentAndPagedNewestFirst() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            var ids: [String] = []
            for hour in 14...18 {
                ids.append(try #require(try logCall(app.admin, caseID, at: "2026-11-20T\(hour):00:00Z")["id"]?.string))
            }
            let first = try app.admin.get("/v1/cases/\(caseID)/communications?limit=2")
            #expect(items(first).compactMap { $0["id"]?.string } == [ids[4], ids[3]])
            let cursor = try #require(first["next_cursor"]?.string)
            let second = try app.admin.get("/v1/cases/\(caseID)/communications?limit=2&cursor=\(cursor)")
            #expect(items(second).compactMap { $0["id"]?.string } == [ids[2], ids[1]])
            let path = "/v1/cases/\(caseID)/communications/\(ids[0])"
            #expect(try app.admin.get(path)["id"]?.string == ids[0])
            for method in ["PUT", "PATCH", "DELETE"] {
                let refused = try app.admin.request(method, path, json: "{}")
                #expect(refused.status == 405, "\(method)")
                #expect(refused.headers["Allow"] != nil)
            }
            #expect(try app.admin.request("DELETE", "/v1/cases/\(caseID)/communications").status == 405)
        }
    }

    @Test func badContactsNameEveryField() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            let bad = try app.admin.post("/v1/cases/\(caseID)/communications", """
                {"channel":"pigeon","direction":"outbound","outcome":"sent","occurred_at":"yesterday","duration_seconds":-1}
                """)
            #expect(bad.status == 422)
            guard case .array(let errors)? = bad["errors"] else { Issue.record("no errors"); return }
            #expect(Set(errors.compactMap { $0["field"]?.string }) == ["channel", "occurred_at", "duration_seconds"])
            let mismatch = try logCall(app.admin, caseID, at: "2026-11-20T15:00:00Z", outcome: "delivered")
            #expect(mismatch.status == 422)
            #expect(try logCall(app.admin, caseID, at: "2099-01-01T00:00:00Z").status == 422)
            #expect(try app.admin.post("/v1/cases/case_missing/communications", "{}").status == 404)
        }
    }

    @Test func rightsFollowTheTable() throws {
        try withTestApp { app in
            let (agentID, agent) = try app.admin.createUser(role: "agent")
            let (_, compliance) = try app.admin.createUser(role: "compliance")
            let (_, analyst) = try app.admin.createUser(role: "analyst")
            let own = try makeUSCase(app.admin, ref: "OWN", assignedTo: agentID)
            let other = try makeUSCase(app.admin, ref: "OTHER")
            #expect(try logCall(agent, own, at: "2026-11-20T15:00:00Z").status == 201)
            #expect(try logCall(agent, other, at: "2026-11-20T15:00:00Z").status == 404)
            #expect(try logCall(compliance, own, at: "2026-11-20T15:00:00Z").status == 403)
            #expect(try analyst.get("/v1/cases/\(own)/communications").status == 200)
            #expect(try agent.get("/v1/compliance/alerts").status == 403)
            #expect(try compliance.get("/v1/compliance/alerts").status == 200)
            #expect(try agent.post("/v1/compliance/check", #"{"case_id":"\#(other)","channel":"phone"}"#).status == 422)
            #expect(try analyst.post("/v1/compliance/check", #"{"case_id":"\#(own)","channel":"phone"}"#).status == 403)
        }
    }
}

@Suite struct ComplianceAPITests {
    @Test func theCheckAnswersAllowedViolationsAndTheNextAllowedInstant() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            let allowed = try app.admin.post("/v1/compliance/check", #"{"case_id":"\#(caseID)","channel":"phone","at":"2026-11-20T15:00:00Z"}"#)
            #expect(allowed.status == 200)
            #expect(allowed["allowed"] == .bool(true))
            #expect(allowed["next_allowed_at"] == .null)
            // 22:30 in New York: next is 08:00 the next morning (13:00Z).
            let late = try app.admin.post("/v1/compliance/check", #"{"case_id":"\#(caseID)","channel":"sms","at":"2026-11-21T03:30:00Z"}"#)
            #expect(late["allowed"] == .bool(false))
            #expect(late["next_allowed_at"]?.string == "2026-11-21T13:00:00Z")
            let ceased = try makeUSCase(app.admin, ref: "US-2", restrictions: #"{"cease_communication":true}"#)
            let blocked = try app.admin.post("/v1/compliance/check", #"{"case_id":"\#(ceased)","channel":"email"}"#)
            #expect(blocked["allowed"] == .bool(false))
            #expect(blocked["next_allowed_at"] == .null)
            let missing = try app.admin.post("/v1/compliance/check", #"{"case_id":"case_nope","channel":"fax"}"#)
            #expect(missing.status == 422)
            guard case .array(let errors)? = missing["errors"] else { Issue.record("no errors"); return }
            #expect(Set(errors.compactMap { $0["field"]?.string }) == ["channel", "case_id"])
        }
    }

    @Test func thePolicyIsReadByAllChangedByComplianceAndAudited() throws {
        try withTestApp { app in
            let (_, agent) = try app.admin.createUser(role: "agent")
            let (_, compliance) = try app.admin.createUser(role: "compliance")
            let policy = try agent.get("/v1/compliance/policy")
            #expect(policy.status == 200)
            #expect(policy["jurisdictions"]?["US"]?["contact_hours"]?["start"]?.string == "08:00")
            #expect(policy["max_agent_discount_percent"]?.int64 == 10)
            #expect(policy["version"]?.int64 == 0)
            #expect(try agent.request("PUT", "/v1/compliance/policy", json: "{}").status == 403)
            let bad = try compliance.request("PUT", "/v1/compliance/policy",
                                             json: #"{"jurisdictions":{"US":{"contact_hours":{"start":"25:00"}}},"grace_days":-1}"#)
            #expect(bad.status == 422)
            guard case .array(let errors)? = bad["errors"] else { Issue.record("no errors"); return }
            #expect(errors.count >= 2)
            let changed = try compliance.request("PUT", "/v1/compliance/policy",
                                                 json: #"{"jurisdictions":{"US":{"contact_hours":{"start":"09:00","end":"20:00"}}}}"#)
            #expect(changed.status == 200)
            #expect(changed.headers["ETag"] == "\"1\"")
            #expect(changed["version"]?.int64 == 1)
            // The document read, sent back as it is (its version included), is a valid change.
            let resent = try compliance.request("PUT", "/v1/compliance/policy", json: changed.text, headers: [("If-Match", "\"1\"")])
            #expect(resent.status == 200)
            #expect(resent["version"]?.int64 == 2)
            #expect(try compliance.request("PUT", "/v1/compliance/policy", json: #"{"version":"2"}"#).status == 400)
            // A document that is not an object is malformed, `null` as much as `[]`.
            #expect(try compliance.request("PUT", "/v1/compliance/policy", json: "null").status == 400)
            #expect(try compliance.request("PUT", "/v1/compliance/policy", json: "[]").status == 400)
            let caseID = try makeUSCase(app.admin)
            // 08:30 New York is now outside the window.
            let check = try app.admin.post("/v1/compliance/check", #"{"case_id":"\#(caseID)","channel":"phone","at":"2026-11-20T13:30:00Z"}"#)
            #expect(check["allowed"] == .bool(false))
            #expect(check["next_allowed_at"]?.string == "2026-11-20T14:00:00Z")
            let stale = try compliance.request("PUT", "/v1/compliance/policy", json: "{}", headers: [("If-Match", "\"0\"")])
            #expect(stale.status == 412)
            let audit = try app.admin.get("/v1/audit?entity_id=policy")
            #expect(items(audit).contains { $0["action"]?.string == "compliance_policy.changed" })
        }
    }
}

@Suite struct PolicyChangesUnderLoadTests {
    /// Policy changes write while contacts are judged against the policy in other writes: neither
    /// may wait on the other (group commit runs other requests' writes on the changing thread).
    @Test func policyChangesAndContactsInterleaveWithoutStalling() throws {
        try withTestApp { app in
            let caseID = try makeUSCase(app.admin)
            let admin = APIClient(port: app.port, key: testAdminKey, timeoutSeconds: 20)
            let statuses = Mutex<[Int]>([])
            DispatchQueue.concurrentPerform(iterations: 60) { index in
                let status: Int
                if index % 5 == 0 {
                    let start = index % 10 == 0 ? "08:00" : "09:00"
                    status = (try? admin.request("PUT", "/v1/compliance/policy",
                                                 json: #"{"jurisdictions":{"US":{"contact_hours":{"start":"\#(start)","end":"21:00"}}}}"#).status) ?? 0
                } else {
                    status = (try? logCall(admin, caseID, at: "2026-11-20T15:00:00Z").status) ?? 0
                }
                statuses.withLock { $0.append(status) }
            }
            let all = statuses.withLock { $0 }
            #expect(all.filter { $0 == 200 }.count == 12, "\(all)")
            #expect(all.filter { $0 == 201 }.count == 48, "\(all)")
        }
    }
}
