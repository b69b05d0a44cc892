/// The policy document of `GET/PUT /v1/compliance/policy`, in the contract's snake_case shape.
extension CompliancePolicy {
    /// The whole policy; jurisdictions in code order with `default` last.
    public var json: JSONValue {
        let codes = jurisdictions.keys.sorted()
        var profiles = codes.compactMap { code in jurisdictions[code].map { (code, $0.json) } }
        profiles.append(("default", defaultProfile.json))
        return .object([
            ("jurisdictions", .object(profiles)),
            ("prohibited_terms", .array(prohibitedTerms.map { .string($0) })),
            ("debt_terms", .array(debtTerms.map { .string($0) })),
            ("max_agent_discount_percent", .int(maxAgentDiscountPercent)),
            ("grace_days", .int(graceDays)),
            ("promise_grace_days", .int(promiseGraceDays)),
            ("reminder_days_before_due", .array(reminderDaysBeforeDue.map { .int($0) })),
            ("followup_due_days", .int(followupDueDays)),
            ("segmentation", segmentation.json),
            ("playbooks", playbooksJSON),
        ])
    }

    /// Reads a policy document over `base`: absent keys keep `base`'s values (a PUT may send only
    /// what changes), unknown keys are refused, and every bad field is reported at once by its
    /// path (`jurisdictions.US.contact_hours.start`).
    ///
    /// A jurisdiction not yet in `base` starts from the `default` profile.
    /// - Throws: `WrongJSONType` naming every value of the wrong JSON type, else
    ///   `ValidationFailure` naming every failing field.
    public static func decode(_ value: JSONValue, over base: CompliancePolicy = .defaults) throws -> CompliancePolicy {
        var reader = PolicyDocumentReader()
        var policy = base
        guard reader.object(value, at: "", keys: PolicyDocumentReader.policyKeys) != nil else {
            try reader.throwIfAny()
            return policy
        }
        let root = value
        if let document = root["jurisdictions"], let members = reader.object(document, at: "jurisdictions", keys: nil) {
            for (code, profileDocument) in members {
                let path = "jurisdictions." + code
                if code == "default" {
                    if let profile = reader.profile(profileDocument, at: path, over: policy.defaultProfile) {
                        policy.defaultProfile = profile
                    }
                } else if Validators.isCountryCode(code) {
                    let start = base.jurisdictions[code] ?? base.defaultProfile
                    if let profile = reader.profile(profileDocument, at: path, over: start) {
                        policy.jurisdictions[code] = profile
                    }
                } else {
                    reader.failure.add(path, "must be an ISO 3166 country code such as US, or default")
                }
            }
        }
        // Each term must still say something once normalised the way it will be matched.
        if let document = root["prohibited_terms"],
           let terms = reader.terms(document, at: "prohibited_terms", normalize: ProhibitedLanguage.normalize) {
            policy.prohibitedTerms = terms
        }
        if let document = root["debt_terms"],
           let terms = reader.terms(document, at: "debt_terms", normalize: { DebtMention.fold($0).filter { $0 != " " } }) {
            policy.debtTerms = terms
        }
        reader.int(root["max_agent_discount_percent"], at: "max_agent_discount_percent", in: 0...100,
                   into: &policy.maxAgentDiscountPercent)
        reader.int(root["grace_days"], at: "grace_days", in: 0...365, into: &policy.graceDays)
        reader.int(root["promise_grace_days"], at: "promise_grace_days", in: 0...365, into: &policy.promiseGraceDays)
        reader.int(root["followup_due_days"], at: "followup_due_days", in: 0...365, into: &policy.followupDueDays)
        if let document = root["reminder_days_before_due"],
           let days = reader.reminderDays(document, at: "reminder_days_before_due") {
            policy.reminderDaysBeforeDue = days
        }
        if let document = root["segmentation"],
           let segmentation = reader.segmentation(document, at: "segmentation", over: policy.segmentation) {
            policy.segmentation = segmentation
        }
        if let document = root["playbooks"], let playbooks = reader.playbooks(document, at: "playbooks", over: policy) {
            policy.playbooks = playbooks
        }
        // The version a read answered, sent back with the document: the store numbers versions,
        // and `If-Match` is what makes a change conditional, so it is only checked for its type.
        var version = 0
        reader.int(root["version"], at: "version", in: 0...Int.max, into: &version)
        try reader.throwIfAny()
        return policy
    }
}

extension JurisdictionProfile {
    public var json: JSONValue {
        .object([
            ("contact_hours", .object([("start", .string(ContactHours.text(minute: contactHours.startMinute))),
                                       ("end", .string(ContactHours.text(minute: contactHours.endMinute)))])),
            ("call_frequency", callFrequency.map { $0.json(countKey: "max_attempts") } ?? .null),
            ("conversation_cooldown_days", conversationCooldownDays.map { .int($0) } ?? .null),
            ("daily_rpc_limit", dailyRPCLimit.map { .int($0) } ?? .null),
            ("daily_unanswered_per_number", dailyUnansweredPerNumber.map { .int($0) } ?? .null),
            ("third_party_reached_days", thirdPartyReachedDays.map { .int($0) } ?? .null),
            ("sms_frequency", smsFrequency.json(countKey: "max_messages")),
        ])
    }
}

extension FrequencyLimit {
    fileprivate func json(countKey: String) -> JSONValue {
        .object([(countKey, .int(maxCount)), ("window_days", .int(windowDays))])
    }
}

extension JSONValue {
    fileprivate static func int(_ value: Int) -> JSONValue { .number(String(value)) }
}
