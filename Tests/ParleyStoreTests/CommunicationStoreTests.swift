import ParleyCore
import ParleySQLite
@testable import ParleyStore
import Testing

@Suite struct CommunicationStoreTests {
    typealias F = StoreFixture

    private static func contact(_ id: CommunicationID, case caseID: CaseID = "case_1", debtor: DebtorID = "dbt_1",
                                _ channel: ContactChannel = .phone, _ direction: ContactDirection = .outbound,
                                _ outcome: ContactOutcome = .noAnswer, at offset: Int64, to: String? = "+447700900001") -> Communication {
        Communication(id: id, caseID: caseID, debtorID: debtor, channel: channel, direction: direction, outcome: outcome,
                      occurredAt: F.at(offset), durationSeconds: nil, summary: nil, content: nil, to: to,
                      compliance: direction == .outbound ? ComplianceVerdict(violations: [], nextAllowedAt: nil) : nil,
                      recordedBy: "usr_a", recordedAt: F.at(offset))
    }

    private func log(_ f: StoreFixture, _ communications: Communication...) throws {
        for c in communications { try f.communications.insert(c, alerts: [], audit: [], events: [], actor: F.actor) }
    }

    /// New contacts land at the end of the outbound-time index (ids grow with recording time),
    /// which still covers the analytics read of a range's outbound contacts by case.
    @Test func theOutboundTimeIndexIsInIDOrderAndCoversTheAnalyticsRead() throws {
        try F.with { f in
            let columns = try f.pool.read { db in
                try db.query("SELECT name FROM pragma_index_info('communication_outbound_time') ORDER BY seqno") { $0.string(0) }
            }
            #expect(columns == ["occurred_at", "id", "case_id", "outcome", "direction"])
            let plan = try f.pool.read { db in
                try db.query("""
                    EXPLAIN QUERY PLAN SELECT case_id, max(outcome IN ('connected_rpc','connected_third_party'))
                    FROM communication INDEXED BY communication_outbound_time
                    WHERE direction = 'outbound' AND occurred_at >= 1 AND occurred_at < 2 GROUP BY case_id
                    """) { $0.string(3) }
            }
            #expect(plan.contains { $0.contains("USING COVERING INDEX communication_outbound_time") }, "\(plan)")
        }
    }

    /// Two indexes hold a case's contacts, each with every column its readers filter on: the
    /// history series read the channel index alone, the contact-day seeks the time index alone.
    @Test func theCaseIndexesCoverTheirReads() throws {
        try F.with { f in
            let (channel, time, indexes) = try f.pool.read { db in
                (try db.query("SELECT name FROM pragma_index_info('communication_case_channel') ORDER BY seqno") { $0.string(0) },
                 try db.query("SELECT name FROM pragma_index_info('communication_case_time') ORDER BY seqno") { $0.string(0) },
                 try db.query("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'communication'") { $0.string(0) })
            }
            #expect(channel == ["case_id", "channel", "direction", "occurred_at", "outcome", "to_address"])
            #expect(time == ["case_id", "occurred_at", "id", "direction", "outcome"])
            #expect(!indexes.contains("communication_number_unanswered"))
            let window: [any SQLBindable] = [Int64(0), Int64(1), Int64(7)]
            let days = AnalyticsCommunicationRollup.contactDays, conversations = AnalyticsCommunicationRollup.conversationDays
            let following: [any SQLBindable] = ["case_1", Int64(0), "com_1"], previous: [any SQLBindable] = ["case_1", Int64(0)]
            for (sql, arguments) in [(HistorySQL.caseOutbound, ["case_1", "phone"] + window),
                                     (HistorySQL.numberUnansweredOnCase, ["+447700900001", "case_1"] + window),
                                     (days.following, following), (days.previous, previous),
                                     (conversations.following, following), (conversations.previous, previous)] {
                let (plan, program) = try f.pool.read { db in
                    (try db.query("EXPLAIN QUERY PLAN " + sql, arguments) { $0.string(3) }, try db.query("EXPLAIN " + sql, arguments) { $0.string(1) })
                }
                #expect(!program.contains("OpenEphemeral"), "\(sql.text)")
                let reads = plan.filter { $0.hasPrefix("SEARCH") || $0.hasPrefix("SCAN") }
                #expect(!reads.isEmpty && reads.allSatisfy { $0.contains("USING COVERING INDEX") }, "\(sql.text): \(plan)")
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(sql.text): \(plan)")
            }
        }
    }

