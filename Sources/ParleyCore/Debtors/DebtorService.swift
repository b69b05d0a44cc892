/// Debtors (contract §4): validated contact data, masked national ids, audited restrictions.
public struct DebtorService: Sendable {
    private let store: any DebtorStore
    private let ids: IDGenerator
    private let clock: WallClock
    private let changes: CaseChangeFeed

    public init(store: any DebtorStore, ids: IDGenerator, clock: WallClock, changes: CaseChangeFeed = .silent) {
        self.changes = changes
        self.store = store
        self.ids = ids
        self.clock = clock
    }

    /// What a client sends to create or change a debtor; nil members are left alone on change.
    public struct Draft: Sendable {
        public var externalRef: String??
        public var name: String?
        public var timezone: String?
        public var language: String??
        public var phones: [Phone]?
        public var emails: [Email]?
        public var address: Address??
        public var nationalID: String??
        public var restrictions: RestrictionChanges?
        public init() {}

        /// The values as stored: trimmed of White_Space at both ends (lengths were checked as sent).
        var trimmed: Draft {
            var draft = self
            draft.externalRef = externalRef.map { $0?.trimmingSpaces }
            draft.name = name?.trimmingSpaces
            draft.language = language.map { $0?.trimmingSpaces }
            draft.nationalID = nationalID.map { $0?.trimmingSpaces }
            draft.address = address.map { $0?.trimmed }
            return draft
        }
    }

    /// Restriction fields to change; nil members are left alone.
    public struct RestrictionChanges: Sendable {
        public var ceaseCommunication: Bool?
        public var attorneyRepresented: Bool?
        public var attorney: JSONValue?
        public var bankruptcy: Bool?
        public var deceased: Bool?
        public var vulnerable: Bool?
        public var breathingSpaceUntil: CalendarDate??
        public init() {}
    }

    public static func validate(_ draft: Draft, creating: Bool) -> ValidationFailure {
        var failure = ValidationFailure()
        if let name = draft.name {
            if name.trimmingSpaces.isEmpty { failure.add("name", "must not be empty") }
            if name.unicodeScalars.count > 200 { failure.add("name", "must be at most 200 characters") }
        } else if creating {
            failure.add("name", "is required")
        }
        if let timezone = draft.timezone {
            if !Validators.isTimeZone(timezone) { failure.add("timezone", "must be an IANA time zone such as Asia/Shanghai") }
        } else if creating {
            failure.add("timezone", "is required")
        }
        if case .some(.some(let ref)) = draft.externalRef, ref.trimmingSpaces.isEmpty || ref.unicodeScalars.count > 100 {
            failure.add("external_ref", "must be 1 to 100 characters")
        }
        if case .some(.some(let language)) = draft.language, language.trimmingSpaces.isEmpty || language.unicodeScalars.count > 35 {
            failure.add("language", "must be a language tag such as zh-CN")
        }
        for (index, phone) in (draft.phones ?? []).enumerated() where !Validators.isE164(phone.number) {
            failure.add("phones[\(index)].number", "must be an E.164 number such as +8613800138000")
        }
        if (draft.phones?.count ?? 0) > 10 { failure.add("phones", "at most 10 phone numbers") }
        for (index, email) in (draft.emails ?? []).enumerated() where !Validators.isEmail(email.address) {
            failure.add("emails[\(index)].address", "must be an e-mail address")
        }
        if (draft.emails?.count ?? 0) > 10 { failure.add("emails", "at most 10 addresses") }
        if case .some(.some(let address)) = draft.address, let country = address.country, !Validators.isCountryCode(country) {
            failure.add("address.country", "must be an ISO 3166 country code such as CN")
        }
        if case .some(.some(let id)) = draft.nationalID, id.trimmingSpaces.isEmpty || id.unicodeScalars.count > 64 {
            failure.add("national_id", "must be 1 to 64 characters")
        }
        let texts: [(String, String?)] = [("name", draft.name), ("external_ref", draft.externalRef ?? nil),
                                          ("language", draft.language ?? nil), ("national_id", draft.nationalID ?? nil)]
        for case let (field, text?) in texts where Validators.hasControlCharacters(text) {
            failure.add(field, "must not contain control characters")
        }
        return failure
    }

