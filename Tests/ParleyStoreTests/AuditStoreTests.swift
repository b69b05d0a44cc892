import Dispatch
import ParleyCore
import ParleySQLite
@testable import ParleyStore
import Testing

@Suite struct AuditStoreTests {
    typealias F = StoreFixture

    private static let alice = Principal(userID: "usr_alice", role: .agent, team: "north")
    private static let bob = Principal(userID: "usr_bob", role: .supervisor, team: nil)

    private static func record(_ n: Int, entity: String = "case_1") -> AuditRecord {
        AuditRecord(action: .caseUpdated, entity: "case", entityID: entity, detail: .object([("n", .number(String(n)))]))
    }

    private func append(_ f: StoreFixture, _ records: [AuditRecord], by actor: Principal = alice, at offset: Int64) throws {
        try f.pool.write { db in try AuditLog.append(records, actor: actor, at: F.at(offset), in: db) }
    }

    private func all(_ f: StoreFixture, _ filter: AuditFilter = AuditFilter()) throws -> [AuditEntry] {
        try walkPages(limit: 200) { try f.audit.entries(filter, page: $0) }.flatMap { $0 }
    }

    @Test func theChainIsContinuousAcrossSingleAndBatchedAppends() throws {
        try F.with { f in
            try append(f, [Self.record(1)], at: 0)
            try append(f, [Self.record(2), Self.record(3)], at: 10)
            // More than one multi-row INSERT (50 rows each) in one append, ending mid-batch.
            try append(f, (4...123).map { Self.record($0) }, by: Self.bob, at: 20)
            try append(f, [Self.record(124)], at: 30)
            // An empty append writes nothing.
            try append(f, [], at: 40)

            let entries = try all(f)
            #expect(entries.map(\.seq) == Array(1...124))
            #expect(entries.map { $0.detail["n"]?.int64 } == (1...124).map { Int64($0) })
            var previous = AuditEntry.genesisHash
            for entry in entries {
                let canonical = AuditEntry.canonical(seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action,
                                                     entity: entry.entity, entityID: entry.entityID, detailCanonical: entry.detail.canonical)
                #expect(entry.hash == AuditEntry.chainHash(previous: previous, canonical: canonical), "seq \(entry.seq)")
                previous = entry.hash
            }
            #expect(Set(entries.map(\.hash)).count == 124)
            #expect(try f.audit.verify() == AuditVerification(ok: true, entries: 124, brokenAtSeq: nil))
        }
    }

