/// What the dispatcher hands to a delivery channel (the webhook's JSON body).
public struct OutboundMessage: Sendable, Equatable {
    public let messageID: MessageID
    public let channel: MessageChannel
    public let to: String?
    public let subject: String?
    public let body: String
    public init(messageID: MessageID, channel: MessageChannel, to: String?, subject: String?, body: String) {
        self.messageID = messageID
        self.channel = channel
        self.to = to
        self.subject = subject
        self.body = body
    }
}

public enum DeliveryResult: Sendable, Equatable {
    case delivered
    case failed(String)
}

/// A way out for messages: the webhook, or the outbox file when none is configured.
public protocol MessageDelivery: Sendable {
    /// Delivers one message. Returns only after the receiver accepted it (2xx) or the outbox line
    /// is on disk, so a message is marked sent only once it is really out.
    func deliver(_ message: OutboundMessage) -> DeliveryResult
}

/// The `dispatch` job (contract §8, §15): sends the messages due at `as_of`, after checking the
/// compliance rules again at that instant. A failed delivery is retried after 1, 2, 4 and 8
/// seconds (± 10 % jitter); the fifth failure is final. A sent message becomes an outbound
/// communication on the case.
///
/// No message is lost across a crash: states live in SQLite and a message is claimed in a
/// transaction before delivery. A claim left by a dead process is released at start-up and the
/// message sent again; the receiver tells the two apart by `message_id` (also the
/// `Idempotency-Key` header), which is the only way a message can arrive twice.
public struct MessageDispatcher: Sendable {
    public static let maxAttempts = 5
    public static let batchSize = 100

    private let store: any MessageStore
    private let communications: any CommunicationStore
    private let compliance: ComplianceService
    private let cases: CaseService
    private let delivery: any MessageDelivery
    private let transactor: any Transactor
    private let ids: IDGenerator
    /// Told each message as it leaves a dispatch (sent, retrying, failed or suppressed), and
    /// whether a delivery was attempted: for metrics and logs.
    private let onOutcome: @Sendable (Message, _ attempted: Bool) -> Void
    private let reminders: ReminderRelevance?

    /// - Parameter money: where a reminder's instalment or promise is looked up before it goes out
    ///   (nil: reminders go out as made).
    public init(store: any MessageStore, communications: any CommunicationStore, compliance: ComplianceService,
                cases: CaseService, delivery: any MessageDelivery, transactor: any Transactor, ids: IDGenerator,
                money: (any MoneyStore)? = nil,
                onOutcome: @escaping @Sendable (Message, Bool) -> Void = { _, _ in }) {
        self.reminders = money.map(ReminderRelevance.init)
        self.store = store
        self.communications = communications
        self.compliance = compliance
        self.cases = cases
        self.delivery = delivery
        self.transactor = transactor
        self.ids = ids
        self.onOutcome = onOutcome
    }

    /// The wait before retry number `attempts` (1-based: after the first failure, 1 s).
    public static func backoffMilliseconds(afterAttempts attempts: Int, jitter: Double) -> Int64 {
        let base = Int64(1_000) << Int64(max(0, min(attempts - 1, 10)))
        return base + Int64(Double(base) * 0.1 * jitter)
    }

    public func run(asOf: Instant) throws -> [(String, Int64)] {
        var sent: Int64 = 0, failed: Int64 = 0, retrying: Int64 = 0, suppressed: Int64 = 0, errors: Int64 = 0
        var firstError: (any Error)?
        var claimed = try store.claimDue(asOf: asOf, limit: Self.batchSize)
        while !claimed.isEmpty {
            for message in claimed {
                do {
                    switch try dispatch(message, asOf: asOf) {
                    case .sent: sent += 1
                    case .failed: failed += 1
                    case .suppressed: suppressed += 1
                    default: retrying += 1
                    }
                } catch {
                    // One message's trouble (a store error, a damaged row) must not hold the others:
                    // it is handed back and tried again a minute later.
                    errors += 1
                    firstError = firstError ?? error
                    try store.postpone(message.id, until: asOf.adding(seconds: 60))
                }
            }
            claimed = try store.claimDue(asOf: asOf, limit: Self.batchSize)
        }
        if let firstError, sent + failed + retrying + suppressed == 0 { throw firstError }
        return [("sent", sent), ("failed", failed), ("retrying", retrying), ("suppressed", suppressed), ("errors", errors)]
    }

