import ParleyCore
import ParleySQLite
import ParleyStore
import Testing

@Suite struct CaseStoreTests {
    typealias F = StoreFixture

    private func ids(_ page: Page<DebtCase>) -> [String] { page.items.map(\.id.rawValue) }

    /// Five cases on two debtors with different statuses, assignees, teams and segments.
    private func seedMixed(_ f: StoreFixture) throws {
        try f.insertDebtor("dbt_a")
        try f.insertDebtor("dbt_b")
        try f.insertCase(F.makeCase("case_1", debtor: "dbt_a", status: .open, segment: .resistant, assignedTo: "usr_x", team: "north"))
        try f.insertCase(F.makeCase("case_2", debtor: "dbt_a", status: .contacted, segment: .wait_and_see, assignedTo: "usr_y", team: "north"))
        try f.insertCase(F.makeCase("case_3", debtor: "dbt_b", status: .open, segment: .wait_and_see, assignedTo: nil, team: "south"))
        try f.insertCase(F.makeCase("case_4", debtor: "dbt_b", status: .legal, segment: .high_risk, assignedTo: "usr_x", team: nil))
        try f.insertCase(F.makeCase("case_5", debtor: "dbt_b", status: .contacted, segment: .resistant, assignedTo: nil, team: nil))
    }

    @Test func filtersSelectExactlyTheMatchingCasesInIdOrder() throws {
        try F.with { f in
            try seedMixed(f)
            func list(_ filter: CaseFilter, _ scope: CaseScope = .all) throws -> [String] {
                try ids(f.cases.cases(filter, scope: scope, page: PageRequest(limit: 50)))
            }
            #expect(try list(CaseFilter()) == ["case_1", "case_2", "case_3", "case_4", "case_5"])
            #expect(try list(CaseFilter(status: .open)) == ["case_1", "case_3"])
            #expect(try list(CaseFilter(status: .contacted)) == ["case_2", "case_5"])
            #expect(try list(CaseFilter(status: .legal)) == ["case_4"])
            #expect(try list(CaseFilter(status: .closed)) == [])
            #expect(try list(CaseFilter(assignedTo: "usr_x")) == ["case_1", "case_4"])
            #expect(try list(CaseFilter(team: "north")) == ["case_1", "case_2"])
            #expect(try list(CaseFilter(debtorID: "dbt_b")) == ["case_3", "case_4", "case_5"])
            #expect(try list(CaseFilter(segment: .resistant)) == ["case_1", "case_5"])
            // Filters combine with AND.
            #expect(try list(CaseFilter(status: .contacted, debtorID: "dbt_b")) == ["case_5"])
            #expect(try list(CaseFilter(status: .open, assignedTo: "usr_x", team: "north")) == ["case_1"])
            #expect(try list(CaseFilter(status: .open, team: "nowhere")) == [])
            // An agent sees cases assigned to them or to their team.
            #expect(try list(CaseFilter(), .own(userID: "usr_x", team: "south")) == ["case_1", "case_3", "case_4"])
            #expect(try list(CaseFilter(), .own(userID: "usr_z", team: nil)) == [])
            #expect(try list(CaseFilter(status: .open), .own(userID: "usr_y", team: "north")) == ["case_1"])
        }
    }

    @Test func theSegmentFilterUsesTheOverrideWhenThereIsOne() throws {
        try F.with { f in
            try seedMixed(f)
            var c = try #require(try f.cases.debtCase(id: "case_3"))
            c.segmentOverride = .high_willingness
            c.version = 2
            try f.cases.apply(CaseMutation(debtCase: c, expectedVersion: 1, audit: [], events: []), actor: F.actor)
            func list(_ segment: Segment) throws -> [String] {
                try ids(f.cases.cases(CaseFilter(segment: segment), scope: .all, page: PageRequest(limit: 50)))
            }
            #expect(try list(.high_willingness) == ["case_3"])
            #expect(try list(.wait_and_see) == ["case_2"])
        }
    }

