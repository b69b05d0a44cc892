import ParleyApp
import ParleyCore
import ParleySQLite
import ParleyTestSupport
import Testing

/// A JSON string literal for `text`.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// The debtor pages over real HTTP (contract §16): statuses, headers, escaping, revocation,
/// expiry, the feedback form's two front doors, the shared rate limit, and tokens kept out of logs.
@Suite struct DebtorPagesAPITests {
    static let now = "2026-11-20T02:00:00Z"  // 10:00 in Shanghai
    static let hostileName = "<script>alert('name')</script>"
    static let hostileCreditor = "\"><img src=x onerror=alert(1)>&Co"
    static let hostileRef = "</p><script>ref</script>"

    static func configure(_ configuration: inout AppConfiguration) {
        configuration.publicRateLimitPerMinute = 1_000
        configuration.publicURL = "https://pay.example.com"
        configuration.agency = AgencyContact(name: "<b>Acme Collections</b>", phone: "\"><script>phone</script>",
                                             email: "help@acme.example", address: "<iframe src=//evil.example></iframe>\nShanghai",
                                             hours: "' onmouseover='alert(1)")
    }

    /// A debtor (with a national id) and a case assigned to an agent; returns the case id.
    func makeDebtorCase(_ app: TestApp, language: String?, name: String = hostileName, creditor: String = hostileCreditor,
                        ref: String = hostileRef, currency: String = "CNY", assignedTo: String? = nil) throws -> String {
        let languageJSON = language.map(jsonString) ?? "null"
        let debtor = try app.admin.post("/v1/debtors", """
            {"name":\(jsonString(name)),"timezone":"Asia/Shanghai","language":\(languageJSON),"national_id":"110101199003077531"}
            """)
        let debtorID = try #require(debtor["id"]?.string, "\(debtor.text)")
        let created = try app.admin.post("/v1/cases", """
            {"debtor_id":"\(debtorID)","creditor":\(jsonString(creditor)),"external_ref":\(jsonString(ref)),"currency":"\(currency)",
             "principal_minor":1250000,"interest_minor":30000,"fees_minor":5000,"delinquent_since":"2026-06-01",
             "jurisdiction":"CN","assigned_to":\(assignedTo.map(jsonString) ?? "null")}
            """)
        return try #require(created["id"]?.string, "\(created.text)")
    }

    func issue(_ client: APIClient, _ caseID: String) throws -> (id: String, path: String) {
        let link = try client.post("/v1/cases/\(caseID)/portal-links", "")
        guard link.status == 201, let id = link["id"]?.string, let path = link["url"]?.string else {
            throw RawClient.Failure(description: "portal link: \(link.status) \(link.text)")
        }
        return (id, path)
    }