    private func dispatch(_ original: Message, asOf: Instant) throws -> Message.Status {
        var message = original
        guard let debtCase = try cases.caseForJob(message.caseID) else { throw CorruptDataError("message \(message.id) names a missing case") }
        // A message leaving the queue has no attempt ahead, whatever ends it.
        message.nextAttemptAt = nil
        // Closed since it was queued: nothing more goes out about the case.
        let moot = debtCase.status == .closed ? "the case is closed"
            : try message.reminderKey.flatMap { key in try reminders?.mootReason(key: key, caseID: message.caseID) }
        if let reason = moot {
            message.status = .suppressed
            message.lastError = "no longer due: " + reason
            try store.finish(message, audit: audit(.messageSuppressed, message), event: event(message, asOf, "suppressed: " + reason),
                             actor: .system)
            onOutcome(message, false)
            return .suppressed
        }
        var contact = ComplianceService.Contact(debtCase: debtCase, at: asOf, channel: message.channel.contactChannel)
        contact.to = message.to
        contact.messageBody = message.body
        let verdict = try compliance.judge(contact, actorRole: .supervisor).verdict
        guard verdict.ok else {
            message.status = .suppressed
            message.violations = verdict.violations
            try store.finish(message, audit: audit(.messageSuppressed, message), event: event(message, asOf, "suppressed by "
                + verdict.violations.map(\.rule.rawValue).joined(separator: ", ")), actor: .system)
            onOutcome(message, false)
            return .suppressed
        }
        message.attempts += 1
        let result = delivery.deliver(OutboundMessage(messageID: message.id, channel: message.channel, to: message.to,
                                                      subject: message.subject, body: message.body))
        switch result {
        case .delivered:
            message.status = .sent
            message.sentAt = asOf
            message.lastError = nil
            let communication = Communication(
                id: ids.make("com"), caseID: message.caseID, debtorID: debtCase.debtorID, channel: message.channel.contactChannel,
                direction: .outbound, outcome: .sent, occurredAt: asOf, durationSeconds: nil,
                summary: "Message \(message.id)" + (message.template.map { " (template \($0))" } ?? ""), content: message.body,
                to: message.to, compliance: verdict, recordedBy: Principal.system.userID, recordedAt: asOf)
            message.communicationID = communication.id
            try transactor.atomically {
                try communications.insert(communication, alerts: [], audit: CommunicationService.audit(communication, []),
                                          events: [], actor: .system)
                try store.finish(message, audit: audit(.messageSent, message), event: event(message, asOf, "sent"), actor: .system)
            }
        case .failed(let reason):
            message.lastError = reason
            if message.attempts >= Self.maxAttempts {
                message.status = .failed
                try store.finish(message, audit: audit(.messageFailed, message),
                                 event: event(message, asOf, "failed after \(message.attempts) attempts"), actor: .system)
            } else {
                let wait = Self.backoffMilliseconds(afterAttempts: message.attempts, jitter: Double.random(in: -1...1))
                message.nextAttemptAt = Instant(millisecondsSinceEpoch: asOf.millisecondsSinceEpoch + wait)
                try store.finish(message, audit: nil, event: nil, actor: .system)
            }
        }
        onOutcome(message, true)
        return message.status
    }

    private func audit(_ action: AuditAction, _ message: Message) -> AuditRecord {
        AuditRecord(action: action, entity: "message", entityID: message.id, detail: .object([
            ("case_id", .string(message.caseID.rawValue)), ("attempts", .number(String(message.attempts))),
            ("violations", .array(message.violations.map { .string($0.rule.rawValue) })),
        ]))
    }

    private func event(_ message: Message, _ at: Instant, _ what: String) -> TimelineEvent {
        TimelineEvent(at: at, kind: .message, actor: Principal.system.userID,
                      summary: "Message on \(message.channel.rawValue) \(what)", ref: message.id)
    }
}
