import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct FeedbackAPITests {
    static let now = "2026-11-20T02:00:00Z"

    func survey(_ client: APIClient, _ caseID: String, communicationID: String? = nil) throws -> String {
        let body = communicationID.map { #"{"communication_id":"\#($0)"}"# } ?? "{}"
        let created = try client.post("/v1/cases/\(caseID)/surveys", body)
        guard created.status == 201, let token = created["token"]?.string else { throw RawClient.Failure(description: created.text) }
        return token
    }

    @Test func aGoodAnswerIsRecordedOnceAndAPoorOneOpensAFollowUp() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let (agentID, agent) = try app.admin.createUser(role: "agent", team: "collection")
            let caseID = try makeCase(app.admin, assignedTo: agentID)
            let call = try app.admin.post("/v1/cases/\(caseID)/communications", """
                {"channel":"phone","direction":"outbound","outcome":"connected_rpc","occurred_at":"2026-11-20T02:00:00Z"}
                """)
            let communicationID = try #require(call["id"]?.string)
            let goodToken = try survey(agent, caseID, communicationID: communicationID)
            let publicClient = app.client(key: nil)
            let good = try publicClient.post("/v1/public/feedback",
                                             #"{"token":"\#(goodToken)","scores":{"communication":5,"attitude":4,"resolution":4},"nps":9,"comment":"Kind"}"#)
            #expect(good.status == 201)
            // An anonymous caller learns nothing about the case.
            #expect(good["status"]?.string == "received")
            #expect(good["case_id"] == nil && good["agent_id"] == nil)
            #expect(items(try app.admin.get("/v1/feedback?case_id=\(caseID)")).first?["communication_id"]?.string == communicationID)
            let again = try publicClient.post("/v1/public/feedback",
                                              #"{"token":"\#(goodToken)","scores":{"communication":5,"attitude":4,"resolution":4}}"#)
            #expect(again.status == 410)
            #expect(items(try app.admin.get("/v1/followups?status=open")).isEmpty)

            let poorToken = try survey(agent, caseID)
            let poor = try publicClient.post("/v1/public/feedback",
                                             #"{"token":"\#(poorToken)","scores":{"communication":2,"attitude":3,"resolution":3},"nps":8}"#)
            #expect(poor.status == 201)
            let followUps = items(try app.admin.get("/v1/followups?status=open"))
            #expect(followUps.count == 1)
            #expect(followUps.first?["assigned_team"]?.string == "collection")
            #expect(followUps.first?["due_at"]?.string == "2026-11-22T02:00:00Z")
            let followUpID = try #require(followUps.first?["id"]?.string)
            #expect(try agent.post("/v1/followups/\(followUpID)/close", #"{"note":"called"}"#).status == 403)
            let closed = try app.admin.post("/v1/followups/\(followUpID)/close", #"{"note":"called back, sorted"}"#)
            #expect(closed["status"]?.string == "closed")
            let listed = items(try app.admin.get("/v1/feedback?case_id=\(caseID)"))
            #expect(listed.count == 2)
            // Feedback on a contact is about whoever made it; without one, about the case's agent.
            #expect(items(try app.admin.get("/v1/feedback?agent_id=\(agentID)")).count == 1)
            let timeline = items(try app.admin.get("/v1/cases/\(caseID)/timeline?limit=200"))
            #expect(timeline.contains { $0["kind"]?.string == "followup" })
            #expect(timeline.contains { $0["kind"]?.string == "feedback" })
        }
    }

    @Test func badAnswersUnknownAndExpiredTokens() throws {
        let time = TestClock(Self.now)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeCase(app.admin)
            let token = try FeedbackAPITests().survey(app.admin, caseID)
            let publicClient = app.client(key: nil)
            let bad = try publicClient.post("/v1/public/feedback", #"{"token":"\#(token)","scores":{"communication":0,"attitude":6},"nps":11}"#)
            #expect(bad.status == 422)
            guard case .array(let errors)? = bad["errors"] else { Issue.record("no errors"); return }
            #expect(Set(errors.compactMap { $0["field"]?.string }) == ["scores.communication", "scores.attitude", "scores.resolution", "nps"])
            #expect(try publicClient.post("/v1/public/feedback", #"{"token":"nope","scores":{"communication":5,"attitude":5,"resolution":5}}"#).status == 404)
            time.set("2026-12-05T00:00:00Z")  // 15 days later
            let expired = try publicClient.post("/v1/public/feedback", #"{"token":"\#(token)","scores":{"communication":5,"attitude":5,"resolution":5}}"#)
            #expect(expired.status == 410)
            #expect(try app.admin.post("/v1/cases/\(caseID)/surveys", #"{"communication_id":"com_nope"}"#).status == 422)
        }
    }

    @Test func thePublicEndpointIsRateLimitedPerAddress() throws {
        try withTestApp(configure: { $0.publicRateLimitPerMinute = 3 }) { app in
            let publicClient = app.client(key: nil)
            for _ in 0..<3 {
                #expect(try publicClient.post("/v1/public/feedback", #"{"token":"x","scores":{"communication":5,"attitude":5,"resolution":5}}"#).status == 404)
            }
            let limited = try publicClient.post("/v1/public/feedback", #"{"token":"x","scores":{"communication":5,"attitude":5,"resolution":5}}"#)
            #expect(limited.status == 429)
            #expect(limited.headers["Retry-After"] != nil)
        }
    }
}

@Suite struct ComplaintsAPITests {
    /// Lengths count Unicode code points, as the API document says: a text of combining marks is
    /// as long as its code points, however few characters it draws.
    @Test func textLimitsCountCodePoints() throws {
        try withTestApp(clock: TestClock("2026-11-20T02:00:00Z").clock) { app in
            let caseID = try makeCase(app.admin)
            let accented = String(repeating: "e\u{301}", count: 1_001)  // 1001 characters, 2002 code points
            let token = try FeedbackAPITests().survey(app.admin, caseID)
            let answer = try app.client(key: nil).post("/v1/public/feedback",
                #"{"token":"\#(token)","scores":{"communication":5,"attitude":5,"resolution":5},"comment":"\#(accented)"}"#)
            #expect(answer.status == 422)
            let longDescription = String(repeating: "e\u{301}", count: 2_501)  // 2501 characters, 5002 code points
            let complaint = try app.admin.post("/v1/complaints", """
                {"case_id":"\(caseID)","channel":"phone","category":"other","description":"\(longDescription)"}
                """)
            #expect(complaint.status == 422)
            let opened = try app.admin.post("/v1/complaints", """
                {"case_id":"\(caseID)","channel":"phone","category":"other","description":"Rude on the phone"}
                """)
            let complaintID = try #require(opened["id"]?.string)
            let closing = try app.admin.post("/v1/complaints/\(complaintID)/transitions",
                                             #"{"to":"resolved","resolution":"\#(longDescription)"}"#)
            #expect(closing.status == 422)
            let action = String(repeating: "e\u{301}", count: 151)  // 151 characters, 302 code points
            let policy = try app.admin.request("PUT", "/v1/compliance/policy", json:
                                               #"{"playbooks":{"resistant":{"recommended_actions":["\#(action)"]}}}"#)
            #expect(policy.status == 422)
        }
    }

    @Test func complaintsRunOnAClockAndHarassmentOpensAnAlert() throws {
        let time = TestClock("2026-11-20T02:00:00Z")
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeCase(app.admin)
            let complaint = try app.admin.post("/v1/complaints", """
                {"case_id":"\(caseID)","channel":"phone","category":"harassment","description":"Called five times a day","severity":"high"}
                """)
            #expect(complaint.status == 201)
            #expect(complaint["status"]?.string == "open")
            #expect(complaint["acknowledge_by"]?.string == "2026-11-21T02:00:00Z")
            #expect(complaint["resolve_by"]?.string == "2026-11-27T02:00:00Z")
            let alerts = items(try app.admin.get("/v1/compliance/alerts?status=open"))
            #expect(alerts.first?["rule"]?.string == "complaint_harassment")
            let complaintID = try #require(complaint["id"]?.string)
            let low = try app.admin.post("/v1/complaints", """
                {"case_id":"\(caseID)","channel":"email","category":"wrong_amount","description":"Fees look wrong","severity":"low"}
                """)
            #expect(low["resolve_by"]?.string == "2026-12-05T02:00:00Z")
            #expect(items(try app.admin.get("/v1/compliance/alerts?status=open")).count == 1)

            time.set("2026-11-22T00:00:00Z")
            #expect(items(try app.admin.get("/v1/complaints?overdue=true")).count == 2)
            let sla = try app.admin.post("/v1/jobs/complaint_sla/run", "{}")
            #expect(sla["result"]?["acknowledge_breaches"]?.int64 == 2)
            #expect(try app.admin.post("/v1/jobs/complaint_sla/run", "{}")["result"]?["acknowledge_breaches"]?.int64 == 0)

            let investigating = try app.admin.post("/v1/complaints/\(complaintID)/transitions", #"{"to":"investigating"}"#)
            #expect(investigating["status"]?.string == "investigating")
            #expect(investigating["acknowledged_at"]?.string == "2026-11-22T00:00:00Z")
            let back = try app.admin.post("/v1/complaints/\(complaintID)/transitions", #"{"to":"investigating"}"#)
            #expect(back.status == 409)
            #expect(try app.admin.post("/v1/complaints/\(complaintID)/transitions", #"{"to":"resolved"}"#).status == 422)
            let resolved = try app.admin.post("/v1/complaints/\(complaintID)/transitions", #"{"to":"resolved","resolution":"Agent coached; calls capped"}"#)
            #expect(resolved["status"]?.string == "resolved")
            // A final status has no way out, and says so with an empty list.
            let reopened = try app.admin.post("/v1/complaints/\(complaintID)/transitions", #"{"to":"investigating"}"#)
            #expect(reopened.status == 409)
            #expect(reopened["allowed"] == .array([]))
            #expect(items(try app.admin.get("/v1/complaints?status=resolved")).count == 1)
            let timeline = items(try app.admin.get("/v1/cases/\(caseID)/timeline?limit=200"))
            #expect(timeline.filter { $0["kind"]?.string == "complaint" }.count >= 4)
        }
    }

    @Test func rightsAndValidation() throws {
        try withTestApp { app in
            let (agentID, agent) = try app.admin.createUser(role: "agent")
            let (_, analyst) = try app.admin.createUser(role: "analyst")
            let own = try makeCase(app.admin, ref: "OWN", assignedTo: agentID)
            let other = try makeCase(app.admin, ref: "OTHER")
            #expect(try agent.post("/v1/complaints", #"{"case_id":"\#(own)","channel":"sms","category":"privacy","description":"x"}"#).status == 201)
            #expect(try agent.post("/v1/complaints", #"{"case_id":"\#(other)","channel":"sms","category":"privacy","description":"x"}"#).status == 422)
            #expect(try analyst.post("/v1/complaints", #"{"case_id":"\#(own)","channel":"sms","category":"privacy","description":"x"}"#).status == 403)
            #expect(items(try analyst.get("/v1/complaints")).count == 1)
            let bad = try app.admin.post("/v1/complaints", #"{"case_id":"\#(own)","channel":"fax","category":"rude"}"#)
            guard case .array(let errors)? = bad["errors"] else { Issue.record("no errors"); return }
            #expect(Set(errors.compactMap { $0["field"]?.string }) == ["channel", "category", "description"])
        }
    }
}