    /// Inside a write the entries wait for the commit; writes that fail leave none behind, and
    /// those of many writes committed together form one continuous chain with their own actor and time.
    @Test func stagedEntriesAreWrittenAtCommitOnlyForTheWritesThatSucceed() throws {
        try F.with { f in
            let inside = try f.pool.write { db in
                try AuditLog.append(Self.record(0), actor: Self.bob, at: F.at(1), in: db)
                return try db.queryFirst("SELECT count(*) FROM audit_log") { $0.int(0) }
            }
            #expect(inside == 0)
            #expect(try all(f).map(\.seq) == [1])

            struct Abort: Error {}
            DispatchQueue.concurrentPerform(iterations: 60) { n in
                _ = try? f.pool.write { db in
                    try AuditLog.append([Self.record(n + 1), Self.record(1_000 + n)], actor: n % 2 == 0 ? Self.alice : Self.bob,
                                        at: F.at(Int64(10 + n)), in: db)
                    if n % 3 == 0 { throw Abort() }
                }
            }
            let entries = try all(f)
            let kept = (0..<60).filter { $0 % 3 != 0 }
            #expect(entries.map(\.seq) == Array(1...Int64(1 + 2 * kept.count)))
            #expect(Set(entries.dropFirst().compactMap { $0.detail["n"]?.int64 })
                    == Set(kept.flatMap { [Int64($0 + 1), Int64(1_000 + $0)] }))
            for entry in entries.dropFirst() {
                let value = entry.detail["n"]?.int64 ?? -1
                let n = Int(value >= 1_000 ? value - 1_000 : value - 1)  // the write that appended it
                #expect(entry.actor == (n % 2 == 0 ? "usr_alice" : "usr_bob") && entry.at == F.at(Int64(10 + n)), "seq \(entry.seq)")
            }
            #expect(try f.audit.verify() == AuditVerification(ok: true, entries: 1 + 2 * kept.count, brokenAtSeq: nil))
        }
    }

    @Test func aRolledBackAppendLeavesTheChainAsItWas() throws {
        try F.with { f in
            try append(f, [Self.record(1)], at: 0)
            struct Abort: Error {}
            #expect(throws: Abort.self) {
                try f.pool.write { db in
                    try AuditLog.append((2...60).map { Self.record($0) }, actor: Self.alice, at: F.at(5), in: db)
                    throw Abort()
                }
            }
            try append(f, [Self.record(2)], at: 10)
            #expect(try all(f).map(\.seq) == [1, 2])
            #expect(try f.audit.verify() == AuditVerification(ok: true, entries: 2, brokenAtSeq: nil))
        }
    }

    @Test func filtersByEntityActorAndTimeWithAHalfOpenRange() throws {
        try F.with { f in
            try append(f, [Self.record(1, entity: "case_1")], by: Self.alice, at: 0)
            try append(f, [Self.record(2, entity: "case_2")], by: Self.bob, at: 1_000)
            try append(f, [Self.record(3, entity: "case_1"), Self.record(4, entity: "dbt_1")], by: Self.bob, at: 2_000)
            try append(f, [Self.record(5, entity: "case_1")], by: Self.alice, at: 3_000)
            func seqs(_ filter: AuditFilter) throws -> [Int64] { try all(f, filter).map(\.seq) }
            #expect(try seqs(AuditFilter()) == [1, 2, 3, 4, 5])
            #expect(try seqs(AuditFilter(entityID: "case_1")) == [1, 3, 5])
            #expect(try seqs(AuditFilter(entityID: "case")) == [])
            #expect(try seqs(AuditFilter(actor: "usr_bob")) == [2, 3, 4])
            #expect(try seqs(AuditFilter(entityID: "case_1", actor: "usr_bob")) == [3])
            // `from` is inclusive, `to` exclusive.
            #expect(try seqs(AuditFilter(from: F.at(1_000))) == [2, 3, 4, 5])
            #expect(try seqs(AuditFilter(from: F.at(1_001))) == [3, 4, 5])
            #expect(try seqs(AuditFilter(to: F.at(2_000))) == [1, 2])
            #expect(try seqs(AuditFilter(to: F.at(2_001))) == [1, 2, 3, 4])
            #expect(try seqs(AuditFilter(from: F.at(1_000), to: F.at(3_000))) == [2, 3, 4])
            #expect(try seqs(AuditFilter(from: F.at(2_000), to: F.at(2_000))) == [])
            #expect(try seqs(AuditFilter(entityID: "case_1", from: F.at(1), to: F.at(10_000))) == [3, 5])
        }
    }

    @Test func pagesFollowTheSequenceWithoutGapsOrRepeats() throws {
        try F.with { f in
            try append(f, (1...23).map { Self.record($0, entity: $0 % 2 == 0 ? "even" : "odd") }, at: 0)
            let pages = try walkPages(limit: 4) { try f.audit.entries(AuditFilter(entityID: "odd"), page: $0) }
            #expect(pages.map(\.count) == [4, 4, 4])
            #expect(pages.flatMap { $0.map(\.seq) } == Array(stride(from: 1, through: 23, by: 2)))
            let page = try f.audit.entries(AuditFilter(), page: PageRequest(limit: 5, after: "20"))
            #expect(page.items.map(\.seq) == [21, 22, 23])
            #expect(page.nextAfter == nil)
            let full = try f.audit.entries(AuditFilter(), page: PageRequest(limit: 5))
            #expect(full.nextAfter == "5")
        }
    }

    @Test func theLogRefusesUpdateAndDelete() throws {
        try F.with { f in
            try append(f, [Self.record(1)], at: 0)
            for sql: SQL in ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"] {
                do {
                    _ = try f.pool.write { try $0.run(sql) }
                    Issue.record("\(sql.text) was allowed")
                } catch let error as SQLiteError {
                    #expect(error.message.contains("audit_log is append-only"))
                }
            }
            #expect(try f.audit.verify() == AuditVerification(ok: true, entries: 1, brokenAtSeq: nil))
        }
    }

    /// A change made around the append-only triggers, and where verification must find the chain broken.
    struct Tampering: Sendable, CustomTestStringConvertible {
        let trigger: SQL, change: SQL, entriesLeft: Int, brokenAtSeq: Int64
        let testDescription: String
    }

    static let tamperings = [
        Tampering(trigger: "DROP TRIGGER audit_log_no_update", change: "UPDATE audit_log SET detail = '{\"n\":99}' WHERE seq = 5",
                  entriesLeft: 8, brokenAtSeq: 5, testDescription: "a changed detail"),
        Tampering(trigger: "DROP TRIGGER audit_log_no_update", change: "UPDATE audit_log SET hash = hex(zeroblob(32)) WHERE seq = 2",
                  entriesLeft: 8, brokenAtSeq: 2, testDescription: "a changed hash"),
        Tampering(trigger: "DROP TRIGGER audit_log_no_delete", change: "DELETE FROM audit_log WHERE seq = 6",
                  entriesLeft: 7, brokenAtSeq: 6, testDescription: "a removed entry"),
    ]

    @Test(arguments: tamperings) func verifyFindsWhereTheChainWasTamperedWith(_ tampering: Tampering) throws {
        try F.with { f in
            try append(f, (1...8).map { Self.record($0) }, at: 0)
            // Only someone going around the triggers can change a row.
            try f.pool.write { db in
                try db.execute(tampering.trigger)
                _ = try db.run(tampering.change)
            }
            #expect(try f.audit.verify()
                    == AuditVerification(ok: false, entries: tampering.entriesLeft, brokenAtSeq: tampering.brokenAtSeq))
        }
    }
}
