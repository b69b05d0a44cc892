import ParleyCore
import ParleyTestSupport
import Testing

let wangFang = #"""
{"external_ref":"C-1001","name":"王芳","timezone":"Asia/Shanghai","language":"zh-CN",
 "phones":[{"number":"+8613800138000","type":"mobile","consent":{"calls":true,"sms":true}}],
 "emails":[{"address":"wf@example.com","opted_out":false}],
 "address":{"line1":"1 Road","city":"Beijing","region":"BJ","postal_code":"100000","country":"CN"},
 "national_id":"110101199003071234"}
"""#

@Suite struct DebtorsAPITests {
    /// A national id of four characters or fewer is masked whole: its last four would be all of it.
    /// Contract §4: `timezone` is any valid IANA name, those without a region too; an offset name
    /// the tz database does not hold is 422 naming the field.
    @Test func everyIANAZoneNameIsATimezone() throws {
        try withTestApp { app in
            for zone in ["GMT", "EST5EDT", "Japan", "Etc/GMT+5", "US/Eastern"] {
                #expect(try app.admin.post("/v1/debtors", #"{"name":"Zed","timezone":"\#(zone)"}"#).status == 201, "\(zone)")
            }
            for zone in ["GMT+5", "UTC+02:00", "Mars/Olympus"] {
                let refused = try app.admin.post("/v1/debtors", #"{"name":"Zed","timezone":"\#(zone)"}"#)
                #expect(refused.status == 422, "\(zone)")
                #expect(refused["errors"]?.compact.contains("\"timezone\"") == true)
            }
        }
    }

    /// RFC 9110 §13.1.2: a read naming the current `ETag` in `If-None-Match` is 304 with no content.
    @Test func aReadOfAnUnchangedDebtorIs304() throws {
        try withTestApp { app in
            let created = try app.admin.post("/v1/debtors", #"{"name":"Ann","timezone":"Europe/London"}"#)
            let id = try #require(created["id"]?.string)
            let tag = try #require(created.headers["ETag"])
            for condition in [tag, "W/" + tag, "\"99\", " + tag, "*"] {
                let same = try app.admin.request("GET", "/v1/debtors/\(id)", headers: [("If-None-Match", condition)])
                #expect(same.status == 304, "\(condition)")
                #expect(same.body.isEmpty)
                #expect(same.headers["ETag"] == tag)
                #expect(same.headers["Content-Length"] == nil)
            }
            #expect(try app.admin.request("HEAD", "/v1/debtors/\(id)", headers: [("If-None-Match", tag)]).status == 304)
            let other = try app.admin.request("GET", "/v1/debtors/\(id)", headers: [("If-None-Match", "\"99\"")])
            #expect(other.status == 200)
            #expect(other["id"]?.string == id)
            // Only a 200 is turned into a 304; a missing debtor stays 404.
            #expect(try app.admin.request("GET", "/v1/debtors/dbt_nope", headers: [("If-None-Match", "*")]).status == 404)
            // After a change the old tag no longer matches.
            #expect(try app.admin.patch("/v1/debtors/\(id)", #"{"name":"Ann B"}"#).status == 200)
            #expect(try app.admin.request("GET", "/v1/debtors/\(id)", headers: [("If-None-Match", tag)]).status == 200)
            // A user's tag does not cover their keys, so a user is never answered 304.
            let me = try app.admin.get("/v1/users")
            let userID = try #require(items(me).first?["id"]?.string)
            let user = try app.admin.get("/v1/users/\(userID)")
            let userTag = try #require(user.headers["ETag"])
            #expect(try app.admin.request("GET", "/v1/users/\(userID)", headers: [("If-None-Match", userTag)]).status == 200)
        }
    }

    @Test func aShortNationalIDIsNeverShown() throws {
        try withTestApp { app in
            for value in ["123", "1234"] {
                let created = try app.admin.post("/v1/debtors", #"{"name":"Short","timezone":"UTC","national_id":"\#(value)"}"#)
                #expect(created.status == 201)
                #expect(created["national_id"]?.string == "****")
            }
            let five = try app.admin.post("/v1/debtors", #"{"name":"Five","timezone":"UTC","national_id":"12345"}"#)
            #expect(five["national_id"]?.string == "****2345")
        }
    }

    /// Stored values are trimmed (lengths are checked as sent), so a stray space cannot make a
    /// second debtor with the same reference, or a team an agent is not in.
    @Test func storedValuesAreTrimmed() throws {
        try withTestApp { app in
            let created = try app.admin.post("/v1/debtors", """
                {"name":"  Pat  ","timezone":"UTC","external_ref":"  R-trim  ","language":" en ","address":{"line1":"  l1  "},
                 "national_id":" 998877 "}
                """)
            #expect(created.status == 201)
            #expect(created["external_ref"]?.string == "R-trim")
            #expect(created["language"]?.string == "en")
            #expect(created["address"]?["line1"]?.string == "l1")
            #expect(created["national_id"]?.string == "****8877")
            #expect(try app.admin.post("/v1/debtors", #"{"name":"Pat","timezone":"UTC","external_ref":"R-trim"}"#).status == 409)
            let debtorID = try #require(created["id"]?.string)
            let placed = try app.admin.post("/v1/cases", """
                {"debtor_id":"\(debtorID)","creditor":"Acme","external_ref":"T-1","currency":"USD","principal_minor":100,
                 "delinquent_since":"2026-06-01","jurisdiction":"US","team":"  east ","tags":[" vip "]}
                """)
            #expect(placed["team"]?.string == "east")
            #expect(placed["tags"] == .array([.string("vip")]))
            let user = try app.admin.post("/v1/users", #"{"name":"Ann","role":"agent","team":" east "}"#)
            #expect(user["team"]?.string == "east")
        }
    }

    /// A PATCH that changes nothing writes nothing: same version, no audit entry.
    @Test func aPatchThatChangesNothingKeepsTheVersion() throws {
        try withTestApp { app in
            let created = try app.admin.post("/v1/debtors", wangFang)
            let id = try #require(created["id"]?.string)
            for body in ["{}", #"{"name":"王芳"}"#, #"{"restrictions":{"deceased":false}}"#] {
                let patched = try app.admin.patch("/v1/debtors/\(id)", body)
                #expect(patched.status == 200)
                #expect(patched["version"]?.int64 == 1, "\(body)")
                #expect(patched.headers["ETag"] == "\"1\"")
            }
            guard case .array(let entries)? = try app.admin.get("/v1/audit?entity_id=\(id)")["data"] else { Issue.record("no audit"); return }
            #expect(entries.count == 1)  // its creation only
            let renamed = try app.admin.patch("/v1/debtors/\(id)", #"{"name":"Wang Fang"}"#)
            #expect(renamed["version"]?.int64 == 2)
        }
    }

    @Test func createMasksTheNationalIDEverywhere() throws {
        try withTestApp { app in
            let created = try app.admin.post("/v1/debtors", wangFang)
            #expect(created.status == 201)
            #expect(created["national_id"]?.string == "****1234")
            #expect(!created.text.contains("110101199003071234"))
            let id = try #require(created["id"]?.string)
            #expect(id.hasPrefix("dbt_"))
            let fetched = try app.admin.get("/v1/debtors/\(id)")
            #expect(fetched["name"]?.string == "王芳")
            #expect(fetched["restrictions"]?["cease_communication"] == .bool(false))
            #expect(fetched["restrictions"]?["breathing_space_until"] == .null)
            for path in ["/v1/debtors?q=%E7%8E%8B", "/v1/debtors?q=C-1001", "/v1/debtors?q=%2B8613800138000", "/v1/debtors?q=WF@example.com"] {
                let list = try app.admin.get(path)
                guard case .array(let items)? = list["data"] else { Issue.record("no data for \(path)"); continue }
                #expect(items.count == 1, "\(path)")
                #expect(!list.text.contains("110101199003071234"))
            }
            let audit = try app.admin.get("/v1/audit?entity_id=\(id)")
            #expect(!audit.text.contains("110101199003071234"))
        }
    }

    @Test func validationNamesEveryBadField() throws {
        try withTestApp { app in
            let response = try app.admin.post("/v1/debtors", #"""
                {"name":"","timezone":"Mars/Olympus","phones":[{"number":"12345"}],"emails":[{"address":"nope"}],
                 "address":{"country":"China"}}
                """#)
            #expect(response.status == 422)
            guard case .array(let errors)? = response["errors"] else { Issue.record("no errors"); return }
            let fields = Set(errors.compactMap { $0["field"]?.string })
            #expect(fields == ["name", "timezone", "phones[0].number", "emails[0].address", "address.country"])
            #expect(try app.admin.post("/v1/debtors", #"{"timezone":"UTC"}"#).status == 422)
            #expect(try app.admin.post("/v1/debtors", #"{"name":"A","timezone":"UTC","phones":"x"}"#).status == 400)
            let controls = try app.admin.post("/v1/debtors", #"""
                {"name":"Wang\u001b[2J","timezone":"UTC","national_id":"12345\u0000","emails":[{"address":".a@b.com"}]}
                """#)
            #expect(controls.status == 422)
            guard case .array(let controlErrors)? = controls["errors"] else { Issue.record("no errors"); return }
            #expect(Set(controlErrors.compactMap { $0["field"]?.string }) == ["name", "national_id", "emails[0].address"])
        }
    }

    /// `q` finds an external_ref with `@` in it and digits inside a name; a `q` (or any query
    /// parameter) that is not valid percent-encoding is 422 naming it, not a list of everyone.
    @Test func searchReadsEveryKindOfQueryAndRefusesAMalformedOne() throws {
        try withTestApp { (app: TestApp) throws in
            let body = #"{"external_ref":"ref@partner","name":"Unit 2024 Holdings","timezone":"UTC"}"#
            #expect(try app.admin.post("/v1/debtors", body).status == 201)
            #expect(try app.admin.post("/v1/debtors", wangFang).status == 201)
            for query in ["ref%40partner", "2024", "%2B8613800138000", "8613800138000", "WF%40example.com"] {
                let found = try app.admin.get("/v1/debtors?q=" + query)
                #expect(found.status == 200)
                guard case .array(let items)? = found["data"] else { Issue.record("no data for \(query)"); continue }
                #expect(items.count == 1, "q=\(query)")
            }
            for path in ["/v1/debtors?q=%zz", "/v1/debtors?q=Unit%zz", "/v1/cases?cursor=%zz", "/v1/debtors?%zz=1",
                         "/v1/audit/verify?x=%zz", "/v1/compliance/policy?x=%zz"] {
                let refused = try app.admin.get(path)
                #expect(refused.status == 422, "\(path)")
                #expect(refused.text.contains(#""field":""#), "\(path)")
            }
            #expect(try app.admin.get("/v1/debtors?q=%zz").text.contains(#""field":"q""#))
        }
    }

    @Test func duplicateExternalRefIs409() throws {
        try withTestApp { (app: TestApp) throws in
            #expect(try app.admin.post("/v1/debtors", wangFang).status == 201)
            #expect(try app.admin.post("/v1/debtors", wangFang).status == 409)
        }
    }

    @Test func restrictionsNeedTheRightRoleAndEachChangeIsAudited() throws {
        try withTestApp { app in
            let id = try #require(try app.admin.post("/v1/debtors", wangFang)["id"]?.string)
            let compliance = try app.admin.createUser(role: "compliance").client
            let analyst = try app.admin.createUser(role: "analyst").client
            #expect(try analyst.patch("/v1/debtors/\(id)", #"{"restrictions":{"vulnerable":true}}"#).status == 403)
            #expect(try compliance.patch("/v1/debtors/\(id)", #"{"name":"Other"}"#).status == 403)
            let changed = try compliance.patch("/v1/debtors/\(id)",
                #"{"restrictions":{"cease_communication":true,"breathing_space_until":"2027-01-31"}}"#, headers: [("If-Match", "\"1\"")])
            #expect(changed.status == 200)
            #expect(changed["restrictions"]?["cease_communication"] == .bool(true))
            #expect(changed["restrictions"]?["breathing_space_until"]?.string == "2027-01-31")
            #expect(changed.headers["ETag"] == "\"2\"")
            let audit = try app.admin.get("/v1/audit?entity_id=\(id)")
            guard case .array(let entries)? = audit["data"] else { Issue.record("no audit"); return }
            let restrictionChanges = entries.filter { $0["action"]?.string == "debtor.restriction_changed" }
            #expect(restrictionChanges.compactMap { $0["detail"]?["restriction"]?.string } == ["cease_communication", "breathing_space_until"])
            // Restrictions given at creation are on record with it.
            let created = entries.first { $0["action"]?.string == "debtor.created" }
            #expect(created?["detail"]?["restrictions"]?["cease_communication"] == .bool(false))
            let bankrupt = try #require(try app.admin.post("/v1/debtors", #"{"name":"B","timezone":"UTC","restrictions":{"bankruptcy":true}}"#)["id"]?.string)
            let bankruptAudit = items(try app.admin.get("/v1/audit?entity_id=\(bankrupt)"))
            #expect(bankruptAudit.first?["detail"]?["restrictions"]?["bankruptcy"] == .bool(true))
            #expect(try compliance.patch("/v1/debtors/\(id)", #"{"restrictions":{"deceased":true}}"#, headers: [("If-Match", "\"1\"")]).status == 412)
        }
    }
}

@Suite struct LogPrivacyTests {
    @Test func logsCarryNoDebtorDataOrKeys() throws {
        let logs = CapturedLogs()
        try withTestApp(logger: logs.logger()) { app in
            let created = try app.admin.post("/v1/debtors", wangFang)
            #expect(created.status == 201)
            let id = try #require(created["id"]?.string)
            _ = try app.admin.get("/v1/debtors?q=%2B8613800138000")
            _ = try app.admin.patch("/v1/debtors/\(id)", #"{"name":"Bad","timezone":"Nowhere/Else"}"#)
        }
        let text = logs.text
        #expect(text.contains("request"))
        for secret in ["110101199003071234", "王芳", "+8613800138000", "wf@example.com", testAdminKey, "8613800138000"] {
            #expect(!text.contains(secret), "the logs contain \(secret)")
        }
    }
}
