/// The `segmentation` and `playbooks` sections of the policy document, and the body of
/// `GET /v1/playbooks`.
extension SegmentationPolicy {
    public var json: JSONValue {
        .object([
            ("high_risk_days_past_due", .int(highRiskDaysPastDue)),
            ("no_payment_days", .int(noPaymentDays)),
            ("broken_window_days", .int(brokenWindowDays)),
            ("broken_count", .int(brokenCount)),
            ("resistant_window_days", .int(resistantWindowDays)),
            ("willingness_window_days", .int(willingnessWindowDays)),
            ("kept_promise_window_days", keptPromiseWindowDays.map { .int($0) } ?? .null),
        ])
    }
}

extension Playbook {
    public var json: JSONValue {
        .object([
            ("offers", .object([
                ("max_installment_months", .int(offers.maxInstallmentMonths)),
                ("max_waiver_percent", .int(offers.maxWaiverPercent)),
                ("max_fee_waiver_percent", .int(offers.maxFeeWaiverPercent)),
            ])),
            ("contact_cadence", .object([
                ("contact_every_days", .int(contactCadence.contactEveryDays)),
                ("max_attempts_per_week", .int(contactCadence.maxAttemptsPerWeek)),
            ])),
            ("tone", .string(tone.rawValue)),
            ("escalation_teams", .array(escalationTeams.map { .string($0.rawValue) })),
            ("recommended_actions", .array(recommendedActions.map { .string($0) })),
        ])
    }
}

extension CompliancePolicy {
    /// Every segment's playbook, in the contract's segment order: the `playbooks` section of the
    /// policy and the body of `GET /v1/playbooks`.
    public var playbooksJSON: JSONValue {
        .object(Segment.allCases.map { ($0.rawValue, playbook(for: $0).json) })
    }
}

extension JSONValue {
    fileprivate static func int(_ value: Int) -> JSONValue { .number(String(value)) }
}
