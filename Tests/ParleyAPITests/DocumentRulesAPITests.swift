import ParleyCore
import ParleyTestSupport
import Testing

/// Rules that Docs/openapi.yaml states in JSON Schema terms, which the server must read the same way
/// (found by running schemathesis against the document).
@Suite struct DocumentRulesAPITests {
    /// `type: integer` is a value: 100.0 and 1e2 are integers; a fraction is still a wrong type.
    @Test func integersWrittenWithAZeroFractionOrAnExponentAreIntegers() throws {
        try withTestApp { app in
            let debtor = try app.admin.post("/v1/debtors", #"{"name":"Ana","timezone":"UTC"}"#)
            let debtorID = try #require(debtor["id"]?.string)
            func place(_ ref: String, _ principal: String) throws -> APIClient.Response {
                try app.admin.post("/v1/cases", """
                    {"debtor_id":"\(debtorID)","creditor":"Acme","external_ref":"\(ref)","currency":"USD",
                     "principal_minor":\(principal),"interest_minor":2.0,"fees_minor":0e3,"delinquent_since":"2025-01-01","jurisdiction":"US"}
                    """)
            }
            let fraction = try place("A", "26492.0")
            #expect(fraction.status == 201)
            #expect(fraction["principal_minor"]?.int64 == 26_492)
            #expect(fraction["interest_minor"]?.int64 == 2)
            let exponent = try place("B", "1.5e3")
            #expect(exponent.status == 201)
            #expect(exponent["principal_minor"]?.int64 == 1_500)
            let half = try place("C", "100.5")
            #expect(half.status == 400)
            #expect(half["errors"]?.compact == #"[{"field":"principal_minor","message":"principal_minor must be an integer (minor units, no fraction)"}]"#)
            // An integer, but beyond any field: out of range (422), not a wrong type.
            let huge = try place("D", "1e30")
            #expect(huge.status == 422)
            #expect(huge["errors"]?.compact == #"[{"field":"principal_minor","message":"is out of range"}]"#)
        }
    }

    /// Blank is "only Unicode White_Space code points", and lengths count code points, as in the
    /// document's `NotBlank` pattern and `maxLength`.
    @Test func blankAndLengthAreReadInCodePoints() throws {
        try withTestApp { app in
            let mark = try app.admin.post("/v1/users", "{\"name\":\" \\u0301\",\"role\":\"agent\"}")
            #expect(mark.status == 201)
            #expect(mark["name"]?.string?.unicodeScalars.elementsEqual("\u{301}".unicodeScalars) == true)
            let blank = try app.admin.post("/v1/users", "{\"name\":\"\\u3000\\u0085\\u2028\",\"role\":\"agent\"}")
            #expect(blank.status == 422)
            // "é" written as e + combining acute: one character, two code points.
            let decomposed = "e\\u0301"
            let fits = try app.admin.post("/v1/users", "{\"name\":\"\(String(repeating: decomposed, count: 100))\",\"role\":\"agent\"}")
            #expect(fits.status == 201)
            let over = try app.admin.post("/v1/users", "{\"name\":\"\(String(repeating: decomposed, count: 100))x\",\"role\":\"agent\"}")
            #expect(over.status == 422)
            #expect(over["errors"]?.compact == #"[{"field":"name","message":"must be at most 200 characters"}]"#)

            let caseID = try makeCase(app.admin)
            let padded = "  " + String(repeating: "r", count: 1_999)
            let reason = try app.admin.post("/v1/cases/\(caseID)/disputes", "{\"reason\":\"\(padded)\"}")
            #expect(reason.status == 422)
            let exact = try app.admin.post("/v1/cases/\(caseID)/disputes", "{\"reason\":\"\(String(repeating: "r", count: 2_000))\"}")
            #expect(exact.status == 201)
        }
    }

    /// The same reading on the communication, compliance, template, message and money routes:
    /// `maxLength` counts the code points of the value as sent, not its characters.
    @Test func lengthsOnActivityAndMoneyRoutesCountCodePoints() throws {
        try withTestApp { app in
            // "é" written as e + combining acute: one character, two code points (JSON-escaped).
            func over(_ limit: Int) -> String { String(repeating: "e\\u0301", count: limit / 2) + "x" }
            func exactly(_ limit: Int) -> String { String(repeating: "e\\u0301", count: limit / 2) }
            func fields(_ response: APIClient.Response) -> [String] {
                guard case .array(let errors)? = response["errors"] else { return [] }
                return errors.compactMap { $0["field"]?.string }
            }
            let caseID = try makeCase(app.admin)
            let contact = #""channel":"phone","direction":"outbound","outcome":"no_answer","occurred_at":"2026-01-05T03:00:00Z""#
            let long = try app.admin.post("/v1/cases/\(caseID)/communications", """
                {\(contact),"summary":"\(over(4_000))","content":"\(over(20_000))","to":"\(over(320))"}
                """)
            #expect(long.status == 422)
            #expect(fields(long) == ["summary", "content", "to"])
            let logged = try app.admin.post("/v1/cases/\(caseID)/communications", "{\(contact),\"summary\":\"\(exactly(4_000))\"}")
            #expect(logged.status == 201)

            // The debtor has no phone: the call broke channel_consent and opened an alert.
            let alertID = try #require(items(try app.admin.get("/v1/compliance/alerts?case_id=\(caseID)")).first?["id"]?.string)
            let note = try app.admin.post("/v1/compliance/alerts/\(alertID)/resolve", "{\"note\":\"\(over(2_000))\"}")
            #expect(note.status == 422)
            #expect(fields(note) == ["note"])

            func pay(_ method: String, _ reference: String, key: String) throws -> APIClient.Response {
                try app.admin.post("/v1/cases/\(caseID)/payments",
                                   "{\"amount_minor\":100,\"currency\":\"CNY\",\"method\":\"\(method)\",\"reference\":\"\(reference)\"}",
                                   headers: [("Idempotency-Key", key)])
            }
            #expect(fields(try pay(over(50), "r", key: "m")) == ["method"])
            #expect(fields(try pay("m", over(200), key: "r")) == ["reference"])
            let paid = try pay(exactly(50), exactly(200), key: "ok")
            #expect(paid.status == 201)
            let paymentID = try #require(paid["id"]?.string)
            let padded = "  " + String(repeating: "r", count: 1_999)
            let reversal = try app.admin.post("/v1/cases/\(caseID)/payments/\(paymentID)/reverse", "{\"reason\":\"\(padded)\"}")
            #expect(reversal.status == 422)
            #expect(fields(reversal) == ["reason"])

            let adjustment = try app.admin.post("/v1/cases/\(caseID)/adjustments",
                                                "{\"kind\":\"fee_waiver\",\"amount_minor\":100,\"reason\":\"\(over(500))\"}")
            #expect(adjustment.status == 422)
            #expect(fields(adjustment) == ["reason"])

            let template = try app.admin.request("PUT", "/v1/templates/long",
                                                 json: "{\"channel\":\"email\",\"subject\":\"\(over(200))\",\"body\":\"\(over(5_000))\"}")
            #expect(template.status == 422)
            #expect(fields(template) == ["body", "subject"])
            let message = try app.admin.post("/v1/cases/\(caseID)/messages", "{\"channel\":\"sms\",\"body\":\"\(over(5_000))\"}")
            #expect(message.status == 422)
            #expect(fields(message) == ["body"])

            let terms = try app.admin.request("PUT", "/v1/compliance/policy", json: "{\"prohibited_terms\":[\"\(over(200))\"]}")
            #expect(terms.status == 422)
            #expect(fields(terms) == ["prohibited_terms[0]"])
        }
    }

    /// The policy document reads integers by value too: 7.0 and 1.5e1 are integers.
    @Test func policyIntegersWrittenWithAFractionOfZeroAreIntegers() throws {
        try withTestApp { app in
            let changed = try app.admin.request("PUT", "/v1/compliance/policy",
                                                json: #"{"grace_days":7.0,"max_agent_discount_percent":1.5e1,"reminder_days_before_due":[3.0,0]}"#)
            #expect(changed.status == 200)
            #expect(changed["grace_days"]?.int64 == 7)
            #expect(changed["max_agent_discount_percent"]?.int64 == 15)
            #expect(changed["reminder_days_before_due"]?.compact == "[3,0]")
            // A fraction where an integer is required is a value of the wrong JSON type: 400, naming
            // every failing field (the out-of-range one too).
            let half = try app.admin.request("PUT", "/v1/compliance/policy", json: #"{"grace_days":7.5,"promise_grace_days":-1}"#)
            #expect(half.status == 400)
            #expect(half.headers["Content-Type"] == "application/problem+json")
            guard case .array(let errors)? = half["errors"] else { Issue.record("no errors"); return }
            #expect(Set(errors.compactMap { $0["field"]?.string }) == ["grace_days", "promise_grace_days"])
            let mistyped = try app.admin.request("PUT", "/v1/compliance/policy", json: #"{"debt_terms":[5]}"#)
            #expect(mistyped.status == 400)
            #expect(try app.admin.get("/v1/compliance/policy")["grace_days"]?.int64 == 7)
        }
    }

    /// Member names are compared by code points (RFC 8259): names that differ only by canonical
    /// equivalence, such as U+2001 EM QUAD and U+2003 EM SPACE, are two members, not a duplicate.
    @Test func memberNamesThatAreOnlyCanonicallyEquivalentAreDistinct() throws {
        try withTestApp { app in
            let distinct = try app.admin.request("PUT", "/v1/templates/spaces",
                                                 json: #"{"\u2001":null,"\u2003":null,"e\u0301":1,"\u00e9":2,"channel":"sms","body":"Hi"}"#)
            #expect(distinct.status == 201)
            let duplicate = try app.admin.request("PUT", "/v1/templates/spaces", json: #"{"\u2003":null,"\u2003":null,"channel":"sms","body":"Hi"}"#)
            #expect(duplicate.status == 400)
            #expect(duplicate["detail"]?.string?.hasPrefix("the body is not valid JSON: duplicate member") == true)
        }
    }

    /// `next_allowed_at` is an RFC 3339 instant, whose years have four digits: a rule whose next
    /// allowed instant falls after the year 9999 names none (null), as a rule without an end does.
    @Test func nextAllowedInstantsAfterTheYear9999AreNull() throws {
        try withTestApp { app in
            let caseID = try makeCase(app.admin)  // Asia/Shanghai, 08:00–22:00
            func check(_ at: String) throws -> APIClient.Response {
                try app.admin.post("/v1/compliance/check", #"{"case_id":"\#(caseID)","channel":"visit","at":"\#(at)"}"#)
            }
            func violation(_ response: APIClient.Response) -> JSONValue? {
                guard case .array(let violations)? = response["violations"] else { return nil }
                return violations.first
            }
            let lastDay = try check("9999-12-30T23:00:00Z")  // 07:00 on 31 December 9999 in Shanghai
            #expect(violation(lastDay)?["next_allowed_at"]?.string == "9999-12-31T00:00:00Z")
            #expect(lastDay["next_allowed_at"]?.string == "9999-12-31T00:00:00Z")
            let beyond = try check("9999-12-31T23:00:00Z")  // 07:00 on 1 January 10000 in Shanghai
            #expect(beyond.status == 200)
            #expect(beyond["allowed"] == .bool(false))
            #expect(violation(beyond)?["rule"]?.string == "contact_hours")
            #expect(violation(beyond)?["next_allowed_at"] == .null)
            #expect(beyond["next_allowed_at"] == .null)
        }
    }

    /// If-Match is a list (RFC 9110 §13.1.1): any strong tag naming the current version matches;
    /// weak tags never do; `*` matches any version.
    @Test func ifMatchMatchesAnyStrongTagInTheList() throws {
        try withTestApp { app in
            let (id, _) = try app.admin.createUser(role: "agent")
            var changes = 0
            func patch(_ ifMatch: String) throws -> APIClient.Response {
                changes += 1  // a real change each time: a PATCH that changes nothing keeps the version
                return try app.admin.patch("/v1/users/\(id)", #"{"team":"team-\#(changes)"}"#, headers: [("If-Match", ifMatch)])
            }
            let listed = try patch(#""7", "1""#)
            #expect(listed.status == 200)
            #expect(listed.headers["ETag"] == "\"2\"")
            #expect(try patch(#"W/"2""#).status == 412)
            #expect(try patch(#"W/"2", "2""#).status == 200)
            #expect(try patch(#""1""#).status == 412)
            #expect(try patch("*").status == 200)
            #expect(try patch("").status == 412)
            #expect(try patch(#""+4""#).status == 412)
            #expect(try app.admin.get("/v1/users/\(id)").headers["ETag"] == "\"4\"")
        }
    }

    /// An Idempotency-Key is 1–255 visible ASCII characters, spaces allowed inside.
    @Test func idempotencyKeysAreVisibleASCII() throws {
        try withTestApp { app in
            let body = #"{"name":"Key Test","role":"agent"}"#
            #expect(try app.admin.post("/v1/users", body, headers: [("Idempotency-Key", "order 17 / retry")]).status == 201)
            #expect(try app.admin.post("/v1/users", body, headers: [("Idempotency-Key", String(repeating: "k", count: 255))]).status == 201)
            for bad in ["caf\u{E9}", "a\tb", String(repeating: "k", count: 256)] {
                let refused = try app.admin.post("/v1/users", body, headers: [("Idempotency-Key", bad)])
                #expect(refused.status == 400, "\(bad)")
                #expect(refused["detail"]?.string == "Idempotency-Key must be 1 to 255 visible ASCII characters")
            }
        }
    }
}
