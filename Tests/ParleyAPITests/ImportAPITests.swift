import ParleyCore
import ParleySQLite
import ParleyTestSupport
import Testing

let placementHeader = "creditor,external_ref,debtor_external_ref,debtor_name,phone,email,timezone,jurisdiction,currency,principal_minor,interest_minor,fees_minor,delinquent_since\r\n"

@Suite struct ImportAPITests {
    func post(_ app: TestApp, _ csv: String, dryRun: Bool = false) throws -> APIClient.Response {
        try app.admin.request("POST", "/v1/imports?dry_run=\(dryRun)", body: Array(csv.utf8), contentType: "text/csv")
    }

    /// A row cut short names each missing cell once, as "is required".
    @Test func aShortRowNamesEachMissingCellOnce() throws {
        try withTestApp { app in
            let response = try post(app, placementHeader + "E Bank,E-2,EE-2,Eve\r\n")
            guard case .array(let rejected)? = response["rejected"], let errors = rejected.first?["errors"] else {
                Issue.record("no rejected row"); return
            }
            #expect(errors.compact == """
                [{"field":"principal_minor","message":"is required"},{"field":"timezone","message":"is required"},\
                {"field":"jurisdiction","message":"is required"},{"field":"currency","message":"is required"},\
                {"field":"delinquent_since","message":"is required"}]
                """)
        }
    }

    /// A row with more fields than the header is refused whole, and a header naming a column twice
    /// is refused before any row is read.
    @Test func aLongRowAndATwiceNamedColumnAreRefused() throws {
        try withTestApp { app in
            let row = "L Bank,L-1,LL-1,Lee,,,UTC,US,USD,100,0,0,2026-01-01"
            let response = try post(app, placementHeader + row + ",extra\r\n" + row.replacingOccurrences(of: "L-1", with: "L-2") + "\r\n")
            #expect(response["created_cases"]?.int64 == 1)
            guard case .array(let rejected)? = response["rejected"] else { Issue.record("no rejected rows"); return }
            #expect(rejected.first?["line"]?.int64 == 2)
            #expect(rejected.first?["errors"]?.compact == #"[{"field":"row","message":"has 14 fields; the header has 13"}]"#)
            let twice = try post(app, "creditor," + placementHeader + "C Bank," + row + "\r\n")
            #expect(twice.status == 422)
            #expect(twice["errors"]?.compact == #"[{"field":"header.creditor","message":"the column appears more than once"}]"#)
        }
    }

    /// Names and references with control characters are refused as they are by hand; a name or a
    /// creditor may still span lines (a quoted CSV cell).
    @Test func controlCharactersInNamesAndReferencesAreRefused() throws {
        try withTestApp { app in
            let response = try post(app, placementHeader
                + "Acme,L-1,D-1,\"Wang\u{1B}[2J\",,,UTC,US,USD,100,0,0,2026-01-01\r\n"
                + "Acme,L-2\u{0},D-2\u{9B},Li,,,UTC,US,USD,100,0,0,2026-01-01\r\n"
                + "\"Acme\r\nBank\",L-3,D-3,\"Zhang\nWei\",,,UTC,US,USD,100,0,0,2026-01-01\r\n")
            #expect(response["created_cases"]?.int64 == 1)
            guard case .array(let rejected)? = response["rejected"] else { Issue.record("no rejected"); return }
            let fields = rejected.map { row -> Set<String> in
                guard case .array(let errors)? = row["errors"] else { return [] }
                return Set(errors.compactMap { $0["field"]?.string })
            }
            #expect(rejected.compactMap { $0["line"]?.int64 } == [2, 3])
            #expect(fields == [["debtor_name"], ["external_ref", "debtor_external_ref"]])
        }
    }

    @Test func validRowsCommitInvalidRowsAreReportedByLine() throws {
        try withTestApp { app in
            let csv = placementHeader
                + "\"Acme Bank, N.A.\",L-1,D-1,\"O'Brien, Pat\",+12125550100,pat@example.com,America/New_York,US,USD,100000,500,2500,2026-01-15\r\n"
                + "Acme,L-2,D-1,Pat,,,America/New_York,US,USD,5000,0,0,2026-02-01\r\n"
                + "Acme,L-3,D-2,Bad Zone,,,Mars/Base,US,USD,5000,0,0,2026-02-01\r\n"
                + "Acme,L-4,D-3,Negative,,,UTC,US,USD,-5,0,0,2026-02-01\r\n"
                + "\"Multi\nline creditor\",L-5,D-4,Wang,+8613800138000,,Asia/Shanghai,CN,CNY,300000,0,0,2025-12-31\r\n"
                + "Acme,L-6,D-5,Bad,notaphone,x@,UTC,USA,US$,1.5,0,0,2026-13-01\r\n"
                + "Acme,L-7,D-6,\"Unterminated,UTC,US,USD,1,0,0,2026-01-01\r\n"
            let response = try post(app, csv)
            #expect(response.status == 200)
            #expect(response["rows"]?.int64 == 7)
            #expect(response["created_cases"]?.int64 == 3)
            #expect(response["created_debtors"]?.int64 == 2)
            guard case .array(let rejected)? = response["rejected"] else { Issue.record("no rejected"); return }
            #expect(rejected.compactMap { $0["line"]?.int64 } == [4, 5, 8, 9])
            let line8 = rejected.first { $0["line"]?.int64 == 8 }
            guard case .array(let errors)? = line8?["errors"] else { Issue.record("no errors"); return }
            let fields = Set(errors.compactMap { $0["field"]?.string })
            let expected: Set<String> = ["phone", "email", "jurisdiction", "currency", "principal_minor", "delinquent_since"]
            #expect(expected.isSubset(of: fields))
            #expect(fields.count == errors.count)  // one problem per field
            // Nothing of a rejected row is stored.
            let search = try app.admin.get("/v1/debtors?q=D-2")
            #expect(search.text.contains("\"data\":[]"))
        }
    }

    @Test func aRepeatedFileCreatesNothingAndDryRunCountsTheSame() throws {
        try withTestApp { app in
            let csv = placementHeader + (1...50).map { "Acme,L-\($0),D-\($0 % 7),Name \($0),,,UTC,US,USD,\($0 * 100),0,0,2026-01-01\r\n" }.joined()
            let dry = try post(app, csv, dryRun: true)
            #expect(dry["created_cases"]?.int64 == 50)
            #expect(dry["created_debtors"]?.int64 == 7)
            #expect(dry["dry_run"] == .bool(true))
            #expect(try app.admin.get("/v1/cases?limit=1").text.contains("\"data\":[]"))
            let first = try post(app, csv)
            #expect(first["created_cases"]?.int64 == 50)
            #expect(first["created_debtors"]?.int64 == 7)
            let again = try post(app, csv)
            #expect(again["created_cases"]?.int64 == 0)
            #expect(again["created_debtors"]?.int64 == 0)
            #expect(again["unchanged"]?.int64 == 50)
            #expect(try app.admin.get("/v1/audit/verify")["ok"] == .bool(true))
        }
    }

    /// `Idempotency-Key` on an import: the repeat replays the first answer byte for byte (the
    /// same import id, not a second run's "unchanged"); another file under the key is 422; a dry
    /// run and the real import of one file are two requests.
    @Test func anImportWithAnIdempotencyKeyIsAnsweredOnce() throws {
        try withTestApp { app in
            let csv = placementHeader + "Acme,L-1,D-1,Name 1,,,UTC,US,USD,100,0,0,2026-01-01\r\n"
            func send(_ body: String, dryRun: Bool = false) throws -> APIClient.Response {
                try app.admin.request("POST", "/v1/imports?dry_run=\(dryRun)", body: Array(body.utf8), contentType: "text/csv",
                                      headers: [("Idempotency-Key", "placement-2026-12-01")])
            }
            let dry = try send(csv, dryRun: true)
            #expect(dry["dry_run"] == .bool(true))
            let first = try send(csv)
            #expect(first.status == 200)
            #expect(first["dry_run"] == .bool(false))
            #expect(first["created_cases"]?.int64 == 1)
            #expect(first.headers["Idempotent-Replayed"] == nil)
            let repeated = try send(csv)
            #expect(repeated.status == 200)
            #expect(repeated.body == first.body)
            #expect(repeated.headers["Idempotent-Replayed"] == "true")
            let other = try send(csv + "Acme,L-2,D-2,Name 2,,,UTC,US,USD,100,0,0,2026-01-01\r\n")
            #expect(other.status == 422)
            #expect(try app.admin.get("/v1/cases?limit=10").text.components(separatedBy: "\"external_ref\"").count - 1 == 1)
            // Without a key, a repeat runs again and changes nothing.
            let unkeyed = try post(app, csv)
            #expect(unkeyed["unchanged"]?.int64 == 1)
        }
    }

    @Test func wrongTypeMissingColumnsAndRoles() throws {
        try withTestApp { app in
            #expect(try app.admin.request("POST", "/v1/imports", body: Array(placementHeader.utf8), contentType: "application/json").status == 415)
            let missing = try app.admin.request("POST", "/v1/imports", body: Array("creditor,external_ref\r\nA,B\r\n".utf8), contentType: "text/csv")
            #expect(missing.status == 422)
            #expect(missing.text.contains("header.timezone"))
            let analyst = try app.admin.createUser(role: "analyst").client
            #expect(try analyst.request("POST", "/v1/imports", body: Array(placementHeader.utf8), contentType: "text/csv").status == 403)
        }
    }

    @Test func importBodyLimitIsTenMebibytes() throws {
        try withTestApp(configure: { $0.maxImportBytes = 64 * 1024 }) { (app: TestApp) throws in
            let big = placementHeader + String(repeating: "x", count: 70 * 1024)
            #expect(try post(app, big).status == 413)
        }
    }

    @Test func exportRoundTripsThroughImport() throws {
        let logs = CapturedLogs()
        try withTestApp(logger: logs.logger()) { app in
            let csv = placementHeader
                + "\"Northwind \"\"Premier\"\" Card\",L-1,D-1,\"García-López, Ana\",+12125550100,ana@example.com,America/Chicago,US,USD,100000,500,2500,2026-01-15\r\n"
                + "\"宁波银行, 消费金融部\",L-2,D-2,欧阳娜,+8613800138000,,Asia/Shanghai,CN,CNY,300000,0,0,2025-12-31\r\n"
            #expect(try post(app, csv)["created_cases"]?.int64 == 2)
            let export = try app.admin.get("/v1/cases/export")
            #expect(export.status == 200)
            #expect(export.headers["Transfer-Encoding"] == "chunked")
            let lines = export.text.split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(lines.count == 3)
            #expect(lines[0].hasSuffix("status,balance_minor,segment"))
            #expect(lines[1].hasPrefix("\"Northwind \"\"Premier\"\" Card\",L-1,D-1,\"García-López, Ana\""))
            #expect(lines[1].hasSuffix(",open,103000,high_risk") || lines[1].hasSuffix(",open,103000,wait_and_see"))
            // The streamed answer is logged once written, with its size.
            let logged = waitUntil {
                logs.text.split(separator: "\n").contains {
                    $0.contains("http.route=/v1/cases/export") && $0.contains("http.response_bytes=\(export.body.count)")
                }
            }
            #expect(logged, "\(logs.text.split(separator: "\n").filter { $0.contains("export") })")
            // Re-importing the export (extra columns are ignored) changes nothing.
            let again = try post(app, export.text)
            #expect(again["unchanged"]?.int64 == 2)
            #expect(again["rejected"] == .array([]))
            let analyst = try app.admin.createUser(role: "analyst").client
            #expect(try analyst.get("/v1/cases/export").status == 200)
            let agent = try app.admin.createUser(role: "agent").client
            #expect(try agent.get("/v1/cases/export").status == 403)
        }
    }

    /// An import writes its debtors' contacts into the newest generation of the contact index,
    /// and search finds them there.
    @Test func importedContactsAreFoundInALaterGeneration() throws {
        try withTestApp { app in
            let pool = try DatabasePool(configuration: DatabaseConfiguration(path: app.directory + "/parley.db"))
            try pool.write { db in
                _ = try db.run("""
                    INSERT INTO debtor (rowid, id, name, timezone, version, created_at, updated_at)
                    VALUES (40000, 'dbt_far', 'Far', 'UTC', 1, 0, 0)
                    """)
            }
            let csv = placementHeader + "Acme,L-1,D-1,Pat,+12125550100,Pat@Example.com,America/New_York,US,USD,100000,0,0,2026-01-15\r\n"
            #expect(try post(app, csv)["created_debtors"]?.int64 == 1)
            let generations = try pool.read { db in try db.query("SELECT DISTINCT generation FROM debtor_contact") { $0.int(0) } }
            #expect(generations == [2])
            for query in ["%2B12125550100", "pat@example.com"] {
                #expect(try app.admin.get("/v1/debtors?q=" + query).text.contains(#""external_ref":"D-1""#), "q=\(query)")
            }
        }
    }

    /// A case imported for a known debtor in bankruptcy starts high risk, like one created by hand.
    @Test func aNewCaseOfADebtorInBankruptcyStartsHighRisk() throws {
        try withTestApp { app in
            #expect(try post(app, placementHeader + "Acme,L-1,D-1,Ann,,,UTC,US,USD,100,0,0,2026-01-01\r\n")["created_cases"]?.int64 == 1)
            let found = try app.admin.get("/v1/debtors?q=D-1")
            guard case .array(let debtors)? = found["data"], let debtorID = debtors.first?["id"]?.string else {
                Issue.record("the debtor is not found"); return
            }
            #expect(try app.admin.patch("/v1/debtors/\(debtorID)", #"{"restrictions":{"bankruptcy":true}}"#).status == 200)
            #expect(try post(app, placementHeader + "Acme,L-2,D-1,Ann,,,UTC,US,USD,100,0,0,2026-01-01\r\n")["created_debtors"]?.int64 == 0)
            let cases = try app.admin.get("/v1/cases?segment=high_risk")
            guard case .array(let risky)? = cases["data"] else { Issue.record("no list"); return }
            #expect(Set(risky.compactMap { $0["external_ref"]?.string }) == ["L-1", "L-2"])
        }
    }
}

@Suite struct ImportDuplicatesTests {
    @Test func aCaseRepeatedInsideOneFileIsCreatedOnce() throws {
        try withTestApp { app in
            let csv = placementHeader
                + "Acme,L-1,D-1,Ann,,,UTC,US,USD,100,0,0,2026-01-01\r\n"
                + "Acme,L-1,D-1,Ann,,,UTC,US,USD,100,0,0,2026-01-01\r\n"
                + "Acme,L-2,D-1,Ann,,,UTC,US,USD,200,0,0,2026-01-01\r\n"
            let response = try app.admin.request("POST", "/v1/imports", body: Array(csv.utf8), contentType: "text/csv")
            #expect(response["created_cases"]?.int64 == 2)
            #expect(response["created_debtors"]?.int64 == 1)
            #expect(response["unchanged"]?.int64 == 1)
        }
    }
}