    func expectPageHeaders(_ response: APIClient.Response, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.headers["Content-Type"] == "text/html; charset=utf-8", comment, sourceLocation: sourceLocation)
        let policy = response.headers["Content-Security-Policy"] ?? ""
        #expect(policy.hasPrefix("default-src 'none'; style-src 'sha256-"), comment, sourceLocation: sourceLocation)
        #expect(!policy.contains("script-src") && !policy.contains("unsafe"), comment, sourceLocation: sourceLocation)
        #expect(response.headers["X-Content-Type-Options"] == "nosniff", comment, sourceLocation: sourceLocation)
        #expect(response.headers["Referrer-Policy"] == "no-referrer", comment, sourceLocation: sourceLocation)
        #expect(response.headers["Cache-Control"] == "no-store", comment, sourceLocation: sourceLocation)
        #expect(response.headers["X-Frame-Options"] == "DENY", comment, sourceLocation: sourceLocation)
        #expect(response.text.hasPrefix("<!doctype html>\n<html lang=\""), comment, sourceLocation: sourceLocation)
        #expect(!response.text.contains("<script") && !response.text.contains("<img") && !response.text.contains("<iframe"),
                comment, sourceLocation: sourceLocation)
        #expect(!response.text.contains("http://") && !response.text.contains("https://"), "no third-party resource", sourceLocation: sourceLocation)
    }

    @Test func theStatementPageShowsTheBreakdownScheduleAndPromisesAndNothingInternal() throws {
        let time = TestClock(Self.now)
        try withTestApp(configure: Self.configure, clock: time.clock) { app in
            let (agentID, agent) = try app.admin.createUser(name: "Agent Smith", role: "agent")
            let caseID = try makeDebtorCase(app, language: "zh-CN", assignedTo: agentID)
            _ = try app.admin.post("/v1/cases/\(caseID)/communications", """
                {"channel":"phone","direction":"outbound","outcome":"connected_rpc","occurred_at":"2026-11-20T01:00:00Z",
                 "summary":"Internal note: seems evasive"}
                """)
            #expect(try app.admin.post("/v1/cases/\(caseID)/promises", #"{"amount_minor":50000,"due_date":"2026-11-25"}"#).status == 201)
            let plan = try app.admin.post("/v1/cases/\(caseID)/plans", #"{"installment_count":3,"frequency":"monthly","first_due_date":"2026-12-31"}"#)
            #expect(plan.status == 201, "\(plan.text)")
            #expect(try app.admin.post("/v1/cases/\(caseID)/payments", #"{"amount_minor":428334,"currency":"CNY","method":"bank_transfer"}"#,
                                       headers: [("Idempotency-Key", "pay-1")]).status == 201)
            let (_, path) = try issue(agent, caseID)
            #expect(path.hasPrefix("/p/s/") && path.count >= "/p/s/".count + 22)  // ≥ 128 bits of base64url

            let page = try app.client(key: nil).get(path)
            #expect(page.status == 200)
            expectPageHeaders(page)
            let html = page.text
            #expect(html.contains("<html lang=\"zh-CN\">"))
            #expect(html.contains("<tr id=\"balance-principal\"><th scope=\"row\">本金</th><td class=\"num\">¥12,500.00</td></tr>"))
            #expect(html.contains("¥300.00") && html.contains("¥50.00"))
            #expect(html.contains("<tr id=\"balance-paid\"><th scope=\"row\">已还款</th><td class=\"num\">¥4,283.34</td></tr>"))
            #expect(html.contains("<td class=\"num\">¥8,566.66</td></tr></table>"))
            #expect(html.contains("<tr class=\"installment paid-row\" id=\"installment-1\"><td>1</td><td>2026年12月31日</td>"))
            #expect(html.contains("<tr class=\"installment next\" id=\"installment-2\"><td>2</td><td>2027年1月31日</td>"))
            #expect(html.contains("下一期"))
            #expect(html.contains("2026年11月25日前还款¥500.00"))
            #expect(html.contains("数据截至2026年11月20日 10:00"))
            #expect(html.contains("此链接有效期至2026年12月20日"))
            #expect(html.contains("致电&quot;&gt;&lt;script&gt;phone&lt;/script&gt;"))
            #expect(html.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"))
            #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;Co"))
            #expect(html.contains("&lt;/p&gt;&lt;script&gt;ref&lt;/script&gt;"))
            #expect(html.contains("<strong>&lt;b&gt;Acme Collections&lt;/b&gt;</strong>"))
            #expect(html.contains("&lt;iframe src=//evil.example&gt;&lt;/iframe&gt;\nShanghai"))
            #expect(html.contains("&#39; onmouseover=&#39;alert(1)"))
            #expect(html.contains("<a href=\"tel:\">"))  // nothing dialable in that phone setting
            for hidden in ["Agent Smith", agentID, "evasive", "7531", "high_willingness", "wait_and_see", "resistant", "high_risk", caseID] {
                #expect(!html.contains(hidden), "\(hidden)")
            }
            // The same figures as the JSON statement, whose dispute text names the agency's channels.
            let statement = try app.admin.get("/v1/cases/\(caseID)/statement")
            #expect(statement["balance"]?["balance_minor"]?.int64 == 856_666)
            #expect(statement["next_due_date"]?.string == "2027-01-31")
            #expect(statement["how_to_dispute"]?.string?.contains("e-mail help@acme.example") == true)
            // HEAD serves the same headers.
            let head = try app.client(key: nil).request("HEAD", path)
            #expect(head.status == 200 && head.headers["Cache-Control"] == "no-store")
        }
    }

    @Test func englishForOtherLanguagesDisputesAndTheEmptyStates() throws {
        let time = TestClock(Self.now)
        try withTestApp(configure: Self.configure, clock: time.clock) { app in
            let caseID = try makeDebtorCase(app, language: nil, name: "Pat Doe", creditor: "Acme Bank", ref: "L-1", currency: "USD")
            #expect(try app.admin.post("/v1/cases/\(caseID)/disputes", #"{"reason":"Not mine"}"#).status == 201)
            let (_, path) = try issue(app.admin, caseID)
            let page = try app.client(key: nil).get(path)
            #expect(page.status == 200)
            expectPageHeaders(page)
            #expect(page.text.contains("<html lang=\"en\">"))
            #expect(page.text.contains("Your account with Acme Bank, reference L-1."))
            #expect(page.text.contains("<td class=\"num\">$12,850.00</td>"))
            #expect(page.text.contains("There is no payment plan on this account."))
            #expect(page.text.contains("You have no open promises to pay."))
            #expect(page.text.contains("You disputed this debt on 20 Nov 2026."))
            #expect(!page.text.contains("Not mine"))
            #expect(page.text.contains("This page is for Pat Doe only."))
        }
    }

    @Test func unknownRevokedAndExpiredLinks() throws {
        let time = TestClock(Self.now)
        try withTestApp(configure: Self.configure, clock: time.clock) { app in
            let (agentID, agent) = try app.admin.createUser(role: "agent")
            let (_, otherAgent) = try app.admin.createUser(role: "agent", team: "other")
            let (_, analyst) = try app.admin.createUser(role: "analyst")
            let caseID = try makeDebtorCase(app, language: "zh-CN", assignedTo: agentID)
            let publicClient = app.client(key: nil)

            let unknown = try publicClient.get("/p/s/not-a-token", headers: [("Accept-Language", "zh-CN,zh;q=0.9")])
            #expect(unknown.status == 404)
            expectPageHeaders(unknown)
            #expect(unknown.text.contains("链接无效"))
            #expect(try publicClient.get("/p/s/" + String(repeating: "a", count: 500)).status == 404)

            #expect(try analyst.post("/v1/cases/\(caseID)/portal-links", "").status == 403)
            #expect(try otherAgent.post("/v1/cases/\(caseID)/portal-links", "").status == 404)
            #expect(try agent.post("/v1/cases/\(caseID)/portal-links", #"{"unexpected":true}"#).status == 201)
            let (linkID, path) = try issue(agent, caseID)
            #expect(try publicClient.get(path).status == 200)
            #expect(try publicClient.get(path).status == 200)  // usable many times
            #expect(try otherAgent.post("/v1/portal-links/\(linkID)/revoke", "").status == 404)
            #expect(try analyst.post("/v1/portal-links/\(linkID)/revoke", "").status == 403)
            let revoked = try agent.post("/v1/portal-links/\(linkID)/revoke", "")
            #expect(revoked.status == 200)
            #expect(revoked["revoked_at"]?.string == Self.now)
            #expect(try agent.post("/v1/portal-links/\(linkID)/revoke", "").status == 409)
            #expect(try agent.post("/v1/portal-links/pl_nope/revoke", "").status == 404)
            let gone = try publicClient.get(path)
            #expect(gone.status == 410)
            expectPageHeaders(gone)
            #expect(gone.text.contains("<html lang=\"zh-CN\">") && gone.text.contains("此链接已失效"))

            let (_, fresh) = try issue(agent, caseID)
            time.set("2026-12-19T23:59:59Z")
            #expect(try publicClient.get(fresh).status == 200)
            time.set("2026-12-20T02:00:00Z")  // 30 days later
            #expect(try publicClient.get(fresh).status == 410)

            let timeline = items(try app.admin.get("/v1/cases/\(caseID)/timeline?limit=200"))
            #expect(timeline.filter { $0["kind"]?.string == "portal_link" }.count == 4)
            let audit = items(try app.admin.get("/v1/audit?entity_id=\(linkID)"))
            #expect(audit.compactMap { $0["action"]?.string } == ["portal_link.issued", "portal_link.revoked"])
        }
    }

    /// Issuing takes `Idempotency-Key` like every POST that creates something: the repeat replays
    /// the same link and token, and only one link exists.
    @Test func aRepeatedIssueWithTheSameKeyAnswersTheSameLink() throws {
        try withTestApp(configure: Self.configure, clock: TestClock(Self.now).clock) { app in
            let caseID = try makeDebtorCase(app, language: "en")
            let first = try app.admin.post("/v1/cases/\(caseID)/portal-links", "", headers: [("Idempotency-Key", "link-1")])
            let again = try app.admin.post("/v1/cases/\(caseID)/portal-links", "", headers: [("Idempotency-Key", "link-1")])
            #expect(first.status == 201 && again.status == 201)
            #expect(again.text == first.text)
            #expect(again.headers["Idempotent-Replayed"] == "true")
            let path = try #require(first["url"]?.string)
            #expect(try app.client(key: nil).get(path).status == 200)
            let other = try app.admin.post("/v1/cases/\(caseID)/portal-links", "", headers: [("Idempotency-Key", "link-2")])
            #expect(other.status == 201 && other["url"]?.string != path)
            let timeline = items(try app.admin.get("/v1/cases/\(caseID)/timeline?limit=200"))
            #expect(timeline.filter { $0["kind"]?.string == "portal_link" }.count == 2)
            // The stored record reads as nothing without the key: neither the token nor the key is in it.
            let stored = try app.app.database.read { db in
                try db.query("SELECT id, request_hash, response FROM idempotency_sealed") { row in
                    row.string(0) + row.string(1) + String(decoding: row.blob(2), as: UTF8.self)
                }
            }.joined()
            let token = try #require(path.split(separator: "/").last.map(String.init))
            #expect(!stored.isEmpty && !stored.contains(token) && !stored.contains("link-1") && !stored.contains(caseID))
        }
    }

    func survey(_ app: TestApp, _ caseID: String) throws -> String {
        let created = try app.admin.post("/v1/cases/\(caseID)/surveys", "{}")
        return try #require(created["token"]?.string)
    }

    func postForm(_ client: APIClient, _ path: String, _ form: String, type: String = "application/x-www-form-urlencoded") throws
        -> APIClient.Response {
        try client.request("POST", path, body: Array(form.utf8), contentType: type)
    }

    @Test func theFeedbackFormRecordsOnceWithTheJSONEndpointsRules() throws {
        let time = TestClock(Self.now)
        try withTestApp(configure: Self.configure, clock: time.clock) { app in
            let caseID = try makeDebtorCase(app, language: "en-GB", name: "Pat Doe")
            let token = try survey(app, caseID)
            let path = "/p/f/" + token
            let publicClient = app.client(key: nil)

            let form = try publicClient.get(path)
            #expect(form.status == 200)
            expectPageHeaders(form)
            for field in ["scores.communication", "scores.attitude", "scores.resolution"] {
                for value in 1...5 { #expect(form.text.contains("<label><input type=\"radio\" name=\"\(field)\" value=\"\(value)\"> \(value)</label>")) }
            }
            #expect(form.text.contains("<label for=\"nps\">") && form.text.contains("<select id=\"nps\" name=\"nps\">"))
            #expect(form.text.contains("<label for=\"comment\">") && form.text.contains("<textarea id=\"comment\" name=\"comment\""))
            #expect(form.text.contains("<form method=\"post\""))

            // Bad values: the form again (422) with the message beside each field and the comment kept, escaped.
            let hostile = "</textarea><script>alert(1)</script> 谢谢 & more"
            let bad = try postForm(publicClient, path, "scores.communication=2&scores.attitude=9&nps=11&comment="
                                   + "%3C%2Ftextarea%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E+%E8%B0%A2%E8%B0%A2+%26+more")
            #expect(bad.status == 422)
            expectPageHeaders(bad)
            #expect(bad.text.contains("<p class=\"error\" id=\"error-attitude\">Please choose a rating from 1 to 5.</p>"))
            #expect(bad.text.contains("<p class=\"error\" id=\"error-resolution\">"))
            #expect(bad.text.contains("<p class=\"error\" id=\"error-nps\">"))
            #expect(!bad.text.contains("id=\"error-communication\"") && !bad.text.contains("id=\"error-comment\""))
            #expect(bad.text.contains("value=\"2\" checked> 2</label>"))
            #expect(bad.text.contains(">\n" + HTMLText.escape(hostile) + "</textarea>"))
            let long = try postForm(publicClient, path, "scores.communication=5&scores.attitude=5&scores.resolution=5&comment="
                                    + String(repeating: "x", count: 2_001))
            #expect(long.status == 422 && long.text.contains("id=\"error-comment\""))

            // Malformed bodies and types are 400 and 415 pages; a field sent twice is malformed.
            let malformed = try postForm(publicClient, path, "scores.communication=%ZZ")
            #expect(malformed.status == 400)
            expectPageHeaders(malformed)
            #expect(try postForm(publicClient, path, "comment=%E4%BD").status == 400)
            #expect(try postForm(publicClient, path, "scores.communication=5&scores.communication=1").status == 400)
            let json = try postForm(publicClient, path, #"{"scores":{}}"#, type: "application/json")
            #expect(json.status == 415)
            expectPageHeaders(json)

            // A poor answer: thank-you page (200), feedback and its follow-up through the API.
            let saved = try postForm(publicClient, path,
                                     "scores.communication=2&scores.attitude=4&scores.resolution=3&nps=&comment=Too+many+calls")
            #expect(saved.status == 200)
            expectPageHeaders(saved)
            #expect(saved.text.contains("We have received your feedback.") && saved.text.contains("id=\"follow-up\""))
            let feedback = items(try app.admin.get("/v1/feedback?case_id=\(caseID)"))
            #expect(feedback.count == 1)
            #expect(feedback.first?["scores"]?["communication"]?.int64 == 2)
            #expect(feedback.first?["nps"] == .null)
            #expect(feedback.first?["comment"]?.string == "Too many calls")
            #expect(items(try app.admin.get("/v1/followups?status=open")).count == 1)

            // Single use: the page and the JSON endpoint both refuse the used token.
            let used = try publicClient.get(path)
            #expect(used.status == 410)
            expectPageHeaders(used)
            #expect(used.text.contains("Thank you, we have your answer"))
            // A reload of the thank-you page posts the answer again: the same page, not "closed".
            let again = try postForm(publicClient, path, "scores.communication=5&scores.attitude=5&scores.resolution=5")
            #expect(again.status == 410)
            #expect(again.text.contains("Thank you, we have your answer"))
            #expect(try publicClient.post("/v1/public/feedback",
                                          #"{"token":"\#(token)","scores":{"communication":5,"attitude":5,"resolution":5}}"#).status == 410)
            #expect(try publicClient.get("/p/f/unknown").status == 404)

            // Expired surveys are 410 too; a good answer opens no follow-up.
            let late = try survey(app, caseID)
            let good = try survey(app, caseID)
            #expect(try postForm(publicClient, "/p/f/" + good, "scores.communication=5&scores.attitude=5&scores.resolution=4&nps=9").status == 200)
            #expect(items(try app.admin.get("/v1/followups?status=open")).count == 1)
            time.set("2026-12-05T00:00:00Z")
            let expired = try publicClient.get("/p/f/" + late)
            #expect(expired.status == 410)
            #expect(expired.text.contains("This survey is closed"))
        }
    }

    @Test func pagesShareThePublicRateLimitAndAnswerItWithAPage() throws {
        try withTestApp(configure: { $0.publicRateLimitPerMinute = 3 }) { app in
            let publicClient = app.client(key: nil)
            #expect(try publicClient.post("/v1/public/feedback", #"{"token":"x","scores":{"communication":5,"attitude":5,"resolution":5}}"#).status == 404)
            #expect(try publicClient.get("/p/s/x").status == 404)
            #expect(try publicClient.get("/p/f/x").status == 404)
            let limited = try publicClient.get("/p/s/x")
            #expect(limited.status == 429)
            expectPageHeaders(limited)
            #expect(limited.headers["Retry-After"] != nil)
            #expect(try publicClient.post("/v1/public/feedback", #"{"token":"x","scores":{"communication":5,"attitude":5,"resolution":5}}"#).status == 429)
        }
    }

    @Test func aMessageWithThePortalPlaceholderCarriesAFreshLink() throws {
        let time = TestClock("2026-11-20T15:00:00Z")  // 10:00 in New York
        try withTestApp(configure: Self.configure, clock: time.clock) { app in
            let caseID = try makeUSCase(app.admin)
            let queued = try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"sms","body":"Your statement: {{portal.url}}"}"#)
            #expect(queued.status == 202, "\(queued.text)")
            let body = try #require(queued["body"]?.string)
            #expect(body.hasPrefix("Your statement: https://pay.example.com/p/s/"))
            let path = String(body.dropFirst("Your statement: https://pay.example.com".count))
            let page = try app.client(key: nil).get(path)
            #expect(page.status == 200)
            #expect(page.text.contains("$1,000.00"))
            let timeline = items(try app.admin.get("/v1/cases/\(caseID)/timeline?limit=200"))
            let linkID = try #require(timeline.first { $0["kind"]?.string == "portal_link" }?["ref"]?.string)
            let audit = items(try app.admin.get("/v1/audit?entity_id=\(linkID)"))
            #expect(audit.first?["detail"]?["message_id"]?.string == queued["id"]?.string)
            // A message without the placeholder makes no link.
            #expect(try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"sms","body":"Please call us."}"#).status == 202)
            let after = items(try app.admin.get("/v1/cases/\(caseID)/timeline?limit=200"))
            #expect(after.filter { $0["kind"]?.string == "portal_link" }.count == 1)
        }
    }

    @Test func aReminderTemplateWithThePortalPlaceholderMakesOneLinkPerNewReminder() throws {
        let time = TestClock(Self.now)
        try withTestApp(configure: Self.configure, clock: time.clock) { app in
            #expect(try app.admin.request("PUT", "/v1/templates/reminder_installment", json: """
                {"channel":"sms","body":"Instalment {{installment.seq}} of {{installment.amount}} is due {{installment.due_date}}: {{portal.url}}"}
                """).status == 201)
            let debtor = try app.admin.post("/v1/debtors", """
                {"name":"王芳","timezone":"Asia/Shanghai","language":"zh-CN",
                 "phones":[{"number":"+8613800138000","type":"mobile","consent":{"calls":true,"sms":true}}]}
                """)
            let debtorID = try #require(debtor["id"]?.string)
            let caseID = try #require(try app.admin.post("/v1/cases", """
                {"debtor_id":"\(debtorID)","creditor":"Acme","external_ref":"R-1","currency":"CNY","principal_minor":30000,
                 "delinquent_since":"2026-06-01","jurisdiction":"CN"}
                """)["id"]?.string)
            _ = try app.admin.post("/v1/cases/\(caseID)/plans", #"{"installment_count":3,"frequency":"weekly","first_due_date":"2026-11-22"}"#)
            #expect(try app.admin.post("/v1/jobs/reminders/run", #"{"as_of":"2026-11-20T02:00:00Z"}"#)["result"]?["scheduled"]?.int64 == 6)
            #expect(try app.admin.post("/v1/jobs/reminders/run", #"{"as_of":"2026-11-20T03:00:00Z"}"#)["result"]?["scheduled"]?.int64 == 0)
            let scheduled = items(try app.admin.get("/v1/messages?case_id=\(caseID)&status=scheduled&limit=200"))
            let paths = Set(scheduled.compactMap { $0["body"]?.string?.split(separator: " ").last.map(String.init) })
            #expect(paths.count == 6 && paths.allSatisfy { $0.hasPrefix("https://pay.example.com/p/s/") })
            let first = try #require(paths.first).dropFirst("https://pay.example.com".count)
            let page = try app.client(key: nil).get(String(first))
            #expect(page.status == 200 && page.text.contains("¥300.00"))
            let timeline = items(try app.admin.get("/v1/cases/\(caseID)/timeline?limit=200"))
            #expect(timeline.filter { $0["kind"]?.string == "portal_link" }.count == 6)
        }
    }

    @Test func tokensNeverReachLogsOrMetrics() throws {
        let logs = CapturedLogs()
        let time = TestClock(Self.now)
        try withTestApp(configure: Self.configure, clock: time.clock, logger: logs.logger()) { app in
            let caseID = try makeDebtorCase(app, language: "zh-CN")
            let (linkID, path) = try issue(app.admin, caseID)
            let statementToken = String(path.dropFirst("/p/s/".count))
            let surveyToken = try survey(app, caseID)
            let publicClient = app.client(key: nil)
            #expect(try publicClient.get(path).status == 200)
            #expect(try publicClient.get("/p/f/" + surveyToken).status == 200)
            #expect(try postForm(publicClient, "/p/f/" + surveyToken, "scores.communication=9").status == 422)
            #expect(try postForm(publicClient, "/p/f/" + surveyToken, "comment=%Z").status == 400)
            #expect(try postForm(publicClient, "/p/f/" + surveyToken, "scores.communication=1&scores.attitude=1&scores.resolution=1").status == 200)
            #expect(try publicClient.get("/p/f/" + surveyToken).status == 410)
            #expect(try publicClient.get("/p/s/\(statementToken)x").status == 404)
            #expect(try app.admin.post("/v1/portal-links/\(linkID)/revoke", "").status == 200)
            #expect(try publicClient.get(path).status == 410)
            let metrics = try app.admin.get("/metrics").text
            let text = logs.text
            #expect(text.contains("http.route=/p/s/{token}") && text.contains("http.route=/p/f/{token}"))
            #expect(metrics.contains("route=\"/p/s/{token}\""))
            for token in [statementToken, surveyToken] {
                #expect(!text.contains(token))
                #expect(!text.contains(String(token.prefix(12))))
                #expect(!metrics.contains(String(token.prefix(12))))
            }
        }
    }
}

/// The escaping the pages apply, restated for expectations.
enum HTMLText {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences("&", "&amp;").replacingOccurrences("<", "&lt;").replacingOccurrences(">", "&gt;")
            .replacingOccurrences("\"", "&quot;").replacingOccurrences("'", "&#39;")
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
