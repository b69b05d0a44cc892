import ParleyCore
import Testing

@Suite struct SegmentPolicyDocumentTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    func fields(_ text: String) throws -> Set<String> {
        do {
            _ = try CompliancePolicy.decode(try parse(text))
            Issue.record("expected a validation failure")
            return []
        } catch let failure as ValidationFailure {
            return Set(failure.errors.map(\.field))
        } catch let wrongType as WrongJSONType {
            return Set(wrongType.errors.map(\.field))
        }
    }

    @Test func theDefaultsCarryTheContractThresholdsAndPlaybooks() throws {
        let json = CompliancePolicy.defaults.json
        #expect(json["segmentation"]?.compact == #"""
            {"high_risk_days_past_due":180,"no_payment_days":90,"broken_window_days":180,"broken_count":2,\#
            "resistant_window_days":60,"willingness_window_days":30,"kept_promise_window_days":null}
            """#)
        guard case .object(let playbooks) = json["playbooks"] else {
            Issue.record("playbooks is not an object")
            return
        }
        #expect(playbooks.map(\.0) == ["high_willingness", "wait_and_see", "resistant", "high_risk"])
        #expect(json["playbooks"]?["high_willingness"]?["offers"]?["max_installment_months"]?.int64 == 12)
        #expect(json["playbooks"]?["wait_and_see"]?["offers"]?["max_fee_waiver_percent"]?.int64 == 100)
        #expect(json["playbooks"]?["wait_and_see"]?["offers"]?["max_waiver_percent"]?.int64 == 5)
        #expect(json["playbooks"]?["resistant"]?["tone"] == .string("calm"))
        #expect(json["playbooks"]?["high_risk"]?["escalation_teams"]
            == .array([.string("collection"), .string("legal"), .string("analytics")]))
        #expect(CompliancePolicy.defaults.playbooksJSON == json["playbooks"])
        #expect(try CompliancePolicy.decode(json) == .defaults)
        #expect(try CompliancePolicy.decode(try parse(json.compact)) == .defaults)
    }

    @Test func aChangedPolicyRoundTrips() throws {
        var policy = CompliancePolicy.defaults
        policy.segmentation = SegmentationPolicy(highRiskDaysPastDue: 365, noPaymentDays: 60, brokenWindowDays: 90,
                                                 brokenCount: 3, resistantWindowDays: 45, willingnessWindowDays: 14,
                                                 keptPromiseWindowDays: 120)
        policy.playbooks[.resistant] = Playbook(
            offers: PlaybookOffers(maxInstallmentMonths: 3, maxWaiverPercent: 2, maxFeeWaiverPercent: 25),
            contactCadence: ContactCadence(contactEveryDays: 21, maxAttemptsPerWeek: 0), tone: .formal,
            escalationTeams: [.supervisors, .compliance], recommendedActions: ["Write, do not call"])
        #expect(try CompliancePolicy.decode(policy.json) == policy)
        #expect(try CompliancePolicy.decode(try parse(policy.json.compact)) == policy)
    }

    @Test func aPartialDocumentKeepsEverythingElse() throws {
        let policy = try CompliancePolicy.decode(try parse(#"""
            {"segmentation":{"broken_count":3,"kept_promise_window_days":180},
             "playbooks":{"resistant":{"offers":{"max_installment_months":3}},
                          "high_risk":{"recommended_actions":["  Call the legal team  "]}}}
            """#))
        var expected = CompliancePolicy.defaults
        expected.segmentation.brokenCount = 3
        expected.segmentation.keptPromiseWindowDays = 180
        expected.playbooks[.resistant]?.offers.maxInstallmentMonths = 3
        expected.playbooks[.high_risk]?.recommendedActions = ["Call the legal team"]
        #expect(policy == expected)
        let off = try CompliancePolicy.decode(try parse(#"{"segmentation":{"kept_promise_window_days":null}}"#),
                                              over: policy)
        #expect(off.segmentation.keptPromiseWindowDays == nil)
        #expect(off.segmentation.brokenCount == 3)
        #expect(try CompliancePolicy.decode(try parse(#"{"playbooks":{}}"#)) == .defaults)
    }

    @Test func aPolicyMissingAPlaybookFallsBackToTheBuiltInOne() {
        var policy = CompliancePolicy.defaults
        policy.playbooks = [:]
        #expect(policy.playbook(for: .high_risk) == Playbook.standard(for: .high_risk))
        #expect(policy.playbooksJSON == CompliancePolicy.defaults.playbooksJSON)
    }

    @Test func everyBadValueIsNamedByPath() throws {
        let errors = try fields(#"""
            {"segmentation":{"high_risk_days_past_due":-1,"no_payment_days":0,"broken_window_days":367,
                             "broken_count":0,"resistant_window_days":"60","willingness_window_days":30.5,
                             "kept_promise_window_days":0,"window":1},
             "playbooks":{"resistant":{"offers":{"max_installment_months":0,"max_waiver_percent":101,
                                                 "max_fee_waiver_percent":-5,"cashback":1},
                                       "contact_cadence":{"contact_every_days":0,"max_attempts_per_week":51},
                                       "tone":"threatening","escalation_teams":["legal","police","legal"],
                                       "recommended_actions":["ok","   ",7],"mood":"x"},
                          "high_willingness":{"recommended_actions":[],"contact_cadence":[]},
                          "wait_and_see":{"escalation_teams":"legal","offers":null},
                          "hopeless":{}}}
            """#)
        #expect(errors == [
            "segmentation.high_risk_days_past_due", "segmentation.no_payment_days", "segmentation.broken_window_days",
            "segmentation.broken_count", "segmentation.resistant_window_days", "segmentation.willingness_window_days",
            "segmentation.kept_promise_window_days", "segmentation.window",
            "playbooks.resistant.offers.max_installment_months", "playbooks.resistant.offers.max_waiver_percent",
            "playbooks.resistant.offers.max_fee_waiver_percent", "playbooks.resistant.offers.cashback",
            "playbooks.resistant.contact_cadence.contact_every_days",
            "playbooks.resistant.contact_cadence.max_attempts_per_week", "playbooks.resistant.tone",
            "playbooks.resistant.escalation_teams[1]", "playbooks.resistant.escalation_teams[2]",
            "playbooks.resistant.recommended_actions[1]", "playbooks.resistant.recommended_actions[2]",
            "playbooks.resistant.mood",
            "playbooks.high_willingness.recommended_actions", "playbooks.high_willingness.contact_cadence",
            "playbooks.wait_and_see.escalation_teams", "playbooks.wait_and_see.offers",
            "playbooks.hopeless",
        ])
        #expect(try fields(#"{"segmentation":[],"playbooks":3}"#) == ["segmentation", "playbooks"])
        #expect(try fields(#"{"segmentation":{"broken_count":null}}"#) == ["segmentation.broken_count"])
    }

    @Test func anInvalidSectionChangesNothing() throws {
        #expect(try fields(#"{"grace_days":7,"segmentation":{"broken_count":3,"no_payment_days":0}}"#)
            == ["segmentation.no_payment_days"])
    }
}
