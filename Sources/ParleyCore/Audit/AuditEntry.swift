/// What a mutation records about itself, appended in the same transaction as the change.
/// Every action the audit log records, one vocabulary for writers and readers.
public enum AuditAction: String, Sendable, CaseIterable {
    case userCreated = "user.created"
    case userUpdated = "user.updated"
    case apiKeyIssued = "api_key.issued"
    case apiKeyRevoked = "api_key.revoked"
    case debtorCreated = "debtor.created"
    case debtorUpdated = "debtor.updated"
    case debtorRestrictionChanged = "debtor.restriction_changed"
    case caseCreated = "case.created"
    case caseUpdated = "case.updated"
    case caseTransitioned = "case.transitioned"
    case disputeOpened = "dispute.opened"
    case disputeResolved = "dispute.resolved"
    case importBatch = "import.batch"
    case communicationLogged = "communication.logged"
    case complianceAlertOpened = "compliance_alert.opened"
    case complianceAlertResolved = "compliance_alert.resolved"
    case compliancePolicyChanged = "compliance_policy.changed"
    case templateSaved = "template.saved"
    case messageQueued = "message.queued"
    case messageSent = "message.sent"
    case messageFailed = "message.failed"
    case messageSuppressed = "message.suppressed"
    case planProposed = "plan.proposed"
    case planApproved = "plan.approved"
    case planRejected = "plan.rejected"
    case planCancelled = "plan.cancelled"
    case planBroken = "plan.broken"
    case planCompleted = "plan.completed"
    case planReopened = "plan.reopened"
    case paymentRecorded = "payment.recorded"
    case paymentReversed = "payment.reversed"
    case promiseMade = "promise.made"
    case promiseKept = "promise.kept"
    case promiseBroken = "promise.broken"
    case promiseReopened = "promise.reopened"
    case adjustmentRequested = "adjustment.requested"
    case adjustmentApproved = "adjustment.approved"
    case adjustmentRejected = "adjustment.rejected"
    case adjustmentApplied = "adjustment.applied"
    case adjustmentReversed = "adjustment.reversed"
    case surveyCreated = "survey.created"
    case feedbackReceived = "feedback.received"
    case followUpOpened = "followup.opened"
    case followUpClosed = "followup.closed"
    case complaintOpened = "complaint.opened"
    case complaintTransitioned = "complaint.transitioned"
    case complaintSLABreached = "complaint.sla_breached"
    case segmentChanged = "case.segment_changed"
    case portalLinkIssued = "portal_link.issued"
    case portalLinkRevoked = "portal_link.revoked"
}

public struct AuditRecord: Sendable {
    public let action: AuditAction
    public let entity: String
    public let entityID: String
    public let detail: JSONValue

    public init(action: AuditAction, entity: String, entityID: String, detail: JSONValue = .object([])) {
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.detail = detail
    }

    /// The log names many kinds of entity, so it keeps the id as text.
    public init<Entity>(action: AuditAction, entity: String, entityID: Identifier<Entity>, detail: JSONValue = .object([])) {
        self.init(action: action, entity: entity, entityID: entityID.rawValue, detail: detail)
    }
}

/// One entry of the append-only, hash-chained audit log (contract §14).
public struct AuditEntry: Sendable, Equatable {
    public let seq: Int64
    public let at: Instant
    public let actor: String
    public let action: String
    public let entity: String
    public let entityID: String
    public let detail: JSONValue
    public let hash: String

    public init(seq: Int64, at: Instant, actor: String, action: String, entity: String, entityID: String, detail: JSONValue, hash: String) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.detail = detail
        self.hash = hash
    }

    /// The canonical JSON that is hashed: keys sorted, no whitespace, without `hash`.
    /// `detailCanonical` is the detail already in canonical form (as stored).
    public static func canonical(seq: Int64, at: Instant, actor: String, action: String, entity: String,
                                 entityID: String, detailCanonical: String) -> String {
        var writer = JSONWriter(capacity: 256 + detailCanonical.utf8.count)
        writeCanonical(into: &writer, seq: seq, at: at.rfc3339, actor: actor, action: action, entity: entity,
                       entityID: entityID, detailCanonical: detailCanonical)
        return writer.string
    }

    /// The one definition of the canonical form, for `canonical` and `AuditChain`.
    static func writeCanonical(into writer: inout JSONWriter, seq: Int64, at: String, actor: String, action: String,
                               entity: String, entityID: String, detailCanonical: String) {
        writer.beginObject()
        writer.field("action", action)
        writer.field("actor", actor)
        writer.field("at", at)
        writer.key("detail")
        writer.rawJSON(detailCanonical)
        writer.field("entity", entity)
        writer.field("entity_id", entityID)
        writer.field("seq", seq)
        writer.endObject()
    }

    /// hex SHA-256 of the previous hash + "\n" + the canonical entry.
    public static func chainHash(previous: String, canonical: String) -> String {
        Hashing.sha256Hex(concatenating: previous, "\n", canonical)
    }

    /// The hash that precedes the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)
}

public struct AuditFilter: Sendable {
    public var entityID: String?
    public var actor: String?
    public var from: Instant?
    public var to: Instant?
    public init(entityID: String? = nil, actor: String? = nil, from: Instant? = nil, to: Instant? = nil) {
        self.entityID = entityID
        self.actor = actor
        self.from = from
        self.to = to
    }
}

public struct AuditVerification: Sendable, Equatable {
    public let ok: Bool
    public let entries: Int
    public let brokenAtSeq: Int64?
    public init(ok: Bool, entries: Int, brokenAtSeq: Int64?) {
        self.ok = ok
        self.entries = entries
        self.brokenAtSeq = brokenAtSeq
    }
}

public protocol AuditStore: Sendable {
    /// Entries in `seq` order after the cursor (`after` is a seq in decimal).
    func entries(_ filter: AuditFilter, page: PageRequest) throws -> Page<AuditEntry>
    /// Recomputes the chain from the first entry.
    func verify() throws -> AuditVerification
}

/// Reading the audit log (compliance and admin).
public struct AuditService: Sendable {
    private let store: any AuditStore

    public init(store: any AuditStore) { self.store = store }

    public func entries(_ filter: AuditFilter, page: PageRequest, by actor: Principal) throws -> Page<AuditEntry> {
        try actor.require(.readAudit)
        return try store.entries(filter, page: page)
    }

    public func verify(by actor: Principal) throws -> AuditVerification {
        try actor.require(.readAudit)
        return try store.verify()
    }
}
