/// Debtors (contract §4): validated contact data, masked national ids, audited restrictions.
public struct DebtorService: Sendable {
    private let store: any DebtorStore
    private let ids: IDGenerator
    private let clock: WallClock

    public init(store: any DebtorStore, ids: IDGenerator, clock: WallClock) {
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

    static func validate(_ draft: Draft, creating: Bool) -> ValidationFailure {
        var failure = ValidationFailure()
        if let name = draft.name {
            if name.trimmingSpaces.isEmpty { failure.add("name", "must not be empty") }
            if name.count > 200 { failure.add("name", "must be at most 200 characters") }
        } else if creating {
            failure.add("name", "is required")
        }
        if let timezone = draft.timezone {
            if !Validators.isTimeZone(timezone) { failure.add("timezone", "must be an IANA time zone such as Asia/Shanghai") }
        } else if creating {
            failure.add("timezone", "is required")
        }
        if case .some(.some(let ref)) = draft.externalRef, ref.trimmingSpaces.isEmpty || ref.count > 100 {
            failure.add("external_ref", "must be 1 to 100 characters")
        }
        if case .some(.some(let language)) = draft.language, language.isEmpty || language.count > 35 {
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
        if case .some(.some(let id)) = draft.nationalID, id.isEmpty || id.count > 64 {
            failure.add("national_id", "must be 1 to 64 characters")
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
        let debtor = Debtor(
            id: ids.make("dbt"), externalRef: draft.externalRef ?? nil, name: draft.name!.trimmingSpaces,  // validated
            timezone: draft.timezone!, language: draft.language ?? nil, phones: draft.phones ?? [], emails: draft.emails ?? [],
            address: draft.address ?? nil, nationalID: draft.nationalID ?? nil, restrictions: restrictions, version: 1,
            createdAt: now, updatedAt: now)
        try store.insert(debtor, actor: actor)
        return debtor
    }

    public func get(_ id: String, by actor: Principal) throws -> Debtor {
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
    public func update(_ id: String, draft: Draft, ifMatch version: Int64?, by actor: Principal) throws -> Debtor {
        let changesContactData = draft.externalRef != nil || draft.name != nil || draft.timezone != nil || draft.language != nil
            || draft.phones != nil || draft.emails != nil || draft.address != nil || draft.nationalID != nil
        if changesContactData { try actor.require(.writeDebtorsAndCases) }
        if draft.restrictions != nil { try actor.require(.changeRestrictions) }
        if !changesContactData && draft.restrictions == nil { try actor.require(.changeRestrictions) }
        var debtor = try get(id, by: actor)
        if let version, version != debtor.version {
            throw DomainError.preconditionFailed("debtor \(id) is at version \(debtor.version)")
        }
        try Self.validate(draft, creating: false).throwIfAny()
        let expected = debtor.version
        if let ref = draft.externalRef { debtor.externalRef = ref }
        if let name = draft.name { debtor.name = name.trimmingSpaces }
        if let timezone = draft.timezone { debtor.timezone = timezone }
        if let language = draft.language { debtor.language = language }
        if let phones = draft.phones { debtor.phones = phones }
        if let emails = draft.emails { debtor.emails = emails }
        if let address = draft.address { debtor.address = address }
        if let nationalID = draft.nationalID { debtor.nationalID = nationalID }
        var changed: [String] = []
        if let changes = draft.restrictions { changed = Self.apply(changes, to: &debtor.restrictions) }
        debtor.version += 1
        debtor.updatedAt = clock.now()
        try store.update(debtor, expectedVersion: expected, changedRestrictions: changed, actor: actor)
        return debtor
    }

    /// Applies restriction changes; returns the names of the fields whose value changed.
    static func apply(_ changes: RestrictionChanges, to restrictions: inout Restrictions) -> [String] {
        var changed: [String] = []
        func set<T: Equatable>(_ keyPath: WritableKeyPath<Restrictions, T>, _ value: T?, _ name: String) {
            guard let value, restrictions[keyPath: keyPath] != value else { return }
            restrictions[keyPath: keyPath] = value
            changed.append(name)
        }
        set(\.ceaseCommunication, changes.ceaseCommunication, "cease_communication")
        set(\.attorneyRepresented, changes.attorneyRepresented, "attorney_represented")
        set(\.attorney, changes.attorney, "attorney")
        set(\.bankruptcy, changes.bankruptcy, "bankruptcy")
        set(\.deceased, changes.deceased, "deceased")
        set(\.vulnerable, changes.vulnerable, "vulnerable")
        if let until = changes.breathingSpaceUntil, restrictions.breathingSpaceUntil != until {
            restrictions.breathingSpaceUntil = until
            changed.append("breathing_space_until")
        }
        return changed
    }
}
