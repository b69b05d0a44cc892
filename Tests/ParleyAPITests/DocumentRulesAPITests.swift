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
            #expect(try place("D", "1e30").status == 400)
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

    /// If-Match is a list (RFC 9110 §13.1.1): any strong tag naming the current version matches;
    /// weak tags never do; `*` matches any version.
    @Test func ifMatchMatchesAnyStrongTagInTheList() throws {
        try withTestApp { app in
            let (id, _) = try app.admin.createUser(role: "agent")
            func patch(_ ifMatch: String) throws -> APIClient.Response {
                try app.admin.patch("/v1/users/\(id)", #"{"active":true}"#, headers: [("If-Match", ifMatch)])
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