    @Test func storedCommunicationsCannotBeChangedOrDeleted() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            var c = Self.contact("com_1", at: 0)
            c = Communication(id: c.id, caseID: c.caseID, debtorID: c.debtorID, channel: .sms, direction: .outbound, outcome: .sent,
                              occurredAt: c.occurredAt, durationSeconds: 12, summary: "s", content: "body", to: "+447700900001",
                              compliance: ComplianceVerdict(violations: [Violation(rule: .contactHours, message: "late", nextAllowedAt: F.at(9))],
                                                            nextAllowedAt: F.at(9)),
                              recordedBy: "usr_a", recordedAt: F.at(1))
            try log(f, c)
            #expect(try f.communications.communication(id: "com_1", caseID: "case_1") == c)
            #expect(try f.communications.communication(id: "com_1", caseID: "case_2") == nil)
            for sql: SQL in ["UPDATE communication SET summary = 'changed' WHERE id = 'com_1'",
                             "DELETE FROM communication WHERE id = 'com_1'", "DELETE FROM communication"] {
                do {
                    _ = try f.pool.write { try $0.run(sql) }
                    Issue.record("\(sql.text) was allowed")
                } catch let error as SQLiteError {
                    #expect(error.message.contains("communications are permanent"), "\(error)")
                }
            }
            #expect(try f.communications.communication(id: "com_1", caseID: "case_1") == c)
            #expect(try f.count("SELECT count(*) FROM communication") == 1)
        }
    }

    @Test func aCommunicationCommitsWithItsAlertsAuditAndEventsOrNotAtAll() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            let auditBefore = try f.count("SELECT count(*) FROM audit_log")
            let alert = ComplianceAlert(id: "alr_1", caseID: "case_1", communicationID: "com_1", rule: "contact_hours", message: "m",
                                        status: .open, createdAt: F.at(0))
            let event = TimelineEvent(at: F.at(0), kind: .complianceAlert, actor: "system", summary: "alert", ref: "alr_1" as String?)
            try f.communications.insert(Self.contact("com_1", at: 0), alerts: [alert],
                                        audit: [AuditRecord(action: .communicationLogged, entity: "communication", entityID: "com_1")],
                                        events: [event], actor: F.actor)
            #expect(try f.count("SELECT count(*) FROM compliance_alert WHERE communication_id = 'com_1'") == 1)
            #expect(try f.count("SELECT count(*) FROM audit_log") == auditBefore + 1)
            #expect(try f.count("SELECT count(*) FROM case_event WHERE case_id = 'case_1' AND ref = 'alr_1'") == 1)
            // The same id again: nothing of the second write stays.
            #expect(throws: SQLiteError.self) {
                try f.communications.insert(Self.contact("com_1", at: 5), alerts: [], audit: [
                    AuditRecord(action: .communicationLogged, entity: "communication", entityID: "com_1"),
                ], events: [event], actor: F.actor)
            }
            #expect(try f.count("SELECT count(*) FROM audit_log") == auditBefore + 1)
            #expect(try f.count("SELECT count(*) FROM case_event") == 1)
        }
    }

    @Test func listIsNewestFirstWithIdBreakingTiesAndCursorsContinueExactly() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_1"))
            // Inserted in scrambled order; com_b, com_c and com_e share an instant.
            try log(f, Self.contact("com_c", at: 200), Self.contact("com_a", at: 100), Self.contact("com_e", at: 200),
                    Self.contact("com_d", at: 300), Self.contact("com_b", at: 200), Self.contact("com_f", at: 50),
                    Self.contact("com_x", case: "case_2", at: 250))
            let expected = ["com_d", "com_e", "com_c", "com_b", "com_a", "com_f"]
            let all = try f.communications.communications(caseID: "case_1", page: PageRequest(limit: 50))
            #expect(all.items.map(\.id.rawValue) == expected)
            #expect(all.nextAfter == nil)
            for limit in 1...5 {
                let pages = try walkPages(limit: limit) { try f.communications.communications(caseID: "case_1", page: $0) }
                #expect(pages.flatMap { $0.map(\.id.rawValue) } == expected, "limit \(limit)")
            }
            let first = try f.communications.communications(caseID: "case_1", page: PageRequest(limit: 2))
            #expect(first.nextAfter == String(F.at(200).millisecondsSinceEpoch) + ":com_e")
            let second = try f.communications.communications(caseID: "case_1", page: PageRequest(limit: 2, after: first.nextAfter))
            #expect(second.items.map(\.id.rawValue) == ["com_c", "com_b"])
            #expect(try f.communications.communications(caseID: "case_9", page: PageRequest(limit: 5)).items.isEmpty)
        }
    }

    @Test func historyWindowsAreInclusiveAtBothEndsNewestFirstAndLimited() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            // Outbound phone attempts at 0, 1000, 2000, 3000, 4000 ms, one inbound call and one sms.
            for (n, offset) in [0, 1_000, 2_000, 3_000, 4_000].enumerated() {
                try log(f, Self.contact(CommunicationID("com_p\(n)"), at: Int64(offset)))
            }
            try log(f, Self.contact("com_in", .phone, .inbound, .connectedRPC, at: 2_500),
                    Self.contact("com_sms", .sms, .outbound, .sent, at: 2_000))
            func attempts(_ since: Int64, _ until: Int64, limit: Int = 10) throws -> [Int64] {
                let request = HistoryRequest(casePhoneAttempts: .init(since: F.at(since), until: F.at(until), limit: limit))
                return try f.communications.history(request, caseID: "case_1", debtorID: "dbt_1", to: nil)
                    .casePhoneAttempts.map { $0.millisecondsSinceEpoch - F.t0.millisecondsSinceEpoch }
            }
            #expect(try attempts(1_000, 3_000) == [3_000, 2_000, 1_000])
            #expect(try attempts(1_001, 2_999) == [2_000])
            #expect(try attempts(999, 1_000) == [1_000])
            #expect(try attempts(3_000, 3_000) == [3_000])
            #expect(try attempts(3_001, 3_999) == [])
            #expect(try attempts(0, 4_000) == [4_000, 3_000, 2_000, 1_000, 0])
            // LIMIT keeps the newest.
            #expect(try attempts(0, 4_000, limit: 2) == [4_000, 3_000])
            #expect(try attempts(0, 2_000, limit: 1) == [2_000])
            // Another case's or another debtor's history is not counted.
            let other = HistoryRequest(casePhoneAttempts: .init(since: F.at(0), until: F.at(4_000), limit: 10))
            #expect(try f.communications.history(other, caseID: "case_2", debtorID: "dbt_1", to: nil).casePhoneAttempts.isEmpty)
        }
    }

    @Test func eachHistorySeriesCountsOnlyItsChannelDirectionAndOutcome() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1")
            try f.insertDebtor("dbt_2")
            try f.insertCase(F.makeCase("case_1", debtor: "dbt_1"))
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_1"))
            try f.insertCase(F.makeCase("case_3", debtor: "dbt_2"))
            let a = "+447700900001", b = "+447700900002"
            try log(f,
                    Self.contact("com_01", .phone, .outbound, .noAnswer, at: 100, to: a),
                    Self.contact("com_02", .phone, .outbound, .voicemail, at: 200, to: a),
                    Self.contact("com_03", .phone, .outbound, .busy, at: 300, to: b),
                    Self.contact("com_04", .phone, .outbound, .connectedRPC, at: 400, to: a),
                    Self.contact("com_05", .phone, .inbound, .connectedRPC, at: 500, to: nil),
                    Self.contact("com_06", case: "case_2", .phone, .outbound, .connectedRPC, at: 600, to: a),
                    Self.contact("com_07", case: "case_2", .phone, .outbound, .noAnswer, at: 650, to: a),
                    Self.contact("com_08", .sms, .outbound, .sent, at: 700, to: a),
                    Self.contact("com_09", .sms, .inbound, .received, at: 750, to: nil),
                    Self.contact("com_10", .email, .inbound, .connectedRPC, at: 800, to: nil),
                    Self.contact("com_11", .phone, .outbound, .wrongNumber, at: 850, to: a),
                    Self.contact("com_12", case: "case_3", debtor: "dbt_2", .phone, .outbound, .connectedRPC, at: 900, to: a),
                    Self.contact("com_13", case: "case_3", debtor: "dbt_2", .phone, .outbound, .noAnswer, at: 950, to: a))
            let window = HistoryRequest.Series(since: F.at(0), until: F.at(10_000), limit: 10)
            let request = HistoryRequest(casePhoneAttempts: window, lastCaseRPCPhone: window, caseSMS: window, debtorRPCPhoneToday: window,
                                         numberUnansweredToday: window, lastDebtorReached: window)
            let history = try f.communications.history(request, caseID: "case_1", debtorID: "dbt_1", to: a)
            func offsets(_ instants: [Instant]) -> [Int64] { instants.map { $0.millisecondsSinceEpoch - F.t0.millisecondsSinceEpoch } }
            #expect(offsets(history.casePhoneAttempts) == [850, 400, 300, 200, 100])
            #expect(history.lastCaseRPCPhone == F.at(500))
            #expect(offsets(history.caseSMS) == [700])
            #expect(offsets(history.debtorRPCPhoneToday) == [600, 500, 400])
            #expect(offsets(history.numberUnansweredToday) == [650, 200, 100])
            #expect(history.lastDebtorReached == F.at(800))

            // Across the debtor's cases the newest come first, and the limit holds over all of them.
            let two = HistoryRequest.Series(since: F.at(0), until: F.at(10_000), limit: 2)
            let newest = try f.communications.history(HistoryRequest(numberUnansweredToday: two), caseID: "case_1", debtorID: "dbt_1", to: a)
            #expect(offsets(newest.numberUnansweredToday) == [650, 200])

            // Unrequested series, or no target number, stay empty.
            let none = try f.communications.history(HistoryRequest(numberUnansweredToday: window), caseID: "case_1", debtorID: "dbt_1", to: nil)
            #expect(none == ComplianceHistory())
            let narrow = HistoryRequest.Series(since: F.at(401), until: F.at(799), limit: 10)
            let windowed = try f.communications.history(
                HistoryRequest(lastCaseRPCPhone: narrow, lastDebtorReached: narrow), caseID: "case_1", debtorID: "dbt_1", to: a)
            #expect(windowed.lastCaseRPCPhone == F.at(500))
            #expect(windowed.lastDebtorReached == F.at(600))
        }
    }
}