    public func create(_ draft: Draft, by actor: Principal) throws -> Debtor {
        try actor.require(.writeDebtorsAndCases)
        if draft.restrictions != nil { try actor.require(.changeRestrictions) }
        try Self.validate(draft, creating: true).throwIfAny()
        let now = clock.now()
        var restrictions = Restrictions()
        if let changes = draft.restrictions { _ = Self.apply(changes, to: &restrictions) }
        guard let name = draft.name, let timezone = draft.timezone else {
            throw ValidationFailure(draft.name == nil ? "name" : "timezone", "is required")
        }
        let draft = draft.trimmed
        let debtor = Debtor(
            id: ids.make("dbt"), externalRef: draft.externalRef ?? nil, name: name.trimmingSpaces,
            timezone: timezone, language: draft.language ?? nil, phones: draft.phones ?? [], emails: draft.emails ?? [],
            address: draft.address ?? nil, nationalID: draft.nationalID ?? nil, restrictions: restrictions, version: 1,
            createdAt: now, updatedAt: now)
        try store.insert(debtor, audit: AuditRecord(
            action: .debtorCreated, entity: "debtor", entityID: debtor.id,
            detail: .object([
                ("external_ref", debtor.externalRef.map(JSONValue.string) ?? .null),
                // Restrictions are legal evidence (a cease request, a bankruptcy): on record from the start.
                ("restrictions", .object(RestrictionName.allCases.map { ($0.rawValue, restrictions.value(of: $0)) })),
            ])), actor: actor)
        return debtor
    }

    public func get(_ id: DebtorID, by actor: Principal) throws -> Debtor {
        try actor.require(.readCases)
        guard let debtor = try store.debtor(id: id) else { throw DomainError.notFound("debtor \(id)") }
        if actor.isLimitedToOwnCases, try !store.debtorIsVisible(id, scope: CaseScope(actor)) {
            throw DomainError.notFound("debtor \(id)")
        }
        return debtor
    }

    public func list(_ filter: DebtorFilter, page: PageRequest, by actor: Principal) throws -> Page<Debtor> {
        try actor.require(.readCases)
        return try store.debtors(filter, scope: CaseScope(actor), page: page)
    }

    /// Changes contact data (supervisor, admin) and/or restrictions (supervisor, compliance, admin).
    public func update(_ id: DebtorID, draft: Draft, ifMatch versions: Set<Int64>?, by actor: Principal) throws -> Debtor {
        try update(id, ifMatch: versions, by: actor) { draft }
    }

    /// The same with the change `decode` gives, called once the caller is known to change debtors
    /// at all (403 otherwise) and to see this one (404 otherwise): those answers come first,
    /// whatever the body says.
    public func update(_ id: DebtorID, ifMatch versions: Set<Int64>?, by actor: Principal, _ decode: () throws -> Draft) throws -> Debtor {
        guard Permission.writeDebtorsAndCases.allows(actor.role) || Permission.changeRestrictions.allows(actor.role) else {
            throw DomainError.forbidden("the \(actor.role.rawValue) role may not change debtors")
        }
        var debtor = try get(id, by: actor)
        let sent = try decode()
        let changesContactData = sent.externalRef != nil || sent.name != nil || sent.timezone != nil || sent.language != nil
            || sent.phones != nil || sent.emails != nil || sent.address != nil || sent.nationalID != nil
        if changesContactData { try actor.require(.writeDebtorsAndCases) }
        if sent.restrictions != nil || !changesContactData { try actor.require(.changeRestrictions) }
        let old = debtor
        if let versions, !versions.contains(debtor.version) {
            throw DomainError.preconditionFailed("debtor \(id) is at version \(debtor.version)")
        }
        try Self.validate(sent, creating: false).throwIfAny()
        let draft = sent.trimmed
        let expected = debtor.version
        if let ref = draft.externalRef { debtor.externalRef = ref }
        if let name = draft.name { debtor.name = name.trimmingSpaces }
        if let timezone = draft.timezone { debtor.timezone = timezone }
        if let language = draft.language { debtor.language = language }
        if let phones = draft.phones { debtor.phones = phones }
        if let emails = draft.emails { debtor.emails = emails }
        if let address = draft.address { debtor.address = address }
        if let nationalID = draft.nationalID { debtor.nationalID = nationalID }
        var changed: [RestrictionName] = []
        if let changes = draft.restrictions { changed = Self.apply(changes, to: &debtor.restrictions) }
        debtor.updatedAt = clock.now()
        let (audit, events) = Self.records(from: old, to: debtor, changedRestrictions: changed, actor: actor)
        // A PATCH that changes nothing is not a mutation: no new version, no audit entry.
        guard !audit.isEmpty || !events.isEmpty else { return old }
        debtor.version += 1
        try versionedWrite(conditional: versions != nil) {
            try store.update(debtor, expectedVersion: expected, audit: audit, eventsOnEveryCase: events, actor: actor)
        }
        if !changed.isEmpty { changes.debtorChanged(debtor.id) }
        return debtor
    }

