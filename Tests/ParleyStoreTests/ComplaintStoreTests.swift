import ParleyCore
import ParleySQLite
import ParleyStore
import Testing

@Suite struct ComplaintStoreTests {
    typealias F = StoreFixture
    static let day: Int64 = 86_400_000

    /// A complaint opened at `opened` (ms after t0): acknowledge within a day, resolve within `resolveDays`.
    private static func complaint(_ id: ComplaintID, case caseID: CaseID = "case_1", status: Complaint.Status = .open,
                                  opened: Int64 = 0, resolveDays: Int64 = 15, acknowledged: Int64? = nil,
                                  breaches: [String] = []) -> Complaint {
        Complaint(id: id, caseID: caseID, channel: .phone, category: .wrongAmount, description: "d", severity: .medium, status: status,
                  acknowledgeBy: F.at(opened + day), resolveBy: F.at(opened + resolveDays * day), acknowledgedAt: acknowledged.map(F.at),
                  breaches: breaches, createdBy: "usr_a", createdAt: F.at(opened), updatedAt: F.at(opened))
    }

    private func insert(_ f: StoreFixture, _ k: Complaint, alert: ComplianceAlert? = nil) throws {
        try f.complaints.insert(k, alert: alert, audit: [AuditRecord(action: .complaintOpened, entity: "complaint", entityID: k.id)],
                                events: [TimelineEvent(at: k.createdAt, kind: .complaint, actor: "usr_a", summary: "opened", ref: k.id)],
                                actor: F.actor)
    }

    private func list(_ f: StoreFixture, _ filter: ComplaintFilter, _ scope: CaseScope = .all) throws -> [String] {
        try f.complaints.complaints(filter, scope: scope, page: PageRequest(limit: 50)).items.map(\.id.rawValue)
    }

    @Test func filtersByStatusCaseAndScopeInIdOrder() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1")
            try f.insertCase(F.makeCase("case_1", debtor: "dbt_1", assignedTo: "usr_x"))
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_1", team: "north"))
            try insert(f, Self.complaint("cmp_4", status: .investigating))
            try insert(f, Self.complaint("cmp_2", case: "case_2"))
            try insert(f, Self.complaint("cmp_3", status: .resolved))
            try insert(f, Self.complaint("cmp_1"))
            #expect(try list(f, ComplaintFilter()) == ["cmp_1", "cmp_2", "cmp_3", "cmp_4"])
            #expect(try list(f, ComplaintFilter(status: .open)) == ["cmp_1", "cmp_2"])
            #expect(try list(f, ComplaintFilter(status: .investigating)) == ["cmp_4"])
            #expect(try list(f, ComplaintFilter(status: .rejected)) == [])
            #expect(try list(f, ComplaintFilter(status: .open, caseID: "case_1")) == ["cmp_1"])
            #expect(try list(f, ComplaintFilter(), .own(userID: "usr_y", team: "north")) == ["cmp_2"])
            #expect(try list(f, ComplaintFilter(), .own(userID: "usr_x", team: nil)) == ["cmp_1", "cmp_3", "cmp_4"])
            let pages = try walkPages(limit: 3) { try f.complaints.complaints(ComplaintFilter(), scope: .all, page: $0) }
            #expect(pages.map(\.count) == [3, 1])
            #expect(pages.flatMap { $0.map(\.id.rawValue) } == ["cmp_1", "cmp_2", "cmp_3", "cmp_4"])
        }
    }

    @Test func overdueMeansAnOpenComplaintPastADeadlineStrictly() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            // Acknowledge by day 1; resolve by day 7 (cmp_1) or 15.
            try insert(f, Self.complaint("cmp_1", resolveDays: 7, acknowledged: 1_000))
            try insert(f, Self.complaint("cmp_2"))
            try insert(f, Self.complaint("cmp_3", acknowledged: 1_000))
            try insert(f, Self.complaint("cmp_4", status: .resolved))
            try insert(f, Self.complaint("cmp_5", status: .investigating, acknowledged: 1_000))
            func overdue(_ at: Int64) throws -> [String] { try list(f, ComplaintFilter(overdueAt: F.at(at))) }
            #expect(try overdue(Self.day) == [])                 // exactly at the deadline: not yet
            #expect(try overdue(Self.day + 1) == ["cmp_2"])       // unacknowledged
            #expect(try overdue(7 * Self.day) == ["cmp_2"])
            #expect(try overdue(7 * Self.day + 1) == ["cmp_1", "cmp_2"])
            #expect(try overdue(15 * Self.day + 1) == ["cmp_1", "cmp_2", "cmp_3", "cmp_5"])
            #expect(try list(f, ComplaintFilter(status: .investigating, overdueAt: F.at(15 * Self.day + 1))) == ["cmp_5"])
        }
    }

    @Test func unmarkedBreachesSkipDeadlinesAlreadyMarked() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            try insert(f, Self.complaint("cmp_1", breaches: ["acknowledge"]))                          // ack marked, resolve not due
            try insert(f, Self.complaint("cmp_2"))                                                       // ack missed, unmarked
            try insert(f, Self.complaint("cmp_3", resolveDays: 2, acknowledged: 10, breaches: ["resolve"]))  // resolve marked
            try insert(f, Self.complaint("cmp_4", resolveDays: 2, breaches: ["acknowledge"]))          // resolve missed, unmarked
            try insert(f, Self.complaint("cmp_5", status: .rejected))
            let at = F.at(3 * Self.day)
            #expect(try f.complaints.unmarkedBreaches(at: at).map(\.id) == ["cmp_2", "cmp_4"])
            #expect(try f.complaints.unmarkedBreaches(at: F.at(Self.day)).isEmpty)
        }
    }

    @Test func anUpdateAppliesOnlyFromTheExpectedStatus() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            let opened = Self.complaint("cmp_1")
            let alert = ComplianceAlert(id: "alr_1", caseID: "case_1", communicationID: nil, rule: "complaint_harassment", message: "m",
                                        status: .open, createdAt: F.at(0))
            try insert(f, opened, alert: alert)
            #expect(try f.count("SELECT count(*) FROM compliance_alert WHERE id = 'alr_1'") == 1)
            #expect(try f.complaints.complaint(id: "cmp_1") == opened)

            var investigating = opened
            investigating.status = .investigating
            investigating.acknowledgedAt = F.at(500)
            investigating.updatedAt = F.at(500)
            #expect(try f.complaints.update(investigating, expected: .open, audit: nil, event: nil, actor: F.actor))
            var resolved = investigating
            resolved.status = .resolved
            resolved.resolution = "refunded"
            resolved.resolvedAt = F.at(900)
            resolved.updatedAt = F.at(900)
            // A second writer that still thinks it is open loses.
            let events = try f.count("SELECT count(*) FROM case_event")
            #expect(try !f.complaints.update(resolved, expected: .open, audit: AuditRecord(action: .complaintTransitioned, entity: "complaint", entityID: "cmp_1"),
                                             event: TimelineEvent(at: F.at(900), kind: .complaint, actor: "u", summary: "s", ref: nil as String?),
                                             actor: F.actor))
            #expect(try f.complaints.complaint(id: "cmp_1") == investigating)
            #expect(try f.count("SELECT count(*) FROM case_event") == events)
            #expect(try f.complaints.update(resolved, expected: .investigating, audit: nil, event: nil, actor: F.actor))
            #expect(try f.complaints.complaint(id: "cmp_1") == resolved)
        }
    }
}
