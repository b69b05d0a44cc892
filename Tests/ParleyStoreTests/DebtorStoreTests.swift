import ParleyCore
import ParleySQLite
@testable import ParleyStore
import Testing

@Suite struct DebtorStoreTests {
    typealias F = StoreFixture

    private func search(_ f: StoreFixture, _ query: String?, segment: String? = nil, scope: CaseScope = .all,
                        limit: Int = 50) throws -> [String] {
        try f.debtors.debtors(DebtorFilter(query: query, segment: segment), scope: scope, page: PageRequest(limit: limit))
            .items.map(\.id.rawValue)
    }

    @Test func nameSearchMatchesPercentUnderscoreAndBackslashLiterally() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1", name: "100% Legit")
            try f.insertDebtor("dbt_2", name: "1000 Legit")
            try f.insertDebtor("dbt_3", name: "ann_lee")
            try f.insertDebtor("dbt_4", name: "annXlee")
            try f.insertDebtor("dbt_5", name: "back\\slash")
            try f.insertDebtor("dbt_6", name: "backslash")
            #expect(try search(f, "%") == ["dbt_1"])
            #expect(try search(f, "0%") == ["dbt_1"])
            #expect(try search(f, "_") == ["dbt_3"])
            #expect(try search(f, "n_l") == ["dbt_3"])
            #expect(try search(f, "\\") == ["dbt_5"])
            #expect(try search(f, "k\\s") == ["dbt_5"])
            // A part of the name, ASCII letters case-insensitively, after trimming spaces.
            #expect(try search(f, "LEGIT") == ["dbt_1", "dbt_2"])
            #expect(try search(f, "  lee ") == ["dbt_3", "dbt_4"])
            #expect(try search(f, "slash") == ["dbt_5", "dbt_6"])
            #expect(try search(f, "nobody") == [])
            // No query, or only spaces: everyone.
            #expect(try search(f, nil).count == 6)
            #expect(try search(f, "   ").count == 6)
        }
    }

    @Test func aQueryWithNulMatchesOnlyAnExactExternalReference() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1", name: "Ann", externalRef: "ref\u{0}1")
            try f.insertDebtor("dbt_2", name: "Ann", externalRef: "ref")
            try f.insertDebtor("dbt_3", name: "Bob")
            #expect(try search(f, "ref\u{0}1") == ["dbt_1"])
            #expect(try search(f, "Ann\u{0}") == [])
            #expect(try search(f, "\u{0}") == [])
            #expect(try search(f, "ref\u{0}") == [])
        }
    }

    @Test func externalReferenceMatchesExactlyNotAsAPart() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1", name: "Ann", externalRef: "EXT-77")
            try f.insertDebtor("dbt_2", name: "Bob", externalRef: "EXT-778")
            try f.insertDebtor("dbt_3", name: "Cy", externalRef: "4711")
            #expect(try search(f, "EXT-77") == ["dbt_1"])
            // All digits: an external reference or a phone number, never a part of a name.
            #expect(try search(f, "4711") == ["dbt_3"])
            #expect(try search(f, "471") == [])
        }
    }

    @Test func phonesAndEmailsAreFoundThroughTheContactIndex() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1", name: "Ann", phones: ["+447700900001", "+447700900002"], emails: ["Ann.Lee@Example.com"])
            try f.insertDebtor("dbt_2", name: "Bob", phones: ["+447700900002"], emails: ["bob@example.com"])
            try f.insertDebtor("dbt_3", name: "447700900001")
            #expect(try search(f, "+447700900001") == ["dbt_1"])
            // Digits without the plus are the same number, and also part of a name.
            #expect(try search(f, "447700900001") == ["dbt_1", "dbt_3"])
            #expect(try search(f, "+447700900002") == ["dbt_1", "dbt_2"])
            #expect(try search(f, "+4477009000") == [])
            // E-mail addresses are folded on both sides, and matched whole.
            #expect(try search(f, "ann.lee@example.com") == ["dbt_1"])
            #expect(try search(f, "ANN.LEE@EXAMPLE.COM") == ["dbt_1"])
            #expect(try search(f, "@example.com") == [])
            #expect(try f.count("SELECT count(*) FROM debtor_contact") == 5)
        }
    }

    @Test func contactsAreFoundInEveryGenerationAndReplacedAcrossThem() throws {
        try F.with { f in
            let first = try f.insertDebtor("dbt_1", name: "Ann", phones: ["+447700900001"], emails: ["ann@example.com"])
            // A debtor row far along the rowids moves new contacts into a later generation.
            try f.pool.write { db in
                _ = try db.run("""
                    INSERT INTO debtor (rowid, id, name, timezone, version, created_at, updated_at)
                    VALUES (40000, 'dbt_far', 'Far', 'UTC', 1, 0, 0)
                    """)
            }
            try f.insertDebtor("dbt_2", name: "Bob", phones: ["+447700900001"], emails: ["bob@example.com"])
            let generations = try f.pool.read { db in
                try db.query("SELECT debtor_id, generation FROM debtor_contact ORDER BY debtor_id, value") { "\($0.string(0)):\($0.int(1))" }
            }
            #expect(generations == ["dbt_1:0", "dbt_1:0", "dbt_2:2", "dbt_2:2"])
            #expect(try search(f, "+447700900001") == ["dbt_1", "dbt_2"])
            #expect(try search(f, "bob@example.com") == ["dbt_2"])

            // Changing the first debtor's number removes the old one from generation 0 and writes
            // the new one in the newest generation; the unchanged address stays where it is.
            var changed = first
            changed.phones = [Phone(number: "+447700900007", type: .home, consentCalls: true, consentSMS: true)]
            changed.version = 2
            changed.updatedAt = F.at(1_000)
            try f.debtors.update(changed, expectedVersion: 1, audit: [AuditRecord(action: .debtorUpdated, entity: "debtor", entityID: "dbt_1")],
                                 eventsOnEveryCase: [], actor: F.actor)
            #expect(try search(f, "+447700900001") == ["dbt_2"])
            #expect(try search(f, "+447700900007") == ["dbt_1"])
            #expect(try search(f, "ann@example.com") == ["dbt_1"])
            let after = try f.pool.read { db in
                try db.query("SELECT value, generation FROM debtor_contact WHERE debtor_id = 'dbt_1' ORDER BY value") {
                    "\($0.string(0)):\($0.int(1))"
                }
            }
            #expect(after == ["+447700900007:2", "ann@example.com:0"])
        }
    }

    @Test func updateReplacesTheContactIndexAndChecksTheVersion() throws {
        try F.with { f in
            let original = try f.insertDebtor("dbt_1", name: "Ann", phones: ["+447700900001"], emails: ["ann@example.com"])
            try f.insertCase(F.makeCase("case_1", debtor: "dbt_1"))
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_1"))
            var changed = original
            changed.phones = [Phone(number: "+447700900009", type: .home, consentCalls: false, consentSMS: true)]
            changed.emails = []
            changed.restrictions.ceaseCommunication = true
            changed.version = 2
            changed.updatedAt = F.at(5_000)
            let event = TimelineEvent(at: F.at(5_000), kind: .restrictionChanged, actor: "usr_admin", summary: "cease", ref: nil as String?)
            try f.debtors.update(changed, expectedVersion: 1, audit: [AuditRecord(action: .debtorUpdated, entity: "debtor", entityID: changed.id)],
                                 eventsOnEveryCase: [event], actor: F.actor)
            #expect(try f.debtors.debtor(id: "dbt_1") == changed)
            #expect(try search(f, "+447700900001") == [])
            #expect(try search(f, "ann@example.com") == [])
            #expect(try search(f, "+447700900009") == ["dbt_1"])
            #expect(try f.count("SELECT count(*) FROM case_event WHERE kind = 'restriction_changed'") == 2)
            #expect(try f.cases.restrictions(ofDebtor: "dbt_1")?.ceaseCommunication == true)

            // A writer that read version 1 is refused and changes nothing.
            var stale = original
            stale.name = "Stale"
            stale.version = 2
            let auditBefore = try f.count("SELECT count(*) FROM audit_log")
            #expect(throws: DomainError.preconditionFailed("debtor dbt_1 was changed meanwhile")) {
                try f.debtors.update(stale, expectedVersion: 1, audit: [AuditRecord(action: .debtorUpdated, entity: "debtor", entityID: stale.id)],
                                     eventsOnEveryCase: [event], actor: F.actor)
            }
            #expect(try f.debtors.debtor(id: "dbt_1") == changed)
            #expect(try f.count("SELECT count(*) FROM audit_log") == auditBefore)
            #expect(try f.count("SELECT count(*) FROM case_event") == 2)
            #expect(throws: DomainError.preconditionFailed("debtor dbt_404 was changed meanwhile")) {
                try f.debtors.update(F.makeDebtor("dbt_404"), expectedVersion: 1, audit: [], eventsOnEveryCase: [], actor: F.actor)
            }
        }
    }

    @Test func aTakenExternalReferenceIsAConflict() throws {
        try F.with { f in
            try f.insertDebtor("dbt_1", externalRef: "EXT-1")
            let other = try f.insertDebtor("dbt_2", externalRef: "EXT-2")
            #expect(throws: DomainError.conflict("a debtor with external_ref EXT-1 already exists")) {
                try f.insertDebtor("dbt_3", externalRef: "EXT-1")
            }
            #expect(try f.debtors.debtor(id: "dbt_3") == nil)
            var renamed = other
            renamed.externalRef = "EXT-1"
            renamed.version = 2
            #expect(throws: DomainError.conflict("a debtor with external_ref EXT-1 already exists")) {
                try f.debtors.update(renamed, expectedVersion: 1, audit: [], eventsOnEveryCase: [], actor: F.actor)
            }
            #expect(try f.debtors.debtor(id: "dbt_2")?.externalRef == "EXT-2")
            // Debtors without a reference do not collide.
            try f.insertDebtor("dbt_4")
            try f.insertDebtor("dbt_5")
        }
    }

    @Test func segmentAndScopeFiltersGoThroughTheDebtorsCases() throws {
        try F.with { f in
            for id in ["dbt_1", "dbt_2", "dbt_3"] { try f.insertDebtor(DebtorID(id)) }
            try f.insertCase(F.makeCase("case_1", debtor: "dbt_1", segment: .resistant, assignedTo: "usr_x"))
            try f.insertCase(F.makeCase("case_2", debtor: "dbt_2", segment: .high_risk, team: "north"))
            try f.insertCase(F.makeCase("case_3", debtor: "dbt_2", segment: .resistant))
            #expect(try search(f, nil, segment: "resistant") == ["dbt_1", "dbt_2"])
            #expect(try search(f, nil, segment: "high_risk") == ["dbt_2"])
            #expect(try search(f, nil, segment: "wait_and_see") == [])
            #expect(try search(f, nil, scope: .own(userID: "usr_x", team: nil)) == ["dbt_1"])
            #expect(try search(f, nil, scope: .own(userID: "usr_y", team: "north")) == ["dbt_2"])
            #expect(try f.debtors.debtorIsVisible("dbt_3", scope: .all))
            #expect(try !f.debtors.debtorIsVisible("dbt_3", scope: .own(userID: "usr_x", team: "north")))
            #expect(try f.debtors.debtorIsVisible("dbt_2", scope: .own(userID: "usr_x", team: "north")))
        }
    }

    @Test func pagesWalkEveryDebtorOnceInIdOrder() throws {
        try F.with { f in
            var expected: [String] = []
            for n in 0..<53 {
                let id = "dbt_" + String(n).leftPadded(to: 3)
                try f.insertDebtor(DebtorID(id), name: n % 2 == 0 ? "Even \(n)" : "Odd \(n)")
                if n % 2 == 0 { expected.append(id) }
            }
            let pages = try walkPages(limit: 10) {
                try f.debtors.debtors(DebtorFilter(query: "even"), scope: .all, page: $0)
            }
            #expect(pages.map(\.count) == [10, 10, 7])
            #expect(pages.flatMap { $0.map(\.id.rawValue) } == expected)
        }
    }
}