    @Test func pagesWalkEveryMatchingCaseOnceInIdOrder() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1")
            try f.insertDebtor("dbt_2")
            var expectedOpen: [String] = []
            var all: [String] = []
            for n in 0..<307 {
                let id = "case_" + String(n).leftPadded(to: 4)
                let status: CaseStatus = n % 3 == 0 ? .contacted : .open
                try f.insertCase(F.makeCase(CaseID(id), debtor: n % 2 == 0 ? "dbt_1" : "dbt_2", status: status))
                all.append(id)
                if status == .open { expectedOpen.append(id) }
            }
            let pages = try walkPages(limit: 25) { try f.cases.cases(CaseFilter(), scope: .all, page: $0) }
            #expect(pages.count == 13)
            #expect(pages.dropLast().allSatisfy { $0.count == 25 })
            #expect(pages.last?.count == 7)
            #expect(pages.flatMap { $0.map(\.id.rawValue) } == all)

            let openPages = try walkPages(limit: 50) { try f.cases.cases(CaseFilter(status: .open), scope: .all, page: $0) }
            #expect(openPages.flatMap { $0.map(\.id.rawValue) } == expectedOpen)
            #expect(expectedOpen.count == 204)
            #expect(openPages.map(\.count) == [50, 50, 50, 50, 4])

