import ParleyCore
import ParleySQLite
import ParleyStore
import Testing

@Suite struct MessageStoreTests {
    typealias F = StoreFixture

    private static func message(_ id: MessageID, case caseID: CaseID = "case_1", status: Message.Status = .scheduled,
                                scheduledFor: Int64, reminderKey: String? = nil) -> Message {
        Message(id: id, caseID: caseID, channel: .sms, to: "+447700900001", subject: nil, body: "Hello", status: status,
                scheduledFor: F.at(scheduledFor), template: nil, reminderKey: reminderKey, createdBy: "usr_a", createdAt: F.at(0))
    }

    @discardableResult
    private func insert(_ f: StoreFixture, _ m: Message) throws -> Bool {
        try f.messages.insert(m, audit: AuditRecord(action: .messageQueued, entity: "message", entityID: m.id),
                              event: TimelineEvent(at: F.at(0), kind: .message, actor: "usr_a", summary: "queued", ref: m.id), actor: F.actor)
    }

    private func claim(_ f: StoreFixture, at offset: Int64, limit: Int = 10) throws -> [String] {
        try f.messages.claimDue(asOf: F.at(offset), limit: limit).map(\.id.rawValue)
    }

    /// The sms a new one is judged with: queued ones and reminders whose time has come, not later
    /// reminders, sent ones (their communications count instead) or other cases'.
    @Test func queuedTimesAreTheUnsentMessagesDueByThen() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            try insert(f, Self.message("msg_q", status: .queued, scheduledFor: 100))
            try insert(f, Self.message("msg_r", scheduledFor: 200))
            try insert(f, Self.message("msg_l", scheduledFor: 301))
            try insert(f, Self.message("msg_s", status: .sent, scheduledFor: 50))
            try insert(f, Self.message("msg_x", status: .suppressed, scheduledFor: 50))
            let due = try f.messages.queuedTimes(caseID: "case_1", channel: .sms, dueBy: F.at(300))
            #expect(due.sorted() == [F.at(100), F.at(200)])
            #expect(try f.messages.queuedTimes(caseID: "case_1", channel: .email, dueBy: F.at(300)).isEmpty)
        }
    }

    @Test func dueMessagesAreScheduledOrQueuedAndReachedInScheduleOrder() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            try insert(f, Self.message("msg_e", scheduledFor: 300))
            try insert(f, Self.message("msg_d", status: .queued, scheduledFor: 100))
            try insert(f, Self.message("msg_c", scheduledFor: 100))
            try insert(f, Self.message("msg_a", scheduledFor: 200))
            try insert(f, Self.message("msg_s", status: .sent, scheduledFor: 0))
            try insert(f, Self.message("msg_f", status: .failed, scheduledFor: 0))
            try insert(f, Self.message("msg_x", status: .suppressed, scheduledFor: 0))
            try insert(f, Self.message("msg_z", scheduledFor: 301))
            // Up to `limit`, by scheduled_for then id; the boundary instant is due.
            #expect(try claim(f, at: 300, limit: 3) == ["msg_c", "msg_d", "msg_a"])
            // Claimed messages are not handed out again.
            #expect(try claim(f, at: 300) == ["msg_e"])
            #expect(try claim(f, at: 300) == [])
            #expect(try claim(f, at: 301) == ["msg_z"])
            #expect(try f.count("SELECT count(*) FROM message WHERE claimed_at IS NOT NULL") == 5)
        }
    }

    @Test func postponedAndReleasedClaimsComeBackWhenDue() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            try insert(f, Self.message("msg_1", scheduledFor: 0))
            try insert(f, Self.message("msg_2", scheduledFor: 0))
            try insert(f, Self.message("msg_3", scheduledFor: 0))
            #expect(try claim(f, at: 10) == ["msg_1", "msg_2", "msg_3"])
            try f.messages.postpone("msg_2", until: F.at(500))
            #expect(try claim(f, at: 499) == [])
            #expect(try claim(f, at: 500) == ["msg_2"])
            #expect(try f.messages.releaseAllClaims() == 3)
            #expect(try f.messages.releaseAllClaims() == 0)
            // Released claims are due again; msg_2 still waits for its retry time.
            #expect(try claim(f, at: 20) == ["msg_1", "msg_3"])

            // A finished message is released but no longer due.
            var sent = try #require(try f.messages.message(id: "msg_1"))
            sent.status = .sent
            sent.attempts = 1
            sent.sentAt = F.at(30)
            try f.messages.finish(sent, audit: nil, event: nil, actor: .system)
            #expect(try f.messages.message(id: "msg_1") == sent)
            #expect(try f.messages.releaseAllClaims() == 1)
            #expect(try claim(f, at: 1_000) == ["msg_2", "msg_3"])
        }
    }

    @Test func aReminderKeyIsUsedOnceAndTheRepeatWritesNothing() throws {
        try F.with { f in
            try f.insertDebtorWithCase()
            #expect(try insert(f, Self.message("msg_1", scheduledFor: 0, reminderKey: "plan:pln_1:1")))
            let audit = try f.count("SELECT count(*) FROM audit_log")
            let events = try f.count("SELECT count(*) FROM case_event")
            #expect(try !insert(f, Self.message("msg_2", scheduledFor: 0, reminderKey: "plan:pln_1:1")))
            #expect(try f.messages.message(id: "msg_2") == nil)
            #expect(try f.count("SELECT count(*) FROM audit_log") == audit)
            #expect(try f.count("SELECT count(*) FROM case_event") == events)
            // Messages without a key never collide.
            #expect(try insert(f, Self.message("msg_3", scheduledFor: 0)))
            #expect(try insert(f, Self.message("msg_4", scheduledFor: 0)))
        }
    }

    @Test func listsFilterByCaseStatusAndScopeInIdOrder() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1")
            try f.insertCase(F.makeCase("case_1", debtor: "dbt_1", assignedTo: "usr_x"))
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_1", team: "north"))
            try insert(f, Self.message("msg_3", scheduledFor: 0))
            try insert(f, Self.message("msg_1", case: "case_2", status: .sent, scheduledFor: 0))
            try insert(f, Self.message("msg_2", case: "case_2", scheduledFor: 0))
            func list(_ filter: MessageFilter, _ scope: CaseScope = .all, limit: Int = 50) throws -> [String] {
                try f.messages.messages(filter, scope: scope, page: PageRequest(limit: limit)).items.map(\.id.rawValue)
            }
            #expect(try list(MessageFilter()) == ["msg_1", "msg_2", "msg_3"])
            #expect(try list(MessageFilter(caseID: "case_2")) == ["msg_1", "msg_2"])
            #expect(try list(MessageFilter(status: .scheduled)) == ["msg_2", "msg_3"])
            #expect(try list(MessageFilter(caseID: "case_2", status: .sent)) == ["msg_1"])
            #expect(try list(MessageFilter(), .own(userID: "usr_x", team: nil)) == ["msg_3"])
            #expect(try list(MessageFilter(), .own(userID: "usr_y", team: "north")) == ["msg_1", "msg_2"])
            let pages = try walkPages(limit: 2) { try f.messages.messages(MessageFilter(), scope: .all, page: $0) }
            #expect(pages.map { $0.map(\.id.rawValue) } == [["msg_1", "msg_2"], ["msg_3"]])
        }
    }
}
