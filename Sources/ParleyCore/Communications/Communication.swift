/// One contact with a debtor, as it happened: the permanent record (contract §6). Never changed
/// or deleted once stored.
public struct Communication: Sendable, Equatable {
    public let id: CommunicationID
    public let caseID: CaseID
    public let debtorID: DebtorID
    public let channel: ContactChannel
    public let direction: ContactDirection
    public let outcome: ContactOutcome
    public let occurredAt: Instant
    public let durationSeconds: Int64?
    public let summary: String?
    public let content: String?
    /// The phone number or address used.
    public let to: String?
    /// The judgement at write time; nil for inbound contacts, which are not judged.
    public let compliance: ComplianceVerdict?
    public let recordedBy: String
    public let recordedAt: Instant

    public init(id: CommunicationID, caseID: CaseID, debtorID: DebtorID, channel: ContactChannel, direction: ContactDirection,
                outcome: ContactOutcome, occurredAt: Instant, durationSeconds: Int64?, summary: String?, content: String?,
                to: String?, compliance: ComplianceVerdict?, recordedBy: String, recordedAt: Instant) {
        self.id = id
        self.caseID = caseID
        self.debtorID = debtorID
        self.channel = channel
        self.direction = direction
        self.outcome = outcome
        self.occurredAt = occurredAt
        self.durationSeconds = durationSeconds
        self.summary = summary
        self.content = content
        self.to = to
        self.compliance = compliance
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }

    /// The line the case timeline shows for a contact, e.g. "Outbound phone: no_answer (breaks
    /// contact_hours)". The timeline reads contacts from their own table, so this is its only wording.
    public static func timelineSummary(direction: ContactDirection, channel: ContactChannel, outcome: ContactOutcome,
                                       violations: [Violation]) -> String {
        var summary = (direction == .outbound ? "Outbound " : "Inbound ") + channel.rawValue + ": " + outcome.rawValue
        if !violations.isEmpty { summary += " (breaks " + violations.map(\.rule.rawValue).joined(separator: ", ") + ")" }
        return summary
    }

    /// Keyset position for newest-first pages: occurred_at, then id.
    public var position: String { String(occurredAt.millisecondsSinceEpoch) + ":" + id.rawValue }

    public static func parsePosition(_ text: String) -> (Instant, String)? {
        guard let colon = text.firstIndex(of: ":"), let millis = Int64(text[..<colon]) else { return nil }
        return (Instant(millisecondsSinceEpoch: millis), String(text[text.index(after: colon)...]))
    }
}

/// A contact to record, as the client describes it.
public struct NewCommunication: Sendable {
    public var channel: ContactChannel
    public var direction: ContactDirection
    public var outcome: ContactOutcome
    public var occurredAt: Instant
    public var durationSeconds: Int64?
    public var summary: String?
    public var content: String?
    public var to: String?

    public init(channel: ContactChannel, direction: ContactDirection, outcome: ContactOutcome, occurredAt: Instant,
                durationSeconds: Int64?, summary: String?, content: String?, to: String?) {
        self.channel = channel
        self.direction = direction
        self.outcome = outcome
        self.occurredAt = occurredAt
        self.durationSeconds = durationSeconds
        self.summary = summary
        self.content = content
        self.to = to
    }
}

/// A compliance problem for a person to look at: a rule a recorded contact broke, or (later) a
/// complaint of harassment or third-party contact.
public struct ComplianceAlert: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case open, resolved }
    public let id: AlertID
    public let caseID: CaseID
    public let communicationID: CommunicationID?
    public let rule: String
    public let message: String
    public var status: Status
    public let createdAt: Instant
    public var resolvedAt: Instant?
    public var resolvedBy: String?
    public var resolution: String?

    public init(id: AlertID, caseID: CaseID, communicationID: CommunicationID?, rule: String, message: String, status: Status,
                createdAt: Instant, resolvedAt: Instant? = nil, resolvedBy: String? = nil, resolution: String? = nil) {
        self.id = id
        self.caseID = caseID
        self.communicationID = communicationID
        self.rule = rule
        self.message = message
        self.status = status
        self.createdAt = createdAt
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.resolution = resolution
    }
}

public struct AlertFilter: Sendable {
    public var status: ComplianceAlert.Status?
    public var caseID: CaseID?
    public init(status: ComplianceAlert.Status? = nil, caseID: CaseID? = nil) {
        self.status = status
        self.caseID = caseID
    }
}

public protocol CommunicationStore: Sendable {
    /// Fills each requested series with one indexed query (see `HistoryRequest`).
    func history(_ request: HistoryRequest, caseID: CaseID, debtorID: DebtorID, to: String?) throws -> ComplianceHistory
    /// Appends a communication with its alerts, audit entries and the alerts' timeline events (the
    /// communication is on the timeline through its own row). `caseAsRead`: the case as read in this
    /// same transaction, when the caller has it (saves the store reading it again); nil otherwise.
    func insert(_ communication: Communication, alerts: [ComplianceAlert], audit: [AuditRecord], events: [TimelineEvent],
                actor: Principal, caseAsRead: DebtCase?) throws
    func communication(id: CommunicationID, caseID: CaseID) throws -> Communication?
    /// Newest first (occurred_at, then id); `page.after` is a `Communication.position`.
    func communications(caseID: CaseID, page: PageRequest) throws -> Page<Communication>
}

extension CommunicationStore {
    public func insert(_ communication: Communication, alerts: [ComplianceAlert], audit: [AuditRecord], events: [TimelineEvent],
                       actor: Principal) throws {
        try insert(communication, alerts: alerts, audit: audit, events: events, actor: actor, caseAsRead: nil)
    }
}

public protocol ComplianceAlertStore: Sendable {
    func alerts(_ filter: AlertFilter, scope: CaseScope, page: PageRequest) throws -> Page<ComplianceAlert>
    func alert(id: AlertID) throws -> ComplianceAlert?
    /// Saves a resolution if the alert is still open; false when it was resolved meanwhile.
    func resolve(_ alert: ComplianceAlert, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws -> Bool
}

public protocol CompliancePolicyStore: Sendable {
    /// The stored policy document, nil when none was ever saved (the defaults apply).
    func policyDocument() throws -> (document: JSONValue, version: Int64)?
    func savePolicy(_ document: JSONValue, version: Int64, at: Instant, audit: AuditRecord, actor: Principal) throws
}
