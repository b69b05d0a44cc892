/// Reads the policy document field by field, collecting every error with its path instead of
/// stopping at the first, and refusing keys the policy does not know.
struct PolicyDocumentReader {
    var failure = ValidationFailure()
    /// The fields among `failure`'s whose value had the wrong JSON type: any of them makes the
    /// whole document a malformed request (400) rather than one the rules refuse (422).
    var wrongTypes = ValidationFailure()

    static let policyKeys = ["jurisdictions", "prohibited_terms", "debt_terms", "max_agent_discount_percent", "grace_days",
                             "promise_grace_days", "reminder_days_before_due", "followup_due_days", "segmentation",
                             "playbooks", "version"]
    static let profileKeys = ["contact_hours", "call_frequency", "conversation_cooldown_days", "daily_rpc_limit",
                              "daily_unanswered_per_number", "third_party_reached_days", "sms_frequency"]
    /// Counts and day spans are bounded so one history query stays small.
    static let countRange = 1...1_000
    static let dayRange = 1...366
    static let maxTerms = 2_000
    static let maxTermLength = 200

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// Reports `value` at `path` as not what it must be: a wrong JSON type, unless it is null (a
    /// required value that is null is refused like an absent one).
    mutating func mistyped(_ value: JSONValue, at path: String, _ message: String) {
        failure.add(path, message)
        if case .null = value { return }
        wrongTypes.add(path, message)
    }

    /// Reports `value` at `path` as failing: a wrong JSON type when it is not a string (a time of
    /// day, a tone, a team name, an action must be one), else a string the rules refuse.
    mutating func refuseText(_ value: JSONValue, at path: String, _ message: String) {
        if value.string == nil { mistyped(value, at: path, message) } else { failure.add(path, message) }
    }

    /// Throws what was found, naming every failing field: as a malformed document when a value
    /// had the wrong JSON type, else as one the rules refuse.
    func throwIfAny() throws {
        if !wrongTypes.isEmpty { throw WrongJSONType(failure.errors) }
        try failure.throwIfAny()
    }

    /// The members of an object, after reporting any key outside `keys` (nil: any key is fine).
    mutating func object(_ value: JSONValue, at path: String, keys: [String]?) -> [(String, JSONValue)]? {
        guard case .object(let members) = value else {
            if path.isEmpty {
                // The document itself: `null` is no more an object than `[]` is (400, as on every route).
                failure.add("policy", "must be an object")
                wrongTypes.add("policy", "must be an object")
            } else {
                mistyped(value, at: path, "must be an object")
            }
            return nil
        }
        if let keys {
            for (key, _) in members where !keys.contains(key) {
                failure.add(Self.join(path, key), "is not a policy setting")
            }
        }
        return members
    }

    mutating func profile(_ value: JSONValue, at path: String, over base: JurisdictionProfile) -> JurisdictionProfile? {
        guard let members = object(value, at: path, keys: Self.profileKeys) else { return nil }
        let errorsBefore = failure.errors.count
        var profile = base
        if let hours = members["contact_hours"] {
            profile.contactHours = contactHours(hours, at: path + ".contact_hours", over: base.contactHours)
        }
        if let calls = members["call_frequency"] {
            profile.callFrequency = optionalFrequency(calls, at: path + ".call_frequency", countKey: "max_attempts",
                                                      over: base.callFrequency)
        }
        optionalInt(members["conversation_cooldown_days"], at: path + ".conversation_cooldown_days", in: Self.dayRange,
                    into: &profile.conversationCooldownDays)
        optionalInt(members["daily_rpc_limit"], at: path + ".daily_rpc_limit", in: Self.countRange,
                    into: &profile.dailyRPCLimit)
        optionalInt(members["daily_unanswered_per_number"], at: path + ".daily_unanswered_per_number", in: Self.countRange,
                    into: &profile.dailyUnansweredPerNumber)
        optionalInt(members["third_party_reached_days"], at: path + ".third_party_reached_days", in: Self.dayRange,
                    into: &profile.thirdPartyReachedDays)
        if let sms = members["sms_frequency"] {
            if case .null = sms {
                failure.add(path + ".sms_frequency", "must be an object; the sms limit applies in every jurisdiction")
            } else if let limit = frequency(sms, at: path + ".sms_frequency", countKey: "max_messages",
                                            over: base.smsFrequency) {
                profile.smsFrequency = limit
            }
        }
        return failure.errors.count == errorsBefore ? profile : nil
    }