/// The timeline reads a communication from its own row; an event of its own is refused, with nothing written.
@Suite struct CommunicationTimelineEventTests {
    @Test func aCommunicationEventIsRefusedAndNothingIsWritten() throws {
        try StoreFixture.with { f in
            try f.insertDebtorWithCase()
            let contact = Communication(id: "com_1", caseID: "case_1", debtorID: "dbt_1", channel: .sms, direction: .inbound,
                                        outcome: .received, occurredAt: StoreFixture.at(0), durationSeconds: nil, summary: nil,
                                        content: nil, to: nil, compliance: nil, recordedBy: "usr_a", recordedAt: StoreFixture.at(0))
            let copy = TimelineEvent(at: StoreFixture.at(0), kind: .communication, actor: "usr_a", summary: "Inbound sms: received", ref: "com_1" as String?)
            #expect(throws: SQLiteError.self) {
                try f.communications.insert(contact, alerts: [], audit: [], events: [copy], actor: StoreFixture.actor)
            }
            #expect(try f.count("SELECT count(*) FROM communication") == 0)
        }
    }
}

/// A contact's analytics rows are keyed by its case's groupings: taken from the case the caller
/// read in the same transaction, they are those the case's row gives.
@Suite struct AnalyticsCaseGroupsTests {
    @Test func theGroupsOfACaseAreThoseItsRowGives() throws {
        try StoreFixture.with { f in
            try f.insertDebtor("dbt_1")
            var c = try f.insertCase(StoreFixture.makeCase("case_1", debtor: "dbt_1", assignedTo: "usr_a", team: "north",
                                                           createdAt: Instant(millisecondsSinceEpoch: 1_800_000_123_456)))
            c.segmentOverride = .high_risk
            _ = try f.pool.write { db in try db.run("UPDATE debt_case SET segment_override = 'high_risk' WHERE id = 'case_1'") }
            try f.insertCase(StoreFixture.makeCase("case_2", debtor: "dbt_1"))
            for debtCase in [c, StoreFixture.makeCase("case_2", debtor: "dbt_1")] {
                let fromRow = try #require(try f.pool.read { db in
                    try db.queryFirst(AnalyticsCommunicationRollup.caseGroups, [debtCase.id], AnalyticsCaseGroups.init(row:))
                })
                let fromCase = AnalyticsCaseGroups(debtCase)
                #expect(fromCase.keys == fromRow.keys && fromCase.currency == fromRow.currency && fromCase.placedDay == fromRow.placedDay)
            }
            #expect(AnalyticsCaseGroups(c).keys == ["", "high_risk", "usr_a", "north", "Acme"])
        }
    }
}
