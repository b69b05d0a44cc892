/// A debt account placed with the agency for one debtor.
public struct DebtCase: Sendable, Equatable {
    public let id: CaseID
    public let debtorID: DebtorID
    public let creditor: String
    public let externalRef: String
    public let currency: String
    public var balance: Balance
    public let delinquentSince: CalendarDate
    public let jurisdiction: String
    public var assignedTo: String?
    public var team: String?
    public var priority: Priority
    public var tags: [String]
    public var status: CaseStatus
    /// The status before `paid` or a `settled` close, restored by a payment reversal.
    public var statusBefore: CaseStatus?
    public var closeReason: CloseReason?
    public var segment: Segment
    public var segmentOverride: Segment?
    public var version: Int64
    public let createdAt: Instant
    public var updatedAt: Instant

    public init(id: CaseID, debtorID: DebtorID, creditor: String, externalRef: String, currency: String, balance: Balance,
                delinquentSince: CalendarDate, jurisdiction: String, assignedTo: String?, team: String?, priority: Priority,
                tags: [String], status: CaseStatus, statusBefore: CaseStatus?, closeReason: CloseReason?, segment: Segment,
                segmentOverride: Segment?, version: Int64, createdAt: Instant, updatedAt: Instant) {
        self.id = id
        self.debtorID = debtorID
        self.creditor = creditor
        self.externalRef = externalRef
        self.currency = currency
        self.balance = balance
        self.delinquentSince = delinquentSince
        self.jurisdiction = jurisdiction
        self.assignedTo = assignedTo
        self.team = team
        self.priority = priority
        self.tags = tags
        self.status = status
        self.statusBefore = statusBefore
        self.closeReason = closeReason
        self.segment = segment
        self.segmentOverride = segmentOverride
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The segment in force: an override wins over the rules.
    public var effectiveSegment: Segment { segmentOverride ?? segment }
}

public enum Priority: String, Sendable, CaseIterable { case low, normal, high, urgent }

public enum Segment: String, Sendable, CaseIterable { case high_willingness, wait_and_see, resistant, high_risk }

/// A debtor summary shown with a case.
public struct DebtorSummary: Sendable, Equatable {
    public let id: DebtorID
    public let name: String
    public let timezone: String
    public let restrictions: Restrictions
    public init(id: DebtorID, name: String, timezone: String, restrictions: Restrictions) {
        self.id = id
        self.name = name
        self.timezone = timezone
        self.restrictions = restrictions
    }
}

public struct CaseFilter: Sendable, Equatable {
    public var status: CaseStatus?
    public var segment: Segment?
    public var assignedTo: String?
    public var debtorID: DebtorID?
    public var team: String?
    public init(status: CaseStatus? = nil, segment: Segment? = nil, assignedTo: String? = nil, debtorID: DebtorID? = nil,
                team: String? = nil) {
        self.status = status
        self.segment = segment
        self.assignedTo = assignedTo
        self.debtorID = debtorID
        self.team = team
    }
}

/// One event on a case's timeline (contract §5): every module appends its events through
/// `CaseEventRecord` in the transaction of the change.
/// What a timeline event is about; one vocabulary for every writer.
public enum TimelineKind: String, Sendable, CaseIterable {
    case created, assigned, transition
    case disputeOpened = "dispute_opened"
    case disputeResolved = "dispute_resolved"
    case segmentOverride = "segment_override"
    case restrictionChanged = "restriction_changed"
    case communication
    case complianceAlert = "compliance_alert"
    case message
    case plan, payment, promise, adjustment
    case survey, feedback, followup, complaint
    case segment
    case portalLink = "portal_link"
}

public struct TimelineEvent: Sendable, Equatable {
    public let at: Instant
    public let kind: TimelineKind
    public let actor: String
    public let summary: String
    public let ref: String?
    /// The order among events at the same instant (the store's numbering; see `CaseStore.timeline`).
    public let sequence: Int64

    public init(at: Instant, kind: TimelineKind, actor: String, summary: String, ref: String?, sequence: Int64 = 0) {
        self.at = at
        self.kind = kind
        self.actor = actor
        self.summary = summary
        self.ref = ref
        self.sequence = sequence
    }

    /// `ref` may name any kind of record, so the event keeps it as text.
    public init<Entity>(at: Instant, kind: TimelineKind, actor: String, summary: String, ref: Identifier<Entity>?, sequence: Int64 = 0) {
        self.init(at: at, kind: kind, actor: actor, summary: summary, ref: ref?.rawValue, sequence: sequence)
    }

    /// Where this event stands in the timeline: `<milliseconds>:<sequence>`, the pagination key.
    public var position: String { "\(at.millisecondsSinceEpoch):\(sequence)" }

    /// Parses a `position`; nil when malformed.
    public static func parsePosition(_ text: String) -> (at: Int64, sequence: Int64)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let at = Int64(parts[0]), let sequence = Int64(parts[1]) else { return nil }
        return (at, sequence)
    }
}

public struct Dispute: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case open, upheld, rejected }
    public let id: DisputeID
    public let caseID: CaseID
    public let reason: String
    public var status: Status
    public var note: String?
    public let openedBy: String
    public let openedAt: Instant
    public var resolvedBy: String?
    public var resolvedAt: Instant?
    public init(id: DisputeID, caseID: CaseID, reason: String, status: Status, note: String?, openedBy: String,
                openedAt: Instant, resolvedBy: String?, resolvedAt: Instant?) {
        self.id = id
        self.caseID = caseID
        self.reason = reason
        self.status = status
        self.note = note
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
    }
}
