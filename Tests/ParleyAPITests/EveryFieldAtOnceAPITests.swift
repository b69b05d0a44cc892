import ParleyCore
import ParleyTestSupport
import Testing

/// Contract §15: a 422 names every failing field at once, whether a field fails to decode (an
/// unknown enum value, a wrong type) or fails the service's own checks (a range, a reference).
@Suite struct EveryFieldAtOnceAPITests {
    private func fields(_ response: APIClient.Response) -> Set<String> {
        guard case .array(let errors)? = response["errors"] else { return [] }
        return Set(errors.compactMap { $0["field"]?.string })
    }

    private func placeCase(_ app: TestApp, ref: String) throws -> String {
        let debtor = try app.admin.post("/v1/debtors", #"{"name":"Ada","timezone":"Asia/Shanghai","phones":[{"number":"+8613800000001","type":"mobile"}]}"#)
        let debtorID = try #require(debtor["id"]?.string)
        let created = try app.admin.post("/v1/cases", """
            {"debtor_id":"\(debtorID)","creditor":"Acme","external_ref":"\(ref)","currency":"CNY","principal_minor":1000,
             "delinquent_since":"2026-06-01","jurisdiction":"CN"}
            """)
        return try #require(created["id"]?.string)
    }

    @Test func debtorsUsersAndCases() throws {
        try withTestApp { app in
            let debtor = try app.admin.post("/v1/debtors", """
                {"name":"","timezone":"Bad/Zone","phones":[{"number":"12","type":"fax"}],"emails":[{"address":"x"}]}
                """)
            #expect(debtor.status == 422)
            #expect(fields(debtor) == ["name", "timezone", "phones[0].type", "phones[0].number", "emails[0].address"])
            let user = try app.admin.post("/v1/users", #"{"name":"","role":"boss"}"#)
            #expect(fields(user) == ["name", "role"])
            let caseID = try placeCase(app, ref: "A-1")
            let patch = try app.admin.patch("/v1/cases/\(caseID)", """
                {"priority":"bogus","assigned_to":"usr_nope","segment_override":"bogus","team":""}
                """)
            #expect(patch.status == 422)
            #expect(fields(patch) == ["priority", "assigned_to", "segment_override", "team"])
        }
    }

    @Test func communicationsComplianceAndMessages() throws {
        try withTestApp { app in
            let caseID = try placeCase(app, ref: "B-1")
            let contact = try app.admin.post("/v1/cases/\(caseID)/communications", """
                {"channel":"fax","direction":"outbound","outcome":"no_answer","occurred_at":"2026-11-20T03:00:00Z",
                 "duration_seconds":-5,"to":""}
                """)
            #expect(contact.status == 422)
            #expect(fields(contact) == ["channel", "duration_seconds", "to"])
            let check = try app.admin.post("/v1/compliance/check", #"{"case_id":"case_nope","channel":"fax"}"#)
            #expect(fields(check) == ["case_id", "channel"])
            let blankTo = try app.admin.post("/v1/compliance/check", #"{"case_id":"\#(caseID)","channel":"email","to":""}"#)
            #expect(blankTo.status == 422)
            #expect(fields(blankTo) == ["to"])
            let template = try app.admin.request("PUT", "/v1/templates/bad_one", json: #"{"channel":"fax","body":""}"#)
            #expect(fields(template) == ["channel", "body"])
            let message = try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"fax","body":""}"#)
            #expect(fields(message) == ["channel", "body"])
        }
    }

    @Test func moneyComplaintsAndDisputes() throws {
        try withTestApp { app in
            let caseID = try placeCase(app, ref: "C-1")
            let payment = try app.admin.post("/v1/cases/\(caseID)/payments", """
                {"amount_minor":0,"currency":"USD","method":"\(String(repeating: "x", count: 51))"}
                """, headers: [("Idempotency-Key", "pay-1")])
            #expect(payment.status == 422)
            #expect(fields(payment) == ["amount_minor", "currency", "method"])
            let badTime = try app.admin.post("/v1/cases/\(caseID)/payments", #"{"amount_minor":0,"currency":"CNY","paid_at":"x"}"#,
                                            headers: [("Idempotency-Key", "pay-2")])
            #expect(fields(badTime) == ["amount_minor", "paid_at"])
            let huge = try app.admin.post("/v1/cases/\(caseID)/payments", """
                {"amount_minor":1e30,"currency":"CNY","method":"\(String(repeating: "x", count: 51))"}
                """, headers: [("Idempotency-Key", "pay-3")])
            #expect(huge.status == 422)
            #expect(fields(huge) == ["amount_minor", "method"])
            let adjustment = try app.admin.post("/v1/cases/\(caseID)/adjustments", #"{"kind":"bogus","amount_minor":999999,"reason":"x"}"#)
            #expect(fields(adjustment) == ["kind", "amount_minor"])
            let complaint = try app.admin.post("/v1/complaints", #"{"case_id":"case_nope","channel":"fax","category":"other","description":""}"#)
            #expect(fields(complaint) == ["case_id", "channel", "description"])
            let dispute = try app.admin.post("/v1/cases/\(caseID)/disputes", "{}")
            #expect(dispute["errors"]?.compact == #"[{"field":"reason","message":"is required"}]"#)
            let reversal = try app.admin.post("/v1/cases/\(caseID)/payments/pay_nope/reverse", #"{"reason":null}"#)
            #expect(fields(reversal) == ["reason"])
        }
    }

    /// A list's query parameters are checked together: a bad filter does not hide a bad `limit`
    /// or `cursor`, nor does a parameter that is not valid percent-encoding.
    @Test func everyFailingQueryParameterOfAListIsNamed() throws {
        try withTestApp { app in
            for (path, expected) in [
                ("/v1/cases?limit=0&status=bogus&cursor=zz", ["status", "limit", "cursor"]),
                ("/v1/debtors?q=%zz&limit=0&segment=bogus", ["segment", "limit", "q"]),
                ("/v1/messages?status=bogus&limit=500", ["status", "limit"]),
                ("/v1/audit?from=bad&limit=0", ["from", "limit"]),
                ("/v1/complaints?status=bogus&overdue=maybe&cursor=zz", ["status", "overdue", "cursor"]),
                ("/v1/feedback?limit=0&from=x", ["from", "limit"]),
                ("/v1/compliance/alerts?status=bogus&limit=0", ["status", "limit"]),
                ("/v1/followups?status=bogus&limit=0", ["status", "limit"]),
                ("/v1/users?limit=0&x=%zz", ["limit", "x"]),
            ] {
                let response = try app.admin.get(path)
                #expect(response.status == 422, "\(path)")
                #expect(fields(response) == Set(expected), "\(path)")
            }
        }
    }

    /// An absent required field does not hide the other fields' failures, those checked against
    /// the case (its balance of 1000 and currency, the debtor-local date) included.
    @Test func anAbsentRequiredFieldIsReportedWithEveryOtherFailure() throws {
        try withTestApp { app in
            let caseID = try placeCase(app, ref: "D-1")
            let plan = try app.admin.post("/v1/cases/\(caseID)/plans",
                                          #"{"frequency":"daily","first_due_date":"2020-01-01","down_payment_minor":-5}"#)
            #expect(plan.status == 422)
            #expect(fields(plan) == ["installment_count", "frequency", "first_due_date", "down_payment_minor"])
            let payment = try app.admin.post("/v1/cases/\(caseID)/payments", #"{"currency":"EUR","paid_at":"2030-01-01T00:00:00Z"}"#,
                                             headers: [("Idempotency-Key", "pay-absent-1")])
            #expect(payment.status == 422)
            #expect(fields(payment) == ["amount_minor", "currency", "paid_at"])
            let overBalance = try app.admin.post("/v1/cases/\(caseID)/payments", #"{"amount_minor":1001}"#,
                                                 headers: [("Idempotency-Key", "pay-absent-2")])
            #expect(fields(overBalance) == ["amount_minor", "currency"])
            // Each field once, however many checks it fails.
            let negative = try app.admin.post("/v1/cases/\(caseID)/payments", #"{"amount_minor":-1}"#,
                                              headers: [("Idempotency-Key", "pay-absent-3")])
            #expect(negative["errors"]?.compact
                == #"[{"field":"currency","message":"is required"},{"field":"amount_minor","message":"must be greater than 0"}]"#)
            let promise = try app.admin.post("/v1/cases/\(caseID)/promises", #"{"amount_minor":1001}"#)
            #expect(fields(promise) == ["amount_minor", "due_date"])
            let adjustment = try app.admin.post("/v1/cases/\(caseID)/adjustments", #"{"kind":"fee_waiver","amount_minor":1001}"#)
            #expect(fields(adjustment) == ["amount_minor", "reason"])
            // Each absent field says so, and a present one that passes is not named.
            let onlyAbsent = try app.admin.post("/v1/cases/\(caseID)/promises", #"{"amount_minor":10}"#)
            #expect(onlyAbsent["errors"]?.compact == #"[{"field":"due_date","message":"is required"}]"#)
        }
    }
}
