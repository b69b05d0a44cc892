import Foundation

/// A complaint about how a debt was collected (contract §10), handled on a clock: acknowledged
/// within a day, resolved within 15 days (7 when severe).
public struct Complaint: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case open, investigating, resolved, rejected

        /// open → investigating, resolved, rejected; investigating → resolved, rejected.
        public var allowedTargets: [Status] {
            switch self {
            case .open: [.investigating, .resolved, .rejected]
            case .investigating: [.resolved, .rejected]
            case .resolved, .rejected: []
            }
        }

        public var isFinal: Bool { self == .resolved || self == .rejected }
    }

    public enum Category: String, Sendable, CaseIterable {
        case harassment
        case wrongAmount = "wrong_amount"
        case privacy
        case staffAttitude = "staff_attitude"
        case thirdPartyContact = "third_party_contact"
        case other

        /// Categories that are also a compliance matter.
        public var opensAlert: Bool { self == .harassment || self == .thirdPartyContact }
    }

    public enum Severity: String, Sendable, CaseIterable { case low, medium, high }

    public let id: ComplaintID
    public let caseID: CaseID
    public let channel: ContactChannel
    public let category: Category
    public let description: String
    public let severity: Severity
    public var status: Status
    public let acknowledgeBy: Instant
    public let resolveBy: Instant
    public var acknowledgedAt: Instant?
    public var resolvedAt: Instant?
    public var resolution: String?
    /// When the SLA job found a deadline missed (acknowledge or resolve), with which.
    public var breachedAt: Instant?
    public var breaches: [String]
    public let createdBy: String
    public let createdAt: Instant
    public var updatedAt: Instant

    public init(id: ComplaintID, caseID: CaseID, channel: ContactChannel, category: Category, description: String, severity: Severity,
                status: Status, acknowledgeBy: Instant, resolveBy: Instant, acknowledgedAt: Instant? = nil, resolvedAt: Instant? = nil,
                resolution: String? = nil, breachedAt: Instant? = nil, breaches: [String] = [], createdBy: String, createdAt: Instant,
                updatedAt: Instant) {
        self.id = id
        self.caseID = caseID
        self.channel = channel
        self.category = category
        self.description = description
        self.severity = severity
        self.status = status
        self.acknowledgeBy = acknowledgeBy
        self.resolveBy = resolveBy
        self.acknowledgedAt = acknowledgedAt
        self.resolvedAt = resolvedAt
        self.resolution = resolution
        self.breachedAt = breachedAt
        self.breaches = breaches
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The deadlines missed as of `now`: not acknowledged by `acknowledge_by`, not closed by `resolve_by`.
    public func missedDeadlines(at now: Instant) -> [String] {
        guard !status.isFinal else { return [] }
        var missed: [String] = []
        if acknowledgedAt == nil, now > acknowledgeBy { missed.append("acknowledge") }
        if now > resolveBy { missed.append("resolve") }
        return missed
    }
}

public struct ComplaintFilter: Sendable {
    public var status: Complaint.Status?
    public var caseID: CaseID?
    /// Only complaints past a deadline as of `overdueAt`.
    public var overdueAt: Instant?
    public init(status: Complaint.Status? = nil, caseID: CaseID? = nil, overdueAt: Instant? = nil) {
        self.status = status
        self.caseID = caseID
        self.overdueAt = overdueAt
    }
}

public protocol ComplaintStore: Sendable {
    func insert(_ complaint: Complaint, alert: ComplianceAlert?, audit: [AuditRecord], events: [TimelineEvent], actor: Principal) throws
    func complaint(id: ComplaintID) throws -> Complaint?
    func complaints(_ filter: ComplaintFilter, scope: CaseScope, page: PageRequest) throws -> Page<Complaint>
    /// Saves a change if the complaint is still in `expected` status; false otherwise.
    func update(_ complaint: Complaint, expected: Complaint.Status, audit: AuditRecord?, event: TimelineEvent?, actor: Principal) throws -> Bool
    /// Open or investigating complaints with a deadline before `now` not yet marked for it.
    func unmarkedBreaches(at now: Instant) throws -> [Complaint]
}

