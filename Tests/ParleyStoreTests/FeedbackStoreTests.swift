import ParleyCore
import ParleySQLite
import ParleyStore
import Testing

@Suite struct FeedbackStoreTests {
    typealias F = StoreFixture

    private func survey(_ f: StoreFixture, _ id: SurveyID, case caseID: CaseID = "case_1", token: UInt8) throws -> Survey {
        let s = Survey(id: id, caseID: caseID, communicationID: nil, agentID: "usr_agent", tokenHash: [token, 1, 2, 3],
                       expiresAt: F.at(1_000_000), usedAt: nil, createdBy: "usr_a", createdAt: F.at(0))
        try f.feedback.insert(s, audit: AuditRecord(action: .surveyCreated, entity: "survey", entityID: id),
                              event: TimelineEvent(at: F.at(0), kind: .survey, actor: "usr_a", summary: "survey", ref: id), actor: F.actor)
        return s
    }

    private static func answer(_ id: FeedbackID, survey: SurveyID, case caseID: CaseID = "case_1", agent: String? = "usr_agent",
                               score: Int = 4, at offset: Int64 = 0) -> Feedback {
        Feedback(id: id, caseID: caseID, surveyID: survey, communicationID: nil, agentID: agent,
                 scores: FeedbackScores(communication: score, attitude: score, resolution: score), nps: 8, comment: nil, createdAt: F.at(offset))
    }

    private static func followUp(_ id: FollowUpID, feedback: FeedbackID, case caseID: CaseID = "case_1") -> FollowUp {
        FollowUp(id: id, caseID: caseID, feedbackID: feedback, assignedTeam: "care", status: .open, dueAt: F.at(86_400_000), createdAt: F.at(0))
    }

    @Test func aSurveyIsAnsweredOnceAndTheSecondAnswerWritesNothing() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            let s = try survey(f, "srv_1", token: 9)
            #expect(try f.feedback.survey(tokenHash: [9, 1, 2, 3]) == s)
            #expect(try f.feedback.survey(tokenHash: [9, 1, 2]) == nil)
            let first = Self.answer("fbk_1", survey: "srv_1", score: 1)
            #expect(try f.feedback.record(first, followUp: Self.followUp("fup_1", feedback: "fbk_1"), audit: [], events: [], at: F.at(50)))
            #expect(try f.feedback.survey(tokenHash: [9, 1, 2, 3])?.usedAt == F.at(50))
            #expect(try !f.feedback.record(Self.answer("fbk_2", survey: "srv_1"), followUp: Self.followUp("fup_2", feedback: "fbk_2"),
                                           audit: [], events: [], at: F.at(60)))
            #expect(try f.count("SELECT count(*) FROM feedback") == 1)
            #expect(try f.count("SELECT count(*) FROM followup") == 1)
            #expect(try f.feedback.feedback(FeedbackFilter(), scope: .all, page: PageRequest(limit: 10)).items == [first])
        }
    }

    @Test func feedbackFiltersByCaseAgentAndAHalfOpenTimeRange() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1")
            try f.insertCase(F.makeCase("case_1", debtor: "dbt_1", assignedTo: "usr_x"))
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_1"))
            let rows: [(FeedbackID, CaseID, String?, Int64)] = [
                ("fbk_3", "case_1", "usr_p", 100), ("fbk_1", "case_2", "usr_q", 200), ("fbk_2", "case_1", "usr_q", 300), ("fbk_4", "case_2", nil, 400),
            ]
            for (n, row) in rows.enumerated() {
                _ = try survey(f, SurveyID("srv_\(n)"), case: row.1, token: UInt8(n))
                #expect(try f.feedback.record(Self.answer(row.0, survey: SurveyID("srv_\(n)"), case: row.1, agent: row.2, at: row.3),
                                              followUp: nil, audit: [], events: [], at: F.at(row.3)))
            }
            func list(_ filter: FeedbackFilter, _ scope: CaseScope = .all) throws -> [String] {
                try f.feedback.feedback(filter, scope: scope, page: PageRequest(limit: 50)).items.map(\.id.rawValue)
            }
            #expect(try list(FeedbackFilter()) == ["fbk_1", "fbk_2", "fbk_3", "fbk_4"])
            #expect(try list(FeedbackFilter(caseID: "case_1")) == ["fbk_2", "fbk_3"])
            #expect(try list(FeedbackFilter(agentID: "usr_q")) == ["fbk_1", "fbk_2"])
            #expect(try list(FeedbackFilter(from: F.at(200), to: F.at(400))) == ["fbk_1", "fbk_2"])
            #expect(try list(FeedbackFilter(from: F.at(201), to: F.at(401))) == ["fbk_2", "fbk_4"])
            #expect(try list(FeedbackFilter(caseID: "case_1", agentID: "usr_q", from: F.at(300))) == ["fbk_2"])
            #expect(try list(FeedbackFilter(), .own(userID: "usr_x", team: nil)) == ["fbk_2", "fbk_3"])
        }
    }

    @Test func followUpsFilterByStatusAndCloseOnlyOnce() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            for n in 1...3 {
                _ = try survey(f, SurveyID("srv_\(n)"), token: UInt8(n))
                #expect(try f.feedback.record(Self.answer(FeedbackID("fbk_\(n)"), survey: SurveyID("srv_\(n)"), score: 1),
                                              followUp: Self.followUp(FollowUpID("fup_\(4 - n)"), feedback: FeedbackID("fbk_\(n)")),
                                              audit: [], events: [], at: F.at(0)))
            }
            func list(_ status: FollowUp.Status?) throws -> [String] {
                try f.feedback.followUps(status: status, scope: .all, page: PageRequest(limit: 50)).items.map(\.id.rawValue)
            }
            #expect(try list(nil) == ["fup_1", "fup_2", "fup_3"])
            var closed = try #require(try f.feedback.followUp(id: "fup_2"))
            closed.status = .closed
            closed.closedAt = F.at(70)
            closed.closedBy = "usr_s"
            closed.note = "called back"
            let audit = AuditRecord(action: .followUpClosed, entity: "followup", entityID: "fup_2")
            let event = TimelineEvent(at: F.at(70), kind: .followup, actor: "usr_s", summary: "closed", ref: "fup_2" as String?)
            #expect(try f.feedback.close(closed, audit: audit, event: event, actor: F.actor))
            #expect(try f.feedback.followUp(id: "fup_2") == closed)
            var again = closed
            again.note = "second"
            #expect(try !f.feedback.close(again, audit: audit, event: event, actor: F.actor))
            #expect(try f.feedback.followUp(id: "fup_2")?.note == "called back")
            #expect(try list(.open) == ["fup_1", "fup_3"])
            #expect(try list(.closed) == ["fup_2"])
            #expect(try f.feedback.followUps(status: nil, scope: .own(userID: "usr_nobody", team: nil), page: PageRequest(limit: 5)).items.isEmpty)
        }
    }
}