            // Exactly `limit` rows left: the last full page says there is no more (the limit + 1 probe).
            let exact = try f.cases.cases(CaseFilter(), scope: .all, page: PageRequest(limit: 7, after: "case_0299"))
            #expect(ids(exact) == ["case_0300", "case_0301", "case_0302", "case_0303", "case_0304", "case_0305", "case_0306"])
            #expect(exact.nextAfter == nil)
            let oneShort = try f.cases.cases(CaseFilter(), scope: .all, page: PageRequest(limit: 6, after: "case_0299"))
            #expect(oneShort.nextAfter == "case_0305")
            // The cursor need not be an existing id.
            let between = try f.cases.cases(CaseFilter(), scope: .all, page: PageRequest(limit: 2, after: "case_0010x"))
            #expect(ids(between) == ["case_0011", "case_0012"])
        }
    }

    @Test func aRepeatedCreditorReferenceIsAConflictAndWritesNothing() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1")
            try f.insertCase(F.makeCase("case_1", debtor: "dbt_1", creditor: "Acme", externalRef: "R-1"))
            let auditBefore = try f.count("SELECT count(*) FROM audit_log")
            #expect(throws: DomainError.conflict("creditor Acme already placed a case with external_ref R-1")) {
                try f.insertCase(F.makeCase("case_2", debtor: "dbt_1", creditor: "Acme", externalRef: "R-1"))
            }
            #expect(try f.cases.debtCase(id: "case_2") == nil)
            #expect(try f.count("SELECT count(*) FROM audit_log") == auditBefore)
            // The same reference from another creditor, or another reference, is fine.
            try f.insertCase(F.makeCase("case_3", debtor: "dbt_1", creditor: "Other", externalRef: "R-1"))
            try f.insertCase(F.makeCase("case_4", debtor: "dbt_1", creditor: "Acme", externalRef: "R-2"))
            #expect(try f.count("SELECT count(*) FROM debt_case") == 3)
        }
    }

    @Test func insertAndReadBackRoundTripsTheCase() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1", name: "Ann Smith")
            var c = F.makeCase("case_1", debtor: "dbt_1", assignedTo: "usr_x", team: "north")
            c.tags = ["vip", "a \"quoted\" tag"]
            c.priority = .urgent
            try f.insertCase(c)
            #expect(try f.cases.debtCase(id: "case_1") == c)
            let (withSummary, summary) = try #require(try f.cases.debtCaseWithDebtor(id: "case_1"))
            #expect(withSummary == c)
            #expect(summary.id == "dbt_1" && summary.name == "Ann Smith" && summary.timezone == "Europe/London")
            #expect(try f.cases.debtCase(id: "case_nope") == nil)
        }
    }

    @Test func applySavesOnlyOverTheVersionItWasReadAt() throws {
        try F.with { f in
            let original = try f.insertDebtorWithCase()
            var changed = original
            changed.status = .contacted
            changed.assignedTo = "usr_x"
            changed.version = 2
            changed.updatedAt = F.at(1_000)
            let event = TimelineEvent(at: F.at(1_000), kind: .transition, actor: "usr_admin", summary: "open → contacted", ref: nil as String?)
            try f.cases.apply(CaseMutation(debtCase: changed, expectedVersion: 1,
                                           audit: [AuditRecord(action: .caseTransitioned, entity: "case", entityID: changed.id)],
                                           events: [event]), actor: F.actor)
            #expect(try f.cases.debtCase(id: "case_1") == changed)

            // A writer that read version 1 loses, and none of its audit entries or events are kept.
            var stale = original
            stale.status = .legal
            stale.version = 2
            let auditBefore = try f.count("SELECT count(*) FROM audit_log")
            let eventsBefore = try f.count("SELECT count(*) FROM case_event")
            #expect(throws: DomainError.preconditionFailed("case case_1 was changed meanwhile; read it again")) {
                try f.cases.apply(CaseMutation(
                    debtCase: stale, expectedVersion: 1,
                    insertDispute: Dispute(id: "dsp_1", caseID: "case_1", reason: "r", status: .open, note: nil, openedBy: "u",
                                           openedAt: F.at(2_000), resolvedBy: nil, resolvedAt: nil),
                    audit: [AuditRecord(action: .caseTransitioned, entity: "case", entityID: stale.id)], events: [event]), actor: F.actor)
            }
            #expect(try f.cases.debtCase(id: "case_1") == changed)
            #expect(try f.cases.disputes(caseID: "case_1").isEmpty)
            #expect(try f.count("SELECT count(*) FROM audit_log") == auditBefore)
            #expect(try f.count("SELECT count(*) FROM case_event") == eventsBefore)

            // A case that does not exist is the same refusal.
            var ghost = F.makeCase("case_ghost", debtor: "dbt_1")
            ghost.version = 2
            #expect(throws: DomainError.self) {
                try f.cases.apply(CaseMutation(debtCase: ghost, expectedVersion: 1, audit: [], events: []), actor: F.actor)
            }
        }
    }

    @Test func disputesAreInsertedAndResolvedOnlyWhileOpen() throws {
        try F.with { f in
            var c = try f.insertDebtorWithCase()
            let dispute = Dispute(id: "dsp_1", caseID: "case_1", reason: "not mine", status: .open, note: nil, openedBy: "usr_a",
                                  openedAt: F.at(10), resolvedBy: nil, resolvedAt: nil)
            c.status = .disputed; c.version = 2
            try f.cases.apply(CaseMutation(debtCase: c, expectedVersion: 1, insertDispute: dispute, audit: [], events: []), actor: F.actor)
            var resolved = dispute
            resolved.status = .upheld; resolved.resolvedBy = "usr_b"; resolved.resolvedAt = F.at(20); resolved.note = "ok"
            c.status = .open; c.version = 3
            try f.cases.apply(CaseMutation(debtCase: c, expectedVersion: 2, updateDispute: resolved, audit: [], events: []), actor: F.actor)
            #expect(try f.cases.disputes(caseID: "case_1") == [resolved])
            // A second resolution does not overwrite the first (`AND status = 'open'`).
            var again = dispute
            again.status = .rejected; again.resolvedBy = "usr_c"; again.resolvedAt = F.at(30)
            c.version = 4
            try f.cases.apply(CaseMutation(debtCase: c, expectedVersion: 3, updateDispute: again, audit: [], events: []), actor: F.actor)
            #expect(try f.cases.disputes(caseID: "case_1") == [resolved])
        }
    }

    @Test func timelineIsInTimeOrderWithTiesInRecordingOrderAndPagesByPosition() throws {
        try F.with { f in
            var c = try f.insertDebtorWithCase()
            // Recorded out of time order; three share one instant, one shares the creation instant.
            func event(_ at: Int64, _ summary: String) -> TimelineEvent {
                TimelineEvent(at: F.at(at), kind: .assigned, actor: "usr_a", summary: summary, ref: nil as String?)
            }
            let batches: [[TimelineEvent]] = [
                [event(500, "e500-first"), event(100, "e100")],
                [event(500, "e500-second"), event(0, "e0")],
                [event(500, "e500-third"), event(900, "e900")],
            ]
            for (index, events) in batches.enumerated() {
                c.version = Int64(index + 2)
                try f.cases.apply(CaseMutation(debtCase: c, expectedVersion: Int64(index + 1), audit: [], events: events), actor: F.actor)
            }
            // Another case's events never show.
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_1"))
            var other = try #require(try f.cases.debtCase(id: "case_2"))
            other.version = 2
            try f.cases.apply(CaseMutation(debtCase: other, expectedVersion: 1, audit: [], events: [event(200, "other")]), actor: F.actor)

            // Communications are on the timeline from their own rows: at a shared instant after the
            // creation and before the stored events, in the order recorded; a broken rule is named.
            func contact(_ id: CommunicationID, _ at: Int64, _ outcome: ContactOutcome, violations: [Violation] = []) -> Communication {
                Communication(id: id, caseID: "case_1", debtorID: "dbt_1", channel: .phone, direction: .outbound, outcome: outcome,
                              occurredAt: F.at(at), durationSeconds: nil, summary: nil, content: nil, to: nil,
                              compliance: ComplianceVerdict(violations: violations, nextAllowedAt: nil), recordedBy: "usr_b", recordedAt: F.at(at))
            }
            let lateCall = Violation(rule: .contactHours, message: "outside hours", nextAllowedAt: nil)
            for communication in [contact("com_2", 500, .voicemail, violations: [lateCall]), contact("com_1", 0, .noAnswer),
                                  contact("com_3", 500, .connectedRPC)] {
                try f.communications.insert(communication, alerts: [], audit: [], events: [], actor: F.actor)
            }
            try f.communications.insert(Communication(
                id: "com_9", caseID: "case_2", debtorID: "dbt_1", channel: .phone, direction: .outbound, outcome: .noAnswer,
                occurredAt: F.at(500), durationSeconds: nil, summary: nil, content: nil, to: nil, compliance: nil,
                recordedBy: "usr_b", recordedAt: F.at(500)), alerts: [], audit: [], events: [], actor: F.actor)

            let expected = ["Case placed by Acme (ref-case_1)", "Outbound phone: no_answer", "e0", "e100",
                            "Outbound phone: voicemail (breaks contact_hours)", "Outbound phone: connected_rpc",
                            "e500-first", "e500-second", "e500-third", "e900"]
            let all = try f.cases.timeline(caseID: "case_1", page: PageRequest(limit: 50))
            #expect(all.items.map(\.summary) == expected)
            #expect(all.items.first?.kind == .created && all.items.first?.ref == "case_1")
            #expect(all.items.filter { $0.kind == .communication }.map { "\($0.ref ?? "") \($0.actor)" } == ["com_1 usr_b", "com_2 usr_b", "com_3 usr_b"])
            #expect(all.nextAfter == nil)

            for limit in [1, 2, 3, 4] {
                let pages = try walkPages(limit: limit) { try f.cases.timeline(caseID: "case_1", page: $0) }
                #expect(pages.flatMap { $0.map(\.summary) } == expected, "limit \(limit)")
                #expect(pages.map(\.count).reduce(0, +) == 10)
            }
            // A page that ends inside the tie continues inside it, from the contacts to the events.
            let intoTies = try f.cases.timeline(caseID: "case_1", page: PageRequest(limit: 5))
            #expect(intoTies.items.last?.summary == "Outbound phone: voicemail (breaks contact_hours)")
            let rest = try f.cases.timeline(caseID: "case_1", page: PageRequest(limit: 3, after: intoTies.nextAfter))
            #expect(rest.items.map(\.summary) == ["Outbound phone: connected_rpc", "e500-first", "e500-second"])
        }
    }

    @Test func exportStreamsFilteredCasesWithDebtorFieldsInIdOrder() throws {
        try F.with { f in
            try f.insertDebtor("dbt_b", name: "Bea", externalRef: "D-B", phones: ["+447700900002"], emails: ["bea@example.com"])
            try f.insertDebtor("dbt_a", name: "Al")
            try f.insertCase(F.makeCase("case_3", debtor: "dbt_b", team: "north"))
            try f.insertCase(F.makeCase("case_1", debtor: "dbt_a", team: "north"))
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_b", team: "south"))
            var rows: [ExportRow] = []
            try f.cases.exportRows(CaseFilter(team: "north"), scope: .all) { rows.append($0) }
            #expect(rows.map(\.debtCase.id) == ["case_1", "case_3"])
            #expect(rows[0].debtorName == "Al" && rows[0].phone == nil && rows[0].email == nil && rows[0].debtorExternalRef == nil)
            #expect(rows[1].debtorName == "Bea" && rows[1].phone == "+447700900002" && rows[1].email == "bea@example.com")
            #expect(rows[1].debtorExternalRef == "D-B")
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