/// Complaints (contract §10): SLA dates at intake, the transitions, the `complaint_sla` job, a
/// compliance alert for harassment and third-party contact, everything on the case timeline.
public struct ComplaintService: Sendable {
    private let store: any ComplaintStore
    private let cases: CaseService
    private let ids: IDGenerator
    private let clock: WallClock
    private let changes: CaseChangeFeed

    public init(store: any ComplaintStore, cases: CaseService, ids: IDGenerator, clock: WallClock,
                changes: CaseChangeFeed = .silent) {
        self.store = store
        self.cases = cases
        self.ids = ids
        self.clock = clock
        self.changes = changes
    }

    /// The checks of a new complaint's fields (nil: absent or failed to decode): the case must be
    /// one the caller sees (an id that names nothing is 422), the description 1 to 5000 characters.
    public func validateOpening(caseID: CaseID?, description: String?, by actor: Principal) -> ValidationFailure {
        var failure = ValidationFailure()
        if let caseID, (try? cases.visibleCase(caseID, by: actor)) == nil { failure.add("case_id", "names no case") }
        if let trimmed = description?.trimmingSpaces, trimmed.isEmpty || trimmed.unicodeScalars.count > 5_000 {
            failure.add("description", "must be 1 to 5000 characters")
        }
        return failure
    }

    public func open(caseID: CaseID, channel: ContactChannel, category: Complaint.Category, description: String,
                     severity: Complaint.Severity, by actor: Principal) throws -> Complaint {
        try actor.require(.openDisputesAndComplaints)
        try validateOpening(caseID: caseID, description: description, by: actor).throwIfAny()
        let trimmed = description.trimmingSpaces
        let now = clock.now()
        let complaint = Complaint(
            id: ids.make("cmp"), caseID: caseID, channel: channel, category: category, description: trimmed, severity: severity,
            status: .open, acknowledgeBy: now.adding(days: 1), resolveBy: now.adding(days: severity == .high ? 7 : 15),
            createdBy: actor.userID, createdAt: now, updatedAt: now)
        let alert = category.opensAlert ? ComplianceAlert(
            id: ids.make("alr"), caseID: caseID, communicationID: nil, rule: "complaint_" + category.rawValue,
            message: "A \(category.rawValue.replacingOccurrences(of: "_", with: " ")) complaint was made (\(complaint.id))",
            status: .open, createdAt: now) : nil
        var audit = [AuditRecord(action: .complaintOpened, entity: "complaint", entityID: complaint.id, detail: .object([
            ("case_id", .string(caseID.rawValue)), ("category", .string(category.rawValue)), ("severity", .string(severity.rawValue)),
            ("channel", .string(channel.rawValue)),
        ]))]
        var events = [TimelineEvent(at: now, kind: .complaint, actor: actor.userID,
                                    summary: "Complaint opened: \(category.rawValue), \(severity.rawValue)", ref: complaint.id)]
        if let alert {
            audit.append(AuditRecord(action: .complianceAlertOpened, entity: "compliance_alert", entityID: alert.id, detail: .object([
                ("case_id", .string(caseID.rawValue)), ("complaint_id", .string(complaint.id.rawValue)), ("rule", .string(alert.rule)),
            ])))
            events.append(TimelineEvent(at: now, kind: .complianceAlert, actor: Principal.system.userID,
                                        summary: "Compliance alert opened: \(alert.rule)", ref: alert.id))
        }
        try store.insert(complaint, alert: alert, audit: audit, events: events, actor: actor)
        changes.changed(caseID)
        return complaint
    }