    private mutating func contactHours(_ value: JSONValue, at path: String, over base: ContactHours) -> ContactHours {
        guard let members = object(value, at: path, keys: ["start", "end"]) else { return base }
        var hours = base
        var bothValid = true
        if let start = members["start"] {
            if let minute = start.string.flatMap(ContactHours.minute(from:)), minute < 1_440 {
                hours.startMinute = minute
            } else {
                refuseText(start, at: path + ".start", "must be a time of day HH:MM from 00:00 to 23:59")
                bothValid = false
            }
        }
        if let end = members["end"] {
            if let minute = end.string.flatMap(ContactHours.minute(from:)) {
                hours.endMinute = minute
            } else {
                refuseText(end, at: path + ".end", "must be a time of day HH:MM from 00:01 to 24:00")
                bothValid = false
            }
        }
        if bothValid, hours.endMinute <= hours.startMinute {
            let start = ContactHours.text(minute: hours.startMinute)
            failure.add(path + ".end", "must be after start (\(start)); windows cannot span midnight")
        }
        return hours
    }

    private mutating func optionalFrequency(_ value: JSONValue, at path: String, countKey: String,
                                            over base: FrequencyLimit?) -> FrequencyLimit? {
        if case .null = value { return nil }
        return frequency(value, at: path, countKey: countKey, over: base)
    }

    private mutating func frequency(_ value: JSONValue, at path: String, countKey: String,
                                    over base: FrequencyLimit?) -> FrequencyLimit? {
        guard let members = object(value, at: path, keys: [countKey, "window_days"]) else { return base }
        var count = base?.maxCount
        var days = base?.windowDays
        optionalInt(members[countKey], at: path + "." + countKey, in: Self.countRange, into: &count, nullable: false)
        optionalInt(members["window_days"], at: path + ".window_days", in: Self.dayRange, into: &days, nullable: false)
        if count == nil, members[countKey] == nil { failure.add(path + "." + countKey, "is required") }
        if days == nil, members["window_days"] == nil { failure.add(path + ".window_days", "is required") }
        guard let count, let days else { return base }
        return FrequencyLimit(maxCount: count, windowDays: days)
    }

    /// Reads an integer when present; absent leaves `target` as it is.
    mutating func int(_ value: JSONValue?, at path: String, in range: ClosedRange<Int>, into target: inout Int) {
        guard let value else { return }
        if let number = integer(value, at: path, in: range) { target = number }
    }

    /// Reads an integer or (when `nullable`) null, which switches the rule off.
    mutating func optionalInt(_ value: JSONValue?, at path: String, in range: ClosedRange<Int>,
                                      into target: inout Int?, nullable: Bool = true) {
        guard let value else { return }
        if case .null = value {
            if nullable { target = nil } else { failure.add(path, "must be an integer") }
            return
        }
        if let number = integer(value, at: path, in: range) { target = number }
    }

    mutating func integer(_ value: JSONValue, at path: String, in range: ClosedRange<Int>) -> Int? {
        let message = "must be a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard case .number = value else {
            mistyped(value, at: path, "must be an integer")
            return nil
        }
        guard let number = value.exactInt64 else {
            // A fraction where an integer is required is a wrong type; a whole number too large
            // for 64 bits is merely out of range (as in any other body).
            if value.isIntegral { failure.add(path, message) } else { mistyped(value, at: path, message) }
            return nil
        }
        guard let exact = Int(exactly: number), range.contains(exact) else {
            failure.add(path, message)
            return nil
        }
        return exact
    }

    /// A list of terms; each must still say something once normalised the way it will be matched.
    mutating func terms(_ value: JSONValue, at path: String, normalize: (String) -> String) -> [String]? {
        guard case .array(let items) = value else {
            mistyped(value, at: path, "must be an array of strings")
            return nil
        }
        guard items.count <= Self.maxTerms else {
            failure.add(path, "must have at most \(Self.maxTerms) terms")
            return nil
        }
        var terms: [String] = []
        var valid = true
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let term = item.string else {
                mistyped(item, at: itemPath, "must be a string")
                valid = false
                continue
            }
            if normalize(term).isEmpty || term.unicodeScalars.count > Self.maxTermLength {
                failure.add(itemPath, "must contain a letter or digit and be at most \(Self.maxTermLength) characters")
                valid = false
            }
            terms.append(term)
        }
        return valid ? terms : nil
    }

    mutating func reminderDays(_ value: JSONValue, at path: String) -> [Int]? {
        guard case .array(let items) = value else {
            mistyped(value, at: path, "must be an array of whole numbers of days")
            return nil
        }
        guard items.count <= 10 else {
            failure.add(path, "must have at most 10 entries")
            return nil
        }
        let errorsBefore = failure.errors.count
        var days: [Int] = []
        for (index, item) in items.enumerated() {
            guard let day = integer(item, at: "\(path)[\(index)]", in: 0...365) else { continue }
            if days.contains(day) { failure.add("\(path)[\(index)]", "repeats \(day)") }
            days.append(day)
        }
        return failure.errors.count == errorsBefore ? days : nil
    }
}

extension [(String, JSONValue)] {
    /// The value of member `key` of an object's members.
    subscript(key: String) -> JSONValue? { first { $0.0 == key }?.1 }
}