/// The phones and e-mails columns read back exactly as written, by the quick scan of the shape
/// `ContactJSON` writes and, for anything else, by the general parser.
@Suite struct StoredContactColumnTests {
    @Test func whatTheWriterWritesIsScannedBackExactly() throws {
        let phones = [Phone(number: "+447700900001", type: .mobile, consentCalls: true, consentSMS: false),
                      Phone(number: "+12025550123", type: .landline, consentCalls: false, consentSMS: true)]
        let emails = [Email(address: "ann@example.com", optedOut: false), Email(address: "zoë@exämple.de", optedOut: true)]
        let phonesText = DebtorRows.encodePhones(phones), emailsText = DebtorRows.encodeEmails(emails)
        #expect(StoredContactScanner.phones(phonesText) == phones)
        #expect(StoredContactScanner.emails(emailsText) == emails)
        #expect(StoredContactScanner.phones("[]") == [] && StoredContactScanner.emails("[]") == [])
        #expect(try DebtorRows.decodePhones(phonesText) == phones && DebtorRows.decodeEmails(emailsText) == emails)
    }

    @Test(arguments: [
        #"[{"number":"+447700900001","type":"mobile","consent":{"sms":true,"calls":false}}]"#,  // another key order
        #"[ {"number":"+447700900001","type":"mobile","consent":{"calls":false,"sms":true}}]"#,  // a space
        #"[{"number":"+4477009\u00300001","type":"mobile","consent":{"calls":false,"sms":true}}]"#,  // an escape
    ])
    func anyOtherShapeIsLeftToTheGeneralParser(_ text: String) throws {
        #expect(StoredContactScanner.phones(text) == nil)
        // (`\u0030` is "0": the same number.)
        #expect(try DebtorRows.decodePhones(text) == [Phone(number: "+447700900001", type: .mobile, consentCalls: false, consentSMS: true)])
    }

    @Test(arguments: ["", "[", "[{}]", #"[{"address":"a@b.c","opted_out":true}"#, #"[{"address":"a@b.c","opted_out":true}] "#,
                      #"[{"address":"a@b.c","opted_out":true},]"#, #"[{"address":"a@b.c","opted_out":1}]"#,
                      "[{\"address\":\"a\u{9}b@c.d\",\"opted_out\":true}]"])
    func brokenTextIsNeverScanned(_ text: String) {
        #expect(StoredContactScanner.emails(text) == nil)
    }
}
