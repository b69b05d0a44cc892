/// A person who owes money on one or more cases.
public struct Debtor: Sendable, Equatable {
    public let id: DebtorID
    public var externalRef: String?
    public var name: String
    /// IANA zone: every debtor-local rule (contact hours, reminders) reasons in it.
    public var timezone: String
    public var language: String?
    public var phones: [Phone]
    public var emails: [Email]
    public var address: Address?
    /// Stored for matching and legal use; never returned beyond its last four characters.
    public var nationalID: String?
    public var restrictions: Restrictions
    public var version: Int64
    public let createdAt: Instant
    public var updatedAt: Instant

    public init(id: DebtorID, externalRef: String?, name: String, timezone: String, language: String?, phones: [Phone],
                emails: [Email], address: Address?, nationalID: String?, restrictions: Restrictions, version: Int64,
                createdAt: Instant, updatedAt: Instant) {
        self.id = id
        self.externalRef = externalRef
        self.name = name
        self.timezone = timezone
        self.language = language
        self.phones = phones
        self.emails = emails
        self.address = address
        self.nationalID = nationalID
        self.restrictions = restrictions
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// `****1234`: what any response may show of the national id.
    public var maskedNationalID: String? {
        guard let nationalID, !nationalID.isEmpty else { return nil }
        // The last four, unless that would be the whole value (contract §4: never returned in full).
        return nationalID.count > 4 ? "****" + String(nationalID.suffix(4)) : "****"
    }
}

public struct Phone: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case mobile, landline, work, home, other }
    public var number: String
    public var type: Kind
    public var consentCalls: Bool
    public var consentSMS: Bool
    public init(number: String, type: Kind, consentCalls: Bool, consentSMS: Bool) {
        self.number = number
        self.type = type
        self.consentCalls = consentCalls
        self.consentSMS = consentSMS
    }
}

public struct Email: Sendable, Equatable {
    public var address: String
    public var optedOut: Bool
    public init(address: String, optedOut: Bool) {
        self.address = address
        self.optedOut = optedOut
    }
}

public struct Address: Sendable, Equatable {
    /// Each line trimmed of White_Space at both ends, as stored; a blank line is no line.
    public var trimmed: Address {
        func clean(_ line: String?) -> String? { line.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 } }
        return Address(line1: clean(line1), line2: clean(line2), city: clean(city), region: clean(region),
                       postalCode: clean(postalCode), country: clean(country))
    }

    public var line1: String?
    public var line2: String?
    public var city: String?
    public var region: String?
    public var postalCode: String?
    public var country: String?
    public init(line1: String?, line2: String?, city: String?, region: String?, postalCode: String?, country: String?) {
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
    }
}

/// The names of the restrictions, as the API and the audit log spell them.
public enum RestrictionName: String, Sendable, CaseIterable {
    case ceaseCommunication = "cease_communication"
    case attorneyRepresented = "attorney_represented"
    case attorney
    case bankruptcy
    case deceased
    case vulnerable
    case breathingSpaceUntil = "breathing_space_until"
}

/// Legal and welfare restrictions on contacting a debtor (contract §4, §7).
public struct Restrictions: Sendable, Equatable {
    public var ceaseCommunication = false
    public var attorneyRepresented = false
    /// Free-form details of the attorney (name, firm, phone), as the client sends them.
    public var attorney: JSONValue = .null
    public var bankruptcy = false
    public var deceased = false
    public var vulnerable = false
    public var breathingSpaceUntil: CalendarDate?

    public init() {}

    /// One restriction's value as JSON (for the audit log and the timeline).
    public func value(of name: RestrictionName) -> JSONValue {
        switch name {
        case .ceaseCommunication: .bool(ceaseCommunication)
        case .attorneyRepresented: .bool(attorneyRepresented)
        case .attorney: attorney
        case .bankruptcy: .bool(bankruptcy)
        case .deceased: .bool(deceased)
        case .vulnerable: .bool(vulnerable)
        case .breathingSpaceUntil: breathingSpaceUntil.map { .string($0.description) } ?? .null
        }
    }

    /// The restriction names that stop outreach or call for a specialist (for assessments).
    public func activeReasons(today: CalendarDate) -> [String] {
        var reasons: [String] = []
        if ceaseCommunication { reasons.append("cease_communication") }
        if attorneyRepresented { reasons.append("attorney_represented") }
        if bankruptcy { reasons.append("bankruptcy") }
        if deceased { reasons.append("deceased") }
        if let until = breathingSpaceUntil, today < until { reasons.append("breathing_space") }
        if vulnerable { reasons.append("vulnerable") }
        return reasons
    }
}

public struct DebtorFilter: Sendable {
    public var query: String?
    public var segment: String?
    public init(query: String? = nil, segment: String? = nil) {
        self.query = query
        self.segment = segment
    }
}

public protocol DebtorStore: Sendable {
    /// Inserts a debtor with its audit entry; a taken `external_ref` is `conflict`.
    func insert(_ debtor: Debtor, audit: AuditRecord, actor: Principal) throws
    func debtor(id: DebtorID) throws -> Debtor?
    /// Saves a changed debtor if its version is still `expectedVersion`, with its audit entries and
    /// the events to show on the timeline of each of the debtor's cases, in one transaction.
    func update(_ debtor: Debtor, expectedVersion: Int64, audit: [AuditRecord], eventsOnEveryCase: [TimelineEvent],
                actor: Principal) throws
    func debtors(_ filter: DebtorFilter, scope: CaseScope, page: PageRequest) throws -> Page<Debtor>
    /// Whether the debtor has a case inside `scope` (agents see debtors through their cases).
    func debtorIsVisible(_ id: DebtorID, scope: CaseScope) throws -> Bool
}