    public func transition(_ id: ComplaintID, to target: Complaint.Status, resolution: String?, by actor: Principal) throws -> Complaint {
        try actor.require(.resolveDisputesAndComplaints)
        guard var complaint = try store.complaint(id: id), (try? cases.visibleCase(complaint.caseID, by: actor)) != nil else {
            throw DomainError.notFound("complaint \(id)")
        }
        let from = complaint.status
        guard from.allowedTargets.contains(target) else {
            throw DomainError.conflict("a complaint in status \(from.rawValue) cannot move to \(target.rawValue)",
                                       allowed: from.allowedTargets.map(\.rawValue))
        }
        if let resolution, resolution.unicodeScalars.count > 5_000 { throw ValidationFailure("resolution", "must be at most 5000 characters") }
        if target.isFinal, (resolution ?? "").trimmingSpaces.isEmpty {
            throw ValidationFailure("resolution", "closing a complaint needs a resolution")
        }
        let now = clock.now()
        complaint.status = target
        complaint.updatedAt = now
        if complaint.acknowledgedAt == nil { complaint.acknowledgedAt = now }
        if target.isFinal {
            complaint.resolvedAt = now
            complaint.resolution = resolution?.trimmingSpaces
        }
        guard try store.update(complaint, expected: from, audit: AuditRecord(
            action: .complaintTransitioned, entity: "complaint", entityID: id, detail: .object([
                ("case_id", .string(complaint.caseID.rawValue)), ("from", .string(from.rawValue)), ("to", .string(target.rawValue)),
                ("resolution", complaint.resolution.map(JSONValue.string) ?? .null),
            ])), event: TimelineEvent(at: now, kind: .complaint, actor: actor.userID,
                                      summary: "Complaint \(from.rawValue) → \(target.rawValue)", ref: id), actor: actor)
        else { throw DomainError.conflict("the complaint changed meanwhile; read it again") }
        changes.changed(complaint.caseID)
        return complaint
    }

    public func get(_ id: ComplaintID, by actor: Principal) throws -> Complaint {
        try actor.require(.readComplaintsAndFeedback)
        guard let complaint = try store.complaint(id: id), (try? cases.visibleCase(complaint.caseID, by: actor)) != nil else {
            throw DomainError.notFound("complaint \(id)")
        }
        return complaint
    }

    public func list(_ filter: ComplaintFilter, page: PageRequest, by actor: Principal) throws -> Page<Complaint> {
        try actor.require(.readComplaintsAndFeedback)
        // A case named in the filter must be one the actor sees, as on every list filtered by case.
        if let caseID = filter.caseID { _ = try cases.visibleCase(caseID, by: actor) }
        return try store.complaints(filter, scope: CaseScope(actor), page: page)
    }

    public var now: Instant { clock.now() }

    /// The `complaint_sla` job: marks each complaint the first time it is found past a deadline.
    public func runSLA(asOf: Instant) throws -> [(String, Int64)] {
        var acknowledge: Int64 = 0, resolve: Int64 = 0
        for var complaint in try store.unmarkedBreaches(at: asOf) {
            let missed = complaint.missedDeadlines(at: asOf)
            let new = missed.filter { !complaint.breaches.contains($0) }
            guard !new.isEmpty else { continue }
            let expected = complaint.status
            complaint.breaches += new
            complaint.breachedAt = asOf
            _ = try store.update(complaint, expected: expected, audit: AuditRecord(
                action: .complaintSLABreached, entity: "complaint", entityID: complaint.id, detail: .object([
                    ("case_id", .string(complaint.caseID.rawValue)), ("missed", .array(new.map(JSONValue.string))),
                ])), event: TimelineEvent(at: asOf, kind: .complaint, actor: Principal.system.userID,
                                          summary: "Complaint past its \(new.joined(separator: " and ")) deadline", ref: complaint.id),
                actor: .system)
            if new.contains("acknowledge") { acknowledge += 1 }
            if new.contains("resolve") { resolve += 1 }
        }
        return [("acknowledge_breaches", acknowledge), ("resolve_breaches", resolve)]
    }
}