    /// The audit entries of a debtor change: one for contact data (field names only, never values:
    /// they are personal data), one per restriction with old and new value; and a timeline event
    /// per restriction for each of the debtor's cases.
    static func records(from old: Debtor, to new: Debtor, changedRestrictions: [RestrictionName],
                        actor: Principal) -> ([AuditRecord], [TimelineEvent]) {
        var audit: [AuditRecord] = []
        let fields = changedContactFields(old, new)
        if !fields.isEmpty {
            audit.append(AuditRecord(action: .debtorUpdated, entity: "debtor", entityID: new.id,
                                     detail: .object([("fields", .array(fields.map(JSONValue.string)))])))
        }
        var events: [TimelineEvent] = []
        for name in changedRestrictions {
            audit.append(AuditRecord(action: .debtorRestrictionChanged, entity: "debtor", entityID: new.id, detail: .object([
                ("restriction", .string(name.rawValue)), ("from", old.restrictions.value(of: name)),
                ("to", new.restrictions.value(of: name)),
            ])))
            events.append(TimelineEvent(at: new.updatedAt, kind: .restrictionChanged, actor: actor.userID,
                                        summary: "Restriction \(name.rawValue) set to \(new.restrictions.value(of: name).compact)",
                                        ref: new.id))
        }
        return (audit, events)
    }

    static func changedContactFields(_ old: Debtor, _ new: Debtor) -> [String] {
        var fields: [String] = []
        if old.externalRef != new.externalRef { fields.append("external_ref") }
        if old.name != new.name { fields.append("name") }
        if old.timezone != new.timezone { fields.append("timezone") }
        if old.language != new.language { fields.append("language") }
        if old.phones != new.phones { fields.append("phones") }
        if old.emails != new.emails { fields.append("emails") }
        if old.address != new.address { fields.append("address") }
        if old.nationalID != new.nationalID { fields.append("national_id") }
        return fields
    }

    /// Applies restriction changes; returns the names of the fields whose value changed.
    static func apply(_ changes: RestrictionChanges, to restrictions: inout Restrictions) -> [RestrictionName] {
        var changed: [RestrictionName] = []
        func set<T: Equatable>(_ keyPath: WritableKeyPath<Restrictions, T>, _ value: T?, _ name: RestrictionName) {
            guard let value, restrictions[keyPath: keyPath] != value else { return }
            restrictions[keyPath: keyPath] = value
            changed.append(name)
        }
        set(\.ceaseCommunication, changes.ceaseCommunication, .ceaseCommunication)
        set(\.attorneyRepresented, changes.attorneyRepresented, .attorneyRepresented)
        set(\.attorney, changes.attorney, .attorney)
        set(\.bankruptcy, changes.bankruptcy, .bankruptcy)
        set(\.deceased, changes.deceased, .deceased)
        set(\.vulnerable, changes.vulnerable, .vulnerable)
        if let until = changes.breathingSpaceUntil, restrictions.breathingSpaceUntil != until {
            restrictions.breathingSpaceUntil = until
            changed.append(.breathingSpaceUntil)
        }
        return changed
    }
}
