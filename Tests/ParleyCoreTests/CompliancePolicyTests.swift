import ParleyCore
import Testing

@Suite struct CompliancePolicyTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    func fields(_ text: String) throws -> Set<String> {
        let document = try parse(text)
        do {
            _ = try CompliancePolicy.decode(document)
            Issue.record("expected a validation failure")
            return []
        } catch let failure as ValidationFailure {
            return Set(failure.errors.map(\.field))
        } catch let wrongType as WrongJSONType {
            return Set(wrongType.errors.map(\.field))
        }
    }

    @Test func defaultsRoundTripThroughJSON() throws {
        let json = CompliancePolicy.defaults.json
        #expect(try CompliancePolicy.decode(json) == .defaults)
        #expect(try CompliancePolicy.decode(try parse(json.compact)) == .defaults)
        let us = json["jurisdictions"]?["US"]
        #expect(us?["contact_hours"]?["start"] == .string("08:00"))
        #expect(us?["contact_hours"]?["end"] == .string("21:00"))
        #expect(us?["call_frequency"]?["max_attempts"]?.int64 == 7)
        #expect(us?["daily_rpc_limit"] == .null)
        #expect(json["jurisdictions"]?["CN"]?["contact_hours"]?["end"] == .string("22:00"))
        #expect(json["jurisdictions"]?["CN"]?["third_party_reached_days"]?.int64 == 30)
        #expect(json["jurisdictions"]?["default"]?["sms_frequency"]?["max_messages"]?.int64 == 3)
        #expect(json["reminder_days_before_due"] == .array([.number("3"), .number("0")]))
        #expect(json["max_agent_discount_percent"]?.int64 == 10)
    }

    @Test func aPartialDocumentKeepsDefaultsForWhatItOmits() throws {
        let policy = try CompliancePolicy.decode(try parse(#"""
            {"jurisdictions":{"US":{"contact_hours":{"start":"09:00"}},"CN":{"daily_rpc_limit":2},
             "DE":{"call_frequency":{"max_attempts":5,"window_days":7}},"GB":{"call_frequency":null}},
             "grace_days":7}
            """#))
        var expected = CompliancePolicy.defaults
        expected.jurisdictions["US"]?.contactHours.startMinute = 9 * 60
        expected.jurisdictions["CN"]?.dailyRPCLimit = 2
        var german = JurisdictionProfile.fallback
        german.callFrequency = FrequencyLimit(maxCount: 5, windowDays: 7)
        expected.jurisdictions["DE"] = german
        expected.graceDays = 7
        #expect(policy == expected)
        #expect(policy.profile(for: "DE").callFrequency?.maxCount == 5)
        #expect(policy.profile(for: "FR") == .fallback)
        #expect(try CompliancePolicy.decode(try parse("{}")) == .defaults)
    }

    @Test func aPartialDocumentAppliesOverTheCurrentPolicy() throws {
        var current = CompliancePolicy.defaults
        current.graceDays = 9
        let policy = try CompliancePolicy.decode(try parse(#"{"promise_grace_days":4}"#), over: current)
        #expect(policy.graceDays == 9)
        #expect(policy.promiseGraceDays == 4)
    }

    @Test func nullSwitchesARuleOff() throws {
        let policy = try CompliancePolicy.decode(try parse(#"{"jurisdictions":{"US":{"conversation_cooldown_days":null,"call_frequency":null}}}"#))
        #expect(policy.profile(for: "US").conversationCooldownDays == nil)
        #expect(policy.profile(for: "US").callFrequency == nil)
    }

    @Test func everyBadFieldIsNamedAtOnce() throws {
        let errors = try fields(#"""
            {"jurisdictions":{"US":{"contact_hours":{"start":"8am","end":"25:00"},"call_frequency":{"max_attempts":0,"window_days":7.5},
                                   "daily_rpc_limit":"3","surprise":1,"sms_frequency":null},
                              "CN":{"contact_hours":{"start":"22:00","end":"08:00"},"daily_unanswered_per_number":-1},
                              "usa":{}},
             "prohibited_terms":["jail","!!!",4],"debt_terms":"debt","grace_days":-1,"max_agent_discount_percent":101,
             "reminder_days_before_due":[3,3],"followup_due_days":null,"extra":true}
            """#)
        #expect(errors == [
            "jurisdictions.US.contact_hours.start", "jurisdictions.US.contact_hours.end",
            "jurisdictions.US.call_frequency.max_attempts", "jurisdictions.US.call_frequency.window_days",
            "jurisdictions.US.daily_rpc_limit", "jurisdictions.US.surprise", "jurisdictions.US.sms_frequency",
            "jurisdictions.CN.contact_hours.end", "jurisdictions.CN.daily_unanswered_per_number",
            "jurisdictions.usa",
            "prohibited_terms[1]", "prohibited_terms[2]", "debt_terms", "grace_days", "max_agent_discount_percent",
            "reminder_days_before_due[1]", "followup_due_days", "extra",
        ])
    }

    /// A value of the wrong JSON type makes the document malformed (the API's 400); null where a
    /// value is required, a value out of range or a bad time of day is a refusal (422).
    @Test(arguments: [
        (#"{"grace_days":"7"}"#, true), (#"{"grace_days":7.5}"#, true), (#"{"grace_days":true}"#, true),
        (#"{"debt_terms":[5]}"#, true), (#"{"debt_terms":"debt"}"#, true), (#"{"reminder_days_before_due":[3.5]}"#, true),
        (#"{"jurisdictions":{"US":{"conversation_cooldown_days":"7"}}}"#, true),
        (#"{"jurisdictions":{"US":{"contact_hours":{"start":8}}}}"#, true), (#"{"jurisdictions":[]}"#, true),
        (#"{"playbooks":{"resistant":{"tone":1}}}"#, true), (#"{"playbooks":{"resistant":{"escalation_teams":[1]}}}"#, true),
        (#"{"grace_days":-1}"#, false), (#"{"grace_days":null}"#, false), (#"{"grace_days":1e30}"#, false), (#"{"prohibited_terms":["!!!"]}"#, false),
        (#"{"jurisdictions":{"US":{"contact_hours":{"start":"25:00"}}}}"#, false),
        (#"{"jurisdictions":{"US":{"call_frequency":{"max_attempts":null,"window_days":7}}}}"#, false),
        (#"{"playbooks":{"resistant":{"tone":"rude"}}}"#, false),
    ])
    func aMistypedValueIsMalformedAndAnyOtherFailureARefusal(_ text: String, mistyped: Bool) throws {
        let document = try parse(text)
        do {
            _ = try CompliancePolicy.decode(document)
            Issue.record("expected a failure")
        } catch is WrongJSONType {
            #expect(mistyped)
        } catch is ValidationFailure {
            #expect(!mistyped)
        }
    }

    @Test func aNewJurisdictionNeedsACompleteFrequency() throws {
        #expect(try fields(#"{"jurisdictions":{"DE":{"call_frequency":{"max_attempts":5}}}}"#)
            == ["jurisdictions.DE.call_frequency.window_days"])
        #expect(try fields("[]") == ["policy"])
        #expect(try fields(#"{"jurisdictions":{"US":{"contact_hours":{"end":"24:00","start":"24:00"}}}}"#)
            == ["jurisdictions.US.contact_hours.start"])
    }

    @Test func contactHoursEndMayBeMidnight() throws {
        let policy = try CompliancePolicy.decode(try parse(#"{"jurisdictions":{"GB":{"contact_hours":{"start":"00:00","end":"24:00"}}}}"#))
        #expect(policy.profile(for: "GB").contactHours == ContactHours(startMinute: 0, endMinute: 1_440))
        #expect(policy.json["jurisdictions"]?["GB"]?["contact_hours"]?["end"] == .string("24:00"))
    }
}
