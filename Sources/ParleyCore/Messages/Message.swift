/// A message Parley pushes to a debtor (contract §8): queued or scheduled, then sent, failed or
/// suppressed by the compliance check at send time.
public struct Message: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case scheduled, queued, sent, failed, suppressed
    }

    public let id: MessageID
    public let caseID: CaseID
    public let channel: MessageChannel
    public let to: String?
    public let subject: String?
    public let body: String
    public var status: Status
    public let scheduledFor: Instant
    public var attempts: Int
    /// When the next delivery attempt is due (after a failed one).
    public var nextAttemptAt: Instant?
    public var violations: [Violation]
    public let template: String?
    /// For reminders: what the message reminds of, unique so a reminder is made once.
    public let reminderKey: String?
    public let createdBy: String
    public let createdAt: Instant
    public var sentAt: Instant?
    public var lastError: String?
    public var communicationID: CommunicationID?

    public init(id: MessageID, caseID: CaseID, channel: MessageChannel, to: String?, subject: String?, body: String,
                status: Status, scheduledFor: Instant, attempts: Int = 0, nextAttemptAt: Instant? = nil,
                violations: [Violation] = [], template: String?, reminderKey: String? = nil, createdBy: String,
                createdAt: Instant, sentAt: Instant? = nil, lastError: String? = nil, communicationID: CommunicationID? = nil) {
        self.id = id
        self.caseID = caseID
        self.channel = channel
        self.to = to
        self.subject = subject
        self.body = body
        self.status = status
        self.scheduledFor = scheduledFor
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.violations = violations
        self.template = template
        self.reminderKey = reminderKey
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.lastError = lastError
        self.communicationID = communicationID
    }
}

public struct MessageFilter: Sendable {
    public var caseID: CaseID?
    public var status: Message.Status?
    public init(caseID: CaseID? = nil, status: Message.Status? = nil) {
        self.caseID = caseID
        self.status = status
    }
}

public protocol MessageStore: Sendable {
    /// Inserts a message with its audit entry and timeline event; false when a message with the
    /// same reminder key exists (nothing is written then).
    @discardableResult
    func insert(_ message: Message, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws -> Bool
    func message(id: MessageID) throws -> Message?
    /// Whether a message with this reminder key exists.
    func hasReminder(key: String) throws -> Bool
    /// When the messages of `channel` on the case that are due by `dueBy` and not sent yet
    /// (queued, or scheduled reminders whose time has come) are due.
    func queuedTimes(caseID: CaseID, channel: MessageChannel, dueBy: Instant) throws -> [Instant]
    func messages(_ filter: MessageFilter, scope: CaseScope, page: PageRequest) throws -> Page<Message>
    /// Claims up to `limit` messages due at `asOf` (scheduled or queued, `scheduled_for` and any
    /// retry time reached) for delivery, in one transaction: a claimed message is not handed out
    /// again until `release` or a final state, so two dispatchers never send the same message.
    func claimDue(asOf: Instant, limit: Int) throws -> [Message]
    /// Hands a claimed message back, not due again before `until`.
    func postpone(_ id: MessageID, until: Instant) throws
    /// Hands back every claimed message (at start-up: claims of a process that died).
    func releaseAllClaims() throws -> Int
    /// Saves the outcome of a delivery attempt and releases the claim, with audit and timeline.
    func finish(_ message: Message, audit: AuditRecord?, event: TimelineEvent?, actor: Principal) throws
}
